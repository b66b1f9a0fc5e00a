"""The tables of docs/sequences.md ("At the paper's settings"), read off a sequence sweep and, where
given, the fresh network's on its second task:

    python3 tools/sequence_table.py results/sequence-2af-dms.json results/sequence-2af-dms-fresh.json

Per start (A then B): its initial effective rank, A's accuracy at the end of its phase, the accuracy of
A that learning B lost, B's iterations to 0.8 (and the fresh network's), the paths and the square sum.
Means over the seeds; a sweep crossed with rules or gains has a row per item.
"""

import json
import statistics as st
import sys


a = json.load(open(sys.argv[1]))
f = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else None
A, B = (p["task"] for p in a["summary"][0]["sequence"]["phases"][:2])
UA, UB = A.upper(), B.upper()


def ms(x, d=3):
    return f"{x['mean']:.{d}f} ± {x['sd']:.{d}f}"


def learned(p):
    if p.get("iters_to_learn") and p["iters_to_learn"]["mean"] is not None:
        return f"{p['iters_to_learn']['mean']:.0f}, {p['learned']}/{p['runs']}"
    return f"not learned, 0/{p['runs']}"


runs = a["runs"]
per_item = len(runs) // len(a["summary"])  # a sweep's runs are its items' seeds, in order
fresh_col = " (fresh network)" if f else ""
print(f"| start | initial erank | {UA} accuracy after {UA} | {UA} forgotten after {UB} | {UB}: iterations to 0.8, seeds{fresh_col} "
      f"| path of W_rec, {UA} / {UB} phase | path, all weights, both phases | Σ‖ΔW‖², all weights, both phases |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for i, s in enumerate(a["summary"]):
    phases = s["sequence"]["phases"]
    if len(phases) < 2 or not phases[1]["runs"]:
        print(f"| {s['init']} | {s['initial_erank_entropy']:.1f} | every seed diverged or fell silent ({s['diverged']} of {s['runs']}) |||||")
        continue
    p0, p1 = phases[:2]
    mine = [r for r in runs[i * per_item:(i + 1) * per_item] if len(r.get("sequence", {}).get("phases", [])) > 0]
    acc0 = st.mean(r["sequence"]["phases"][0]["probe"][A]["accuracy"] for r in mine)
    fresh = f" ({learned(f['summary'][i]['sequence']['phases'][-1])})" if f else ""
    tot = s["sequence"]["total"]
    print(f"| {s['init']} | {s['initial_erank_entropy']:.1f} | {acc0:.3f} | {ms(p1['forgetting'][A]['accuracy'])} | {learned(p1)}{fresh} "
          f"| {p0['path_w_rec']['mean']:.1f} / {p1['path_w_rec']['mean']:.1f} | {tot['path_all']['mean']:.1f} | {tot['path_sq_all']['mean']:.3f} |")
