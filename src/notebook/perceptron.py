# The perceptron view's charts: each measure against alpha*T, the mean over seeds, one line per P;
# and w_par against |dw_perp| for every run. (The page's played-back training is not redrawn here.)
import matplotlib.pyplot as plt
import numpy as np

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]
rows = result.report["runs"]
ps = sorted({r["p"] for r in rows})
fig, axes = plt.subplots(2, 2, figsize=(12, 9), constrained_layout=True)
CHARTS = [("dw", "|w* − w₀| against αT", "|dw|", True), ("t", "Training time t* against αT", "t*", True),
          ("err", "Test error against αT", "test error", False)]
for ax, (key, title, ylabel, log) in zip(axes.flat, CHARTS):
    for i, p in enumerate(ps):
        ats = sorted({r["at"] for r in rows if r["p"] == p})
        y = [np.mean([r[key] for r in rows if r["p"] == p and r["at"] == at]) for at in ats]
        ax.plot(ats, y, "o-", color=COLOURS[i % len(COLOURS)], label=f"P {p}")
    ax.set(title=title, xlabel="αT", ylabel=ylabel, xscale="log", yscale="log" if log else "linear")
    ax.legend()
w = axes.flat[3]
for i, p in enumerate(ps):
    mine = [r for r in rows if r["p"] == p]
    w.scatter([r["w_perp"] for r in mine], [r["w_par"] for r in mine], s=12, color=COLOURS[i % len(COLOURS)], label=f"P {p}")
w.set(title="w∥ = dw₁ against |dw⊥| (each run)", xlabel="|dw⊥|", ylabel="w∥", xscale="log", yscale="log")
w.legend()
plt.show()
