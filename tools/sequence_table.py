"""The table of docs/sequences.md ("At the paper's settings: 2AF then DMS"), read off the two sweeps:

    python3 tools/sequence_table.py results/sequence-2af-dms.json results/sequence-2af-dms-fresh.json

Per start: its initial effective rank, 2AF's accuracy at the end of its phase, the accuracy of 2AF that
learning DMS lost, DMS's iterations to 0.8 (and the fresh network's, from the second sweep), the paths.
"""

import json
import statistics as st
import sys


a = json.load(open(sys.argv[1]))
f = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else None
def ms(x, d=3): return f"{x['mean']:.{d}f} ± {x['sd']:.{d}f}"
print("| start | initial erank | 2AF accuracy after 2AF | 2AF forgotten after DMS | DMS: iterations to 0.8 (fresh network) | path of W_rec, 2AF / DMS phase | path, all weights, both phases | Σ‖ΔW‖², all weights, both phases |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for i, s in enumerate(a['summary']):
    p0, p1 = s['sequence']['phases']
    acc0 = st.mean(r['sequence']['phases'][0]['probe']['2af']['accuracy'] for r in a['runs'] if r['config'].get('init')==a['runs'][i*3]['config'].get('init') and r['config'].get('rank')==a['runs'][i*3]['config'].get('rank'))
    fresh = ''
    if f:
        fp = f['summary'][i]['sequence']['phases'][-1]
        fresh = f" ({fp['iters_to_learn']['mean']:.0f}, {fp['learned']}/{fp['runs']})" if fp.get('iters_to_learn') else f" (not learned, {fp['learned']}/{fp['runs']})"
    tot = s['sequence']['total']
    print(f"| {s['init']} | {s['initial_erank_entropy']['mean'] if isinstance(s['initial_erank_entropy'], dict) else s['initial_erank_entropy']:.1f} | {acc0:.3f} | {ms(p1['forgetting']['2af']['accuracy'])} | {p1['iters_to_learn']['mean']:.0f}{fresh} | {p0['path_w_rec']['mean']:.1f} / {p1['path_w_rec']['mean']:.1f} | {tot['path_all']['mean']:.1f} | {tot['path_sq_all']['mean']:.3f} |")
