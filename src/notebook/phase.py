# The phase view's heat maps over the (alpha, T) grid: only fitted cells coloured (crossed: capped or
# diverged, their numbers in the report); dashed: the engine's feature-regime optimum T0 (alpha/alpha0)^k.
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import NullFormatter

r = result.report
alphas, temps = np.array(r["alphas"]), np.array(r["Ts"])


def edges(v):
    """Cell edges on a log axis: halfway (geometrically) between the values, as far again at the ends."""
    l = np.log(v)
    if len(l) == 1:
        return np.exp([l[0] - 0.5, l[0] + 0.5])
    mid = (l[1:] + l[:-1]) / 2
    return np.exp(np.concatenate([[2 * l[0] - mid[0]], mid, [2 * l[-1] - mid[-1]]]))


def grid(key):
    z = np.full((len(temps), len(alphas)), np.nan)
    for c in r["cells"]:
        if not (c["capped"] or c["diverged"]) and c[key] is not None:
            z[c["i"] % len(temps), c["i"] // len(temps)] = c[key]
    return z


failed = [c for c in r["cells"] if c["capped"] or c["diverged"]]
fig, axes = plt.subplots(1, 3, figsize=(17, 5), constrained_layout=True)
CHARTS = [("test_err", "Test error", "test error", False, True), ("rel_dw", "Relative weight change", "|w*-w0|/|w0|", True, True),
          ("t_star", "Training time t*", "t*", True, False)]
for ax, (key, title, label, log, line) in zip(axes, CHARTS):
    z = grid(key)
    norm = LogNorm() if log and np.any(z > 0) else None
    mesh = ax.pcolormesh(edges(alphas), edges(temps), z, norm=norm, cmap="viridis")
    fig.colorbar(mesh, ax=ax, label=label)
    ax.scatter([c["alpha"] for c in failed], [c["T"] for c in failed], marker="x", color="#888888")
    if line and r["line"] is not None:
        k, a0, t0 = r["line"]["k"], r["line"]["alpha0"], r["line"]["T0"]
        ax.plot(alphas, t0 * (alphas / a0) ** k, "--", color="white")
    ax.set(title=title, xlabel="alpha", ylabel="temperature T", xscale="log", yscale="log")
    ax.xaxis.set_minor_formatter(NullFormatter())  # the decades only: a narrow grid's minor labels overlap
plt.show()
