#!/usr/bin/env python3
"""Derive data/fly_types.txt (the fly's visual system, type to type) from the flyvis wheel.

    python3 tools/connectome/fly.py            # rewrites data/fly_types.txt
    python3 tools/connectome/fly.py --check    # exits 1 if the committed file differs
    python3 tools/connectome/fly.py --wheel flyvis-1.2.0-py3-none-any.whl   # a wheel at hand

Downloads the hash-pinned wheel with `pip download --no-deps` (nothing is installed or imported) and
reads flyvis/connectome/fib25-fib19_v2.2.json from it (Lappalainen et al., Nature 2024; FIB-25 and
FIB-19 medulla reconstructions). Writes the 65 cell types with their lattice strides, then the 605
type-to-type edges with their sign (`alpha`) and mean synapse count per column offset (du, dv), as
given: flyvis's own gap filling (`fill_hull`, 1 synapse at unreported offsets inside the convex hull
of the reported ones) is not applied. Also prints what a radius-1 patch built the way flyvis builds its
connectome gives (the numbers src/init/fly.rs asserts). See data/PROVENANCE.md.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from derive import write_or_check  # noqa: E402

VERSION = "1.2.0"
WHEEL = f"flyvis-{VERSION}-py3-none-any.whl"
WHEEL_SHA = "af365b16e870111fcb06782a063f6551b05cce9a105c6eaab9c0bda3b017031f"
MEMBER = "flyvis/connectome/fib25-fib19_v2.2.json"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "data", "fly_types.txt")


def patch(types, edges, radius):
    """Nodes (type, u, v) in flyvis's order (add_strided_nodes) and W[(target, source)] summed as
    add_conv_edges lays them out, with sign x count."""
    nodes = []
    for name, su, sv in types:
        for u in range(-radius, radius + 1):
            for v in range(max(-radius, -radius - u), min(radius, radius - u) + 1):
                if u % su == 0 and v % sv == 0:
                    nodes.append((name, u, v))
    index = {x: i for i, x in enumerate(nodes)}
    w = {}
    for src, tar, sign, offsets in edges:
        for du, dv, n in offsets:
            for (t, u, v), i in index.items():
                j = index.get((tar, u + du, v + dv)) if t == src else None
                if j is not None:
                    w[(j, i)] = w.get((j, i), 0.0) + sign * n
    return nodes, w


def derive(wheel):
    with open(wheel, "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == WHEEL_SHA, f"{wheel}: unexpected content"
    with zipfile.ZipFile(wheel) as z:
        raw = z.read(MEMBER)
    member_sha = hashlib.sha256(raw).hexdigest()
    d = json.loads(raw)
    types = []
    for n in d["nodes"]:
        kind, args = n["pattern"]
        assert kind == "stride" and len(args) == 2, n
        types.append((n["name"], args[0], args[1]))
    names = [t[0] for t in types]
    assert len(names) == 65 == len(set(names))
    edges = []
    for e in d["edges"]:
        assert e["edge_type"] == "chem" and e["alpha"] in (1, -1) and e["src"] in names and e["tar"] in names, e
        offsets = [(du, dv, float(n)) for (du, dv), n in e["offsets"]]
        assert all(n > 0 for _, _, n in offsets) and len({o[:2] for o in offsets}) == len(offsets), e
        edges.append((e["src"], e["tar"], e["alpha"], offsets))
    assert len(edges) == 605 and len({(e[0], e[1]) for e in edges}) == 605
    out = [
        f"# The fly's visual system, type to type, from flyvis {VERSION} (PyPI, MIT licence; Lappalainen et al.,",
        "# Nature 2024), FIB-25 / FIB-19 medulla reconstructions (Takemura et al. 2013, 2015, 2017):",
        f"#   wheel {WHEEL} sha256 {WHEEL_SHA}",
        f"#   {MEMBER} sha256 {member_sha}",
        "# Written by tools/connectome/fly.py; see data/PROVENANCE.md. Do not edit by hand.",
        "# types: name, u stride, v stride (a type sits on the columns whose u and v its strides divide).",
        "# edges: source, target, sign (alpha), then du,dv:count per column offset (mean synapse counts,",
        "# as given; flyvis's fill_hull gap filling is not applied).",
        f"types {len(types)}",
    ] + [f"{n} {su} {sv}" for n, su, sv in types] + [f"edges {len(edges)}"]
    for src, tar, sign, offsets in edges:
        out.append(f"{src} {tar} {sign:+d} " + " ".join(f"{du},{dv}:{n:.6g}" for du, dv, n in offsets))
    text = "\n".join(out) + "\n"
    # The patch from the rounded counts, as the engine reads them.
    rounded = [(s, t, a, [(du, dv, float(f"{n:.6g}")) for du, dv, n in o]) for s, t, a, o in edges]
    nodes, w = patch(types, rounded, 1)
    stats = dict(types=len(types), edges=len(edges), offsets=sum(len(e[3]) for e in edges),
                 positive=sum(e[2] > 0 for e in edges), member_sha=member_sha, nodes=len(nodes),
                 nonzeros=sum(1 for x in w.values() if x != 0), total=sum(w.values()),
                 abs_total=sum(abs(x) for x in w.values()))
    signs = {}
    for (_, i), x in w.items():
        signs.setdefault(i, set()).add(x > 0)
    stats["mixed"] = sorted({nodes[i][0] for i, s in signs.items() if len(s) > 1})
    return text, stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    ap.add_argument("--wheel", help="a copy of the wheel (skips the download)")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel
        if wheel is None:
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                            "-d", tmp, f"flyvis=={VERSION}"], check=True)
            wheel = os.path.join(tmp, WHEEL)
        text, s = derive(wheel)
    print(f"flyvis {VERSION}: {s['types']} types, {s['edges']} edges ({s['positive']} positive), "
          f"{s['offsets']} offsets; radius-1 patch: {s['nodes']} neurons, {s['nonzeros']} non-zeros, "
          f"sum {s['total']:.6f}, sum |W| {s['abs_total']:.6f}; columns of both signs: types {s['mixed']}; "
          f"json sha256 {s['member_sha']}", file=sys.stderr)
    write_or_check(args.out, text, args.check)


if __name__ == "__main__":
    main()
