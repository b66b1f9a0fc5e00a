# The theory view's two charts: measured points (mean ± sd over seeds) over the dashed closed forms.
import matplotlib.pyplot as plt

r = result.report
fig, (rank, align) = plt.subplots(1, 2, figsize=(14, 5), constrained_layout=True)
points = r["rank"]["points"]
x = [p["erank"] for p in points]
for key, name, colour in [("kernel_change", "kernel change", "#1f77b4"), ("dw1", "weight change |ΔW1|", "#d62728")]:
    y, sd = [p[key]["mean"] for p in points], [p[key]["sd"] for p in points]
    rank.errorbar(x, y, yerr=sd, fmt="o", capsize=3, color=colour, label=name)
    rank.plot(x, [p[key + "_predicted"] for p in points], "--", color=colour)
rank.plot([], [], "--", color="#555555", label="dashed: closed form")
rank.set(xscale="log", title=f"Effective-rank sweep, |W1(0)| = {r['settings']['norm']}",
         xlabel="effective rank of W1(0) (log scale)", ylabel="kernel change, weight change")
rank.legend()
COLOURS = {"aligned": "#2ca02c", "partially aligned": "#1f77b4", "unaligned": "#ff7f0e"}
for start in r["align"]["starts"]:
    points, colour = start["points"], COLOURS.get(start["start"])
    x = [p["kappa"] for p in points]
    y, sd = [p["kernel_change"]["mean"] for p in points], [p["kernel_change"]["sd"] for p in points]
    align.errorbar(x, y, yerr=sd, fmt="o", capsize=3, color=colour, label=start["start"])
    align.plot(x, [p["kernel_change_predicted"] for p in points], "--", color=colour)
align.plot([], [], "--", color="#555555", label="dashed: closed form")
align.set(xscale="log", title=f"Rank-one starts, |W1(0)| = {r['settings']['norm_align']}",
          xlabel="condition number κ of F (log scale)", ylabel="kernel change")
align.legend()
plt.show()
print(r["rank"]["claim"], r["rank"]["fit"])
print(r["align"]["claim"], r["align"]["fit"])
