# The lab's run charts: one line per run (`runs`: (item, history) pairs), a colour per item as on the page.
import matplotlib.pyplot as plt

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]
CHARTS = [  # (measure, title, y label, log y)
    ("loss", "Loss", "cross-entropy", True),
    ("accuracy", "Decision accuracy", "fraction correct", False),
    ("weight_change_rel", "Weight change of W_rec", "relative change", False),
    ("kernel_alignment", "Tangent-kernel alignment", "alignment with start", False),
    ("rep_alignment", "Representation alignment", "alignment with start", False),
    ("lyap_max", "Largest Lyapunov exponent", "λ_max per time step", False),
]
items = list(dict.fromkeys(item for item, _ in runs))
fig, axes = plt.subplots(2, 3, figsize=(15, 8), constrained_layout=True)
for ax, (key, title, ylabel, log) in zip(axes.flat, CHARTS):
    named = set()
    for item, history in runs:
        colour = COLOURS[items.index(item) % len(COLOURS)]
        ax.plot(history["iter"], history[key], color=colour, label=None if item in named else item)
        named.add(item)
    ax.set(title=title, xlabel="iteration", ylabel=ylabel, yscale="log" if log else "linear")
    if len(items) > 1:
        ax.legend(fontsize="small")
plt.show()
