"""The state-space study's table (docs/analysis.md): each task and start of results/analysis/*.json
(TASK-START-sSEED.json, as tools/analysis-study.sh writes them), mean ± sd over seeds; with --bundle,
also every report in one file for the article's figure (the reports as they are, named by their file).

    python3 tools/analysis_table.py results/analysis --bundle results/analysis-study.json > results/analysis.txt

A run that failed (NAME.failed: diverged, say) is left out of its start's means and listed under the table.
Fixed points are counted per constant input as stable/saddle (unstable points are rare and added to
the saddles' column as "+u"), at the start -> at the end, averaged over seeds.
"""

import json
import os
import statistics
import sys

STARTS = ["rank1", "rank30", "rank100", "rank300", "aligned1", "connectome", "v1", "fly"]


def mean_sd(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "n/a"
    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return f"{statistics.mean(xs):.2f} ± {sd:.2f}"


def points(reports, which):
    """Per input: mean stable/saddle counts at `which` (start or end)."""
    out = []
    for i, f in enumerate(reports[0]["fixed_points"]):
        stable = statistics.mean(r["fixed_points"][i][which]["stable"] for r in reports)
        saddle = statistics.mean(r["fixed_points"][i][which]["saddle"] for r in reports)
        unstable = statistics.mean(r["fixed_points"][i][which]["unstable"] for r in reports)
        out.append((f["input"], f"{stable:.1f}/{saddle:.1f}" + (f"+{unstable:.1f}u" if unstable else "")))
    return out


def main(folder, bundle=None):
    groups, named, failed = {}, [], {}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".failed"):
            task, start, _ = name[: -len(".failed")].split("-")
            with open(path) as f:
                failed.setdefault((task, start), []).append(f"{name[: -len('.failed')]}: {f.read().strip()}")
            continue
        if not name.endswith(".json"):
            continue  # a run still being written
        task, start, seed = name[: -len(".json")].split("-")
        with open(path) as f:
            report = json.load(f)
        groups.setdefault((task, start), []).append(report)
        named.append({"name": name[: -len(".json")], "report": report})
    if bundle:
        with open(bundle, "w") as f:
            json.dump({"command": "tools/analysis-study.sh", "reports": named}, f, separators=(",", ":"))
            f.write("\n")
    tasks = sorted({t for t, _ in groups}, key=lambda t: ["2af", "dms", "cxt"].index(t))
    head = ("start", "N", "seeds", "initial erank", "probe accuracy: end (start's W_rec)", "trajectory shift", "CKA start/end", "largest principal angle",
            "ΔW erank (PR)", "ΔW top dir. on W_out", "ΔW top dir. on W_in", "fixed points (stable/saddle), start -> end")
    for task in tasks:
        print(f"## {task.upper()}\n")
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for start in STARTS:
            rs = groups.get((task, start))
            if not rs:
                continue
            fp = "; ".join(f"{i}: {a} -> {b}" for (i, a), (_, b) in zip(points(rs, "start"), points(rs, "end")))
            row = (
                start, str(rs[0]["hidden"]), str(len(rs)) + (f" ({len(failed[(task, start)])} failed)" if (task, start) in failed else ""),
                f'{statistics.mean(r["w_rec0"]["erank_entropy"] for r in rs):.1f}',
                f'{mean_sd([r["probe"]["end"]["accuracy"] for r in rs])} ({mean_sd([r["probe"]["start"]["accuracy"] for r in rs])})',
                mean_sd([r["change"]["trajectory_shift"] for r in rs]),
                mean_sd([r["change"]["cka"] for r in rs]),
                mean_sd([max(r["change"]["principal_angles"]) for r in rs]),
                mean_sd([r["delta_w"]["erank_pr"] for r in rs]),
                mean_sd([r["delta_w"]["directions"][0]["right_on_output"] for r in rs]),
                mean_sd([r["delta_w"]["directions"][0]["left_on_input"] for r in rs]),
                fp,
            )
            print("| " + " | ".join(row) + " |")
        print()
        notes = [f"- {line}" for (t, _), lines in sorted(failed.items()) if t == task for line in lines]
        if notes:
            print("\n".join(notes) + "\n")


if __name__ == "__main__":
    args = sys.argv[1:]
    bundle = args[args.index("--bundle") + 1] if "--bundle" in args else None
    main(args[0] if args and args[0] != "--bundle" else "results/analysis", bundle)
