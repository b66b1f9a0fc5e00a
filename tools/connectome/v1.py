#!/usr/bin/env python3
"""Derive data/v1_types.txt (mouse V1 cell types) from the Allen Institute's biorealistic-v1-model.

    python3 tools/connectome/v1.py --repo DIR            # rewrites data/v1_types.txt
    python3 tools/connectome/v1.py --repo DIR --check    # exits 1 if the committed file differs

DIR is a clone (or bare git dir) of https://github.com/AllenInstitute/biorealistic-v1-model that has
commit COMMIT; the files are read with `git show COMMIT:base_props/...` and their sha256 checked.
openpyxl (for the seed file's cached cell values) comes from derive.py's hash-pinned venv unless
--site names a site-packages that has it. See data/PROVENANCE.md.

Inputs (base_props/):
  V1model_seed_file.xlsx       sheet cell_models: B2:B23 population, D2:D23 e/i, N2:N23 core cell
                               count (cached values of its formulas, read by cell reference)
  cell_type_naming_scheme.csv  population -> cell_type (the 19 types of the pmax matrix)
  pmax_matrix_v1dd.csv         19 x 19 peak connection probability, rows presynaptic
  psp_lookup_table.csv         22 x 22 population pair -> a row of psp_characterization.csv
  psp_characterization.csv     log-normal shape and scale (mV) of the unitary PSP amplitude;
                               the _90th columns (as the repository's own code prefers them)
Output: per type its e/i class and core count (summed over its populations), then three 19 x 19
tables, rows presynaptic: pmax, PSP log-normal shape, PSP log-normal scale.
"""
import argparse
import collections
import csv
import hashlib
import io
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import derive  # noqa: E402

COMMIT = "330276625b95462710bc57791b6e8b077d2f0ff6"
FILES = {
    "V1model_seed_file.xlsx": "e33da3586c056da99efdaefb8fd450e82c17f254c44d0d7f9b382a4be77431c4",
    "cell_type_naming_scheme.csv": "7ebc50b91d1438ab5e0cec937b54f1e3a466c1fecd4337d877f449e18734b21b",
    "pmax_matrix_v1dd.csv": "1446631d7b239e2258d2d70804813361ffb3134de138fea78311b5fa26ce887d",
    "psp_characterization.csv": "2ae17e6b4b53274efd1c5ba35a86d87533d7e6796cd39b7a5c128e895a96880a",
    "psp_lookup_table.csv": "a78b61db652180765f2f5581d3e1e505925079601a27a2f53da0bb2d2633dcde",
}
OUT = os.path.join(derive.ROOT, "data", "v1_types.txt")
# Only openpyxl and its one dependency, from derive.py's pinned list.
REQUIREMENTS = "".join(line + "\n" for line in derive.REQUIREMENTS.splitlines()
                       if line.startswith(("openpyxl", "et-xmlfile")))


def read(repo, name):
    blob = subprocess.run(["git", "--git-dir", git_dir(repo), "show", f"{COMMIT}:base_props/{name}"],
                          check=True, capture_output=True).stdout
    assert hashlib.sha256(blob).hexdigest() == FILES[name], f"{name}: unexpected content"
    return blob


def git_dir(repo):
    dot = os.path.join(repo, ".git")
    return dot if os.path.isdir(dot) else repo


def table(blob):
    return list(csv.reader(io.StringIO(blob.decode()), delimiter=" "))


def derive_v1(repo):
    import openpyxl
    sheet = openpyxl.load_workbook(io.BytesIO(read(repo, "V1model_seed_file.xlsx")), data_only=True)["cell_models"]
    assert (sheet["B1"].value, sheet["D1"].value, sheet["N1"].value) == ("pop_name", "ei", "pop_core_count")
    pops = [(sheet[f"B{r}"].value, sheet[f"D{r}"].value, sheet[f"N{r}"].value) for r in range(2, 24)]
    assert sheet["B24"].value is None and sheet["N25"].value == sum(p[2] for p in pops) == 66552
    naming = {r[0]: r for r in table(read(repo, "cell_type_naming_scheme.csv"))[1:]}
    pmax = table(read(repo, "pmax_matrix_v1dd.csv"))
    types = pmax[0][1:]
    assert len(types) == 19 and [r[0] for r in pmax[1:]] == types
    p = {(a, b): float(v) for r in pmax[1:] for a, b, v in ((r[0], t, v) for t, v in zip(types, r[1:]))}

    ei, count, of = {}, collections.Counter(), {}
    for name, e, n in pops:
        t = naming[name][6]  # column cell_type
        assert naming[name][3] == e and e in "ei" and isinstance(n, int) and n > 0, (name, e, n)
        assert ei.setdefault(t, e) == e, f"{t}: mixed e/i"
        count[t] += n
        of[name] = t
    assert sorted(count) == sorted(types)

    psp = table(read(repo, "psp_characterization.csv"))
    col = {c: i for i, c in enumerate(psp[0])}
    fit = {r[0]: (float(r[col["logn_shape_90th"]]), float(r[col["logn_scale_90th"]])) for r in psp[1:]
           if r[col["logn_shape_90th"]] not in ("", "[]")}
    lookup = table(read(repo, "psp_lookup_table.csv"))
    post_pops = lookup[0][1:]
    shape, scale = {}, {}
    for r in lookup[1:]:
        for b, row in zip(post_pops, r[1:]):
            key = (of[r[0]], of[b])
            # Every population pair of one type pair must give the same row (only L4's four
            # excitatory populations merge, and they share theirs).
            s = fit[row]
            assert shape.setdefault(key, s[0]) == s[0] and scale.setdefault(key, s[1]) == s[1], (key, row)

    rows = lambda f: [" ".join(f"{f[(a, b)]:.6g}" for b in types) for a in types]  # noqa: E731
    out = [
        "# Mouse V1 cell types, from the Allen Institute's biorealistic-v1-model (BSD-3-Clause),",
        f"# https://github.com/AllenInstitute/biorealistic-v1-model commit {COMMIT}, base_props/:",
    ] + [f"#   {f} sha256 {h}" for f, h in FILES.items()] + [
        "# Written by tools/connectome/v1.py; see data/PROVENANCE.md. Do not edit by hand.",
        "# types: name, e/i, core cell count (summed over the seed file's populations).",
        "# Then three tables, rows presynaptic, columns postsynaptic, in the types' order:",
        "# pmax (V1DD EM), PSP amplitude log-normal shape and scale in mV (Allen Synaptic Physiology, _90th).",
        f"types {len(types)}",
    ] + [f"{t} {ei[t]} {count[t]}" for t in types]
    out += ["pmax"] + rows(p) + ["shape"] + rows(shape) + ["scale"] + rows(scale)
    return "\n".join(out) + "\n", dict(types=types, ei=ei, count=count)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", required=True, help="a clone or bare git dir of biorealistic-v1-model")
    ap.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    ap.add_argument("--site", help="site-packages holding openpyxl (skips the venv)")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    if args.site is None:
        extra = ["--repo", os.path.abspath(args.repo), "--out", args.out] + (["--check"] if args.check else [])
        sys.exit(derive.rerun_in_venv(__file__, REQUIREMENTS, extra))
    sys.path.insert(0, args.site)
    text, s = derive_v1(args.repo)
    total = sum(s["count"].values())
    exc = sum(n for t, n in s["count"].items() if s["ei"][t] == "e")
    print(f"{len(s['types'])} types, {total} cells, excitatory {exc} ({exc / total:.4f})", file=sys.stderr)
    derive.write_or_check(args.out, text, args.check)


if __name__ == "__main__":
    main()
