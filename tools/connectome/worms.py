#!/usr/bin/env python3
"""Derive data/worm/*.txt (the worm through development, and Cook et al.'s hermaphrodite) from cect.

    python3 tools/connectome/worms.py            # rewrites data/worm/
    python3 tools/connectome/worms.py --check    # exits 1 if a committed file differs

The same wheels, venv and rules as derive.py (whose helpers this imports): chemical synapses
between neurons only (cells in Wang et al. 2024's table of the 302 hermaphrodite neurons; body
wall muscles, CEPsh and GLR glia and other cells are left out), names as derive.canon writes them,
natural name order, the same GABA flag (derive.is_gaba). Files have derive.py's format without the
neurotransmitter comments (the varshney file carries them). See data/PROVENANCE.md.

Inputs, all inside cect 0.3.5 (sha256 below):
  cect/data/witvliet_2020_<k> <stage>.xlsx  Witvliet et al. 2021, columns pre, post, type, synapses;
      rows of type 'chemical' (one per ordered pair, autapses kept as the data give them)
  cect/data/SI 5 Connectome adjacency matrices, corrected July 2020.xlsx  Cook et al. 2019, sheet
      'hermaphrodite chemical': presynaptic names C4:C303, postsynaptic names D3:QO3, counts in
      between (EM serial sections, so size-weighted, not a synapse count), read by cell reference
"""
import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import derive  # noqa: E402

OUT = os.path.join(derive.ROOT, "data", "worm")
WITVLIET = [
    ("witvliet_1", "witvliet_2020_1 L1.xlsx", "e988deaa25d290786434a23131c1bf3f144e3ca07980233a6edbfcfb8d4d30be"),
    ("witvliet_2", "witvliet_2020_2 L1.xlsx", "b365bdd96dea52c261c748232dd5d333671721865be1282f3b7efa806d010e2a"),
    ("witvliet_3", "witvliet_2020_3 L1.xlsx", "d94d522af2a64177ebef0dea0951b2a252eb973bbed01a85a19aaafe4ff0244b"),
    ("witvliet_4", "witvliet_2020_4 L1.xlsx", "10f16bd1f122288e9111acabccbf3fbd4811b861ce6e3293600d4eb5e42e4fbe"),
    ("witvliet_5", "witvliet_2020_5 L2.xlsx", "011ebda64c379fa066254ddd5c8ff0ab89621e1e85e8d31ffc0b37b9602fc163"),
    ("witvliet_6", "witvliet_2020_6 L3.xlsx", "9b342751812bf42733ae7c0de8b40f41ea0af0c5c560215d59525631b220b177"),
    ("witvliet_7", "witvliet_2020_7 adult.xlsx", "d0fd2dd32adbe5f04ce90a2e5b74c01c9a831876527b0a2b8bd5b94edc86b037"),
    ("witvliet_8", "witvliet_2020_8 adult.xlsx", "fdead89606257c1b26e57069fbe1de14c7696633b75b59b79e74c0bcc3497e62"),
]
COOK = ("cook_herm", "SI 5 Connectome adjacency matrices, corrected July 2020.xlsx",
        "1f4fdbf84746b69b49a8da0816f52787860ce349b638dce37924ba80f90c70c9")


def read_witvliet(path):
    import openpyxl
    rows = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("pre", "post", "type", "synapses"), rows[0]
    send = collections.Counter()
    for pre, post, kind, n in rows[1:]:
        assert kind in ("chemical", "electrical") and isinstance(n, int) and n > 0, (pre, post, kind, n)
        if kind == "chemical":
            key = (derive.canon(pre), derive.canon(post))
            assert key not in send, f"{key} twice"
            send[key] = n
    return send


def read_cook(path):
    import openpyxl
    sheet = openpyxl.load_workbook(path, read_only=False)["hermaphrodite chemical"]
    pre = [sheet[f"C{r}"].value for r in range(4, 304)]
    post = [sheet.cell(row=3, column=c).value for c in range(4, 458)]
    # The named block ends exactly there (cect's reader uses the same ranges).
    assert sheet["C304"].value is None and sheet.cell(row=3, column=458).value is None
    assert all(pre) and all(post) and len(set(pre)) == 300 and len(set(post)) == 454
    send = collections.Counter()
    for i, a in enumerate(pre):
        for j, b in enumerate(post):
            v = sheet.cell(row=4 + i, column=4 + j).value
            if v is not None and v != 0:
                assert v == int(v) and v > 0, (a, b, v)
                send[(derive.canon(a), derive.canon(b))] += int(v)
    return send


def table(key, source, sha, send, wang):
    """One dataset's file: neurons with >= 1 chemical synapse to or from a neuron."""
    send = {e: n for e, n in send.items() if e[0] in wang and e[1] in wang}
    names = sorted({x for pair in send for x in pair}, key=derive.natural_key)
    gaba = {x: derive.is_gaba(wang[x]) for x in names}
    index = {x: i for i, x in enumerate(names)}
    edges = sorted(send.items(), key=lambda e: (index[e[0][0]], index[e[0][1]]))
    total = sum(send.values())
    out = [
        f"# {key}: C. elegans chemical synapses between neurons, from cect {derive.CECT_VERSION}",
        f"#   cect/data/{source} sha256 {sha}",
        f"# GABA flags as data/celegans_chemical.txt (Wang et al. 2024: cect/data/{derive.NT}).",
        "# Written by tools/connectome/worms.py; see data/PROVENANCE.md. Do not edit by hand.",
        f"neurons {len(names)}",
    ]
    out += [f"{x} {int(gaba[x])}" for x in names]
    out.append(f"edges {len(edges)} synapses {total}")
    out += [f"{a} {b} {n}" for (a, b), n in edges]
    stats = dict(neurons=len(names), pairs=len(edges), synapses=total, gaba=sum(gaba.values()),
                 autapses=sum(1 for (a, b) in send if a == b), largest=max(send.values()))
    return "\n".join(out) + "\n", stats


def derive_all(data_dir):
    path = lambda f: os.path.join(data_dir, f)  # noqa: E731
    assert derive.sha256(path(derive.NT)) == derive.NT_SHA
    wang = derive.read_wang(path(derive.NT))
    files = {}
    for key, source, sha in WITVLIET + [COOK]:
        assert derive.sha256(path(source)) == sha, f"{source}: unexpected content"
        send = read_cook(path(source)) if key == "cook_herm" else read_witvliet(path(source))
        files[key] = table(key, source, sha, send, wang)
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    ap.add_argument("--site", help="site-packages holding an installed cect (skips the venv)")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    if args.site is None:
        extra = ["--out", args.out] + (["--check"] if args.check else [])
        sys.exit(derive.rerun_in_venv(__file__, derive.REQUIREMENTS, extra))
    files = derive_all(os.path.join(args.site, "cect", "data"))
    # The two adult datasets are two animals: their tables (past the comment lines) must differ.
    body = lambda key: files[key][0].split("\n", 4)[4]  # noqa: E731
    assert body("witvliet_7") != body("witvliet_8"), "stages 7 and 8 must be different tables"
    differ = []
    os.makedirs(args.out, exist_ok=True)
    for key, (text, s) in files.items():
        print(f"{key}: {s['neurons']} neurons, {s['pairs']} ordered pairs, {s['synapses']} synapses, "
              f"{s['gaba']} GABAergic, {s['autapses']} autapses, largest count {s['largest']}", file=sys.stderr)
        out = os.path.join(args.out, f"{key}.txt")
        if args.check:
            with open(out) as f:
                if f.read() != text:
                    differ.append(out)
        else:
            with open(out, "w", newline="\n") as f:
                f.write(text)
    if args.check:
        print(f"DIFFER: {differ}" if differ else "all match", file=sys.stderr)
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
