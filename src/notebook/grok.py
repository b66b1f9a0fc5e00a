# The grokking view's charts: the curves of each run over epochs (log axis from epoch 1), the
# grokking amount against the swept setting (alpha and eps modes), the map over (eps, alpha) (map mode).
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]
r = result.report
mode, runs = r["settings"]["mode"], r["runs"]
label = {"eps": lambda run: f"ε {run['eps']}", "alpha": lambda run: f"α {run['alpha']}"}.get(mode, lambda run: "")


def series(run, key):
    rows = [x for x in run["rows"] if x["epoch"] > 0 and x[key] is not None]
    return [x["epoch"] for x in rows], [x[key] for x in rows]


if mode != "map":
    fig, axes = plt.subplots(2, 3, figsize=(16, 9), constrained_layout=True)
    loss, exact, norm, kta, cos, amount = axes.flat
    one = mode == "run"
    for i, run in enumerate(runs):
        c = COLOURS[i % len(COLOURS)]
        loss.plot(*series(run, "test"), color=c, label="test" if one else label(run))
        loss.plot(*series(run, "train"), "--", color=c, label="train" if one else None)
        if not one:
            exact.plot(*series(run, "exact"), color=c, label=label(run))
            exact.plot(*series(run, "test"), ".", color=c)
        for ax, key in [(norm, "norm"), (kta, "kta"), (cos, "cos")]:
            ax.plot(*series(run, key), color=c, label=label(run) or None)
    if runs and series(runs[0], "test")[0]:
        x = series(runs[0], "test")[0]
        loss.plot([x[0], x[-1]], [runs[0]["kernel_test"]] * 2, "--", color="#7f7f7f", label="K0 regression")
    if one and runs:
        x, y = series(runs[0], "exact")
        exact.plot(x, y, color=COLOURS[0], label="exact")
        exact.plot(*series(runs[0], "test"), ".", color="#000000", label="sampled")
        floor = min(y) / 1e3 if y else 0
        for j, (key, name) in enumerate([("part_tr", "(tr A/D)²"), ("part_frob", "2|A|²/D²"), ("part_lin", "|b|²/D")]):
            px, py = series(runs[0], key)
            exact.plot(px, np.maximum(py, floor), "--", color=COLOURS[j + 1], label=name)
    loss.set(title="Loss", xlabel="epoch", ylabel="mean (F − y)²", xscale="log", yscale="log")
    exact.set(title="Exact and sampled test loss", xlabel="epoch", ylabel="test loss", xscale="log", yscale="log")
    norm.set(title="|W| / |W0|", xlabel="epoch", ylabel="ratio", xscale="log")
    kta.set(title="Kernel-target alignment", xlabel="epoch", ylabel="yᵀKy / (|K| |y|²)", xscale="log")
    cos.set(title="cos(M − M0, ββᵀ)", xlabel="epoch", ylabel="cosine", xscale="log")
    for ax in (loss, exact, norm, kta, cos):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize="small")
    if mode in ("alpha", "eps"):
        measured = [x for x in runs if x["grokking"] is not None]
        bounded = [x for x in runs if x["grokking_at_least"] is not None]
        amount.plot([x[mode] for x in measured], [x["grokking"] for x in measured], "o-", color=COLOURS[0], label="grokking")
        amount.plot([x[mode] for x in bounded], [x["grokking_at_least"] for x in bounded], "o", color=COLOURS[1], label="at least")
        amount.set(title="Grokking amount", xlabel="ε" if mode == "eps" else "α", ylabel="t_test − t_train (epochs)",
                   xscale="log" if all(x[mode] > 0 for x in runs) else "linear")
        amount.legend()
    else:
        amount.set_visible(False)
    plt.show()
else:
    alphas = [float(a) for a in r["settings"]["alphas"].split(",")]
    epss = [float(e) for e in r["settings"]["epss"].split(",")]
    z = np.full((len(alphas), len(epss)), np.nan)
    crossed = []
    for run in runs:
        i, j = epss.index(run["eps"]), alphas.index(run["alpha"])
        value = run["grokking"] if run["grokking"] is not None else run["grokking_at_least"]
        z[j, i] = np.nan if value is None else value
        if run["grokking"] is None:
            crossed.append((i, j))
    fig, ax = plt.subplots(figsize=(7, 5.5), constrained_layout=True)
    mesh = ax.imshow(z, origin="lower", cmap="viridis", norm=LogNorm() if np.nanmax(z, initial=0) > 0 else None)
    fig.colorbar(mesh, ax=ax, label="epochs")
    if crossed:
        ax.scatter(*zip(*crossed), marker="x", color="#888888")
    ax.set(title="Grokking amount", xlabel="ε (initial alignment)", ylabel="α (laziness)",
           xticks=range(len(epss)), xticklabels=epss, yticks=range(len(alphas)), yticklabels=alphas)
    plt.show()
