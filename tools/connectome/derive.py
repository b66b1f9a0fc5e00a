#!/usr/bin/env python3
"""Derive data/celegans_chemical.txt from the C. elegans Connectome Toolbox (cect).

Run from anywhere (needs python3 >= 3.8 with venv, and PyPI through pip):

    python3 tools/connectome/derive.py            # rewrites data/celegans_chemical.txt
    python3 tools/connectome/derive.py --check    # exits 1 if the committed file differs

It creates a throwaway venv, pip-installs the pinned wheels below with --require-hashes
and --no-deps (cect's own dependencies, e.g. pyneuroml, are not needed: only its data
files are read, cect is never imported), and writes the file. `--site DIR` skips the
install and reads an already installed copy (DIR is the site-packages that holds cect/;
xlrd and openpyxl must be importable). A rerun reproduces the committed file byte for
byte: the inputs are hash-pinned and the output order is fixed. See data/PROVENANCE.md.

Inputs, both shipped inside cect 0.3.5:
  cect/data/NeuronConnect.xls          Varshney et al. 2011 (columns Neuron 1, Neuron 2, Type, Nbr)
  cect/data/elife-95402-supp2-v1.xlsx  Wang et al. 2024 neurotransmitter atlas, hermaphrodite
Output: neurons that send or receive >= 1 chemical synapse (types S and Sp; R/Rp are
the same synapses seen from the receiving side and are only used as a cross-check),
in natural name order with a GABA flag, then `pre post count` summed per ordered pair.
"""
import argparse
import collections
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import warnings

CECT_VERSION = "0.3.5"
REQUIREMENTS = f"""\
cect=={CECT_VERSION} --hash=sha256:ea47f7a6b0d69a8d0bd3b0ade4037b7cc32d31ad0449f823d7ec153d6fd25057
xlrd==2.0.2 --hash=sha256:ea762c3d29f4cca48d82df517b6d89fbce4db3107f9d78713e48cd321d5c9aa9
openpyxl==3.1.5 --hash=sha256:5282c12b107bffeef825f4617dc029afaf41d0ea60823bbb665ef3079dc79de2
et-xmlfile==2.0.0 --hash=sha256:7a91720bc756843502c3b7504c77b8fe44217c85c537d85037f0f536151b2caa
"""
CONNECT = "NeuronConnect.xls"
CONNECT_SHA = "b5e32612967ff277c91ba37463bd03a85678bd8e65a4861abc6516323b6ff5f3"
NT = "elife-95402-supp2-v1.xlsx"
NT_SHA = "0013e4b5f366b82a6b0ec0d682c3bace4027545c957823841293de93feafc0e2"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "data", "celegans_chemical.txt")
# The classical 26 GABAergic neurons (McIntire et al. 1993): must come out flagged.
CLASSIC_GABA = [f"DD{i}" for i in range(1, 7)] + [f"VD{i}" for i in range(1, 14)] + [
    "RMED", "RMEV", "RMEL", "RMER", "RIS", "AVL", "DVB"]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def canon(name):
    """Varshney's zero-padded motor neuron names (VA01, DD05) -> cect/WormBase style (VA1, DD5)."""
    name = name.strip().upper()  # one R row has 'avfl'/'avfr' in lower case
    m = re.fullmatch(r"(VA|VB|VC|VD|DA|DB|DD|AS)0*(\d+)", name)
    return f"{m.group(1)}{int(m.group(2))}" if m else name


def natural_key(name):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def read_varshney(path):
    import xlrd
    sheet = xlrd.open_workbook(path).sheet_by_index(0)
    assert [sheet.cell(0, c).value for c in range(4)] == ["Neuron 1", "Neuron 2", "Type", "Nbr"]
    send, recv = collections.Counter(), collections.Counter()
    for r in range(1, sheet.nrows):
        a, b, t, n = (sheet.cell(r, c).value for c in range(4))
        assert n == int(n) and n >= 0, (r, n)
        a, b, n = canon(a), canon(b), int(n)
        if n == 0:  # AVFL->VB01 Sp/Rp and FLPR->VB01 Sp say 0, beside S/R rows saying 1
            continue
        if t in ("S", "Sp"):
            send[(a, b)] += n
        elif t in ("R", "Rp"):
            recv[(b, a)] += n  # Neuron 1 receives from Neuron 2
        else:
            assert t in ("EJ", "NMJ"), t
    assert send == recv, "S/Sp and R/Rp disagree"
    assert all(a != b for a, b in send), "self-synapse"
    return send


def read_wang(path):
    """Neuron -> list of Wang et al. 2024 neurotransmitter strings (columns 21-23, as cect reads them)."""
    import openpyxl
    warnings.filterwarnings("ignore", "Unknown extension", UserWarning)  # harmless, from the xlsx
    sheet = openpyxl.load_workbook(path, read_only=True)["Supp File 2"]
    table = {}
    for row in sheet.iter_rows(min_row=5, values_only=True):
        name = row[2]
        if name is None:
            continue
        name = {"DB1/3": "DB1", "DB3/1": "DB3"}.get(name.strip(), name.strip())  # as cect maps them
        table[canon(name)] = [str(v).strip() for v in row[20:23] if v is not None and str(v).strip()]
    assert len(table) == 302, len(table)  # the hermaphrodite's 302 neurons, each once
    return table


def is_gaba(nts):
    """GABA flag: Wang 2024 lists GABA (or tentative *GABA), and no ACh or Glu.
    'GABA (uptake)' (AVF) is not release; SMD (ACh + *GABA) stays excitatory."""
    kinds = set()
    for s in nts:
        s = s.lstrip("*").strip()
        if s == "GABA":
            kinds.add("GABA")
        elif s.startswith("ACh"):
            kinds.add("ACh")
        elif s.startswith("Glu"):
            kinds.add("Glu")
    return "GABA" in kinds and not kinds & {"ACh", "Glu"}


def derive(data_dir):
    paths = {f: os.path.join(data_dir, f) for f in (CONNECT, NT)}
    for f, want in ((CONNECT, CONNECT_SHA), (NT, NT_SHA)):
        assert sha256(paths[f]) == want, f"{f}: unexpected content"
    send = read_varshney(paths[CONNECT])
    wang = read_wang(paths[NT])
    names = sorted({x for pair in send for x in pair}, key=natural_key)
    missing = [x for x in names if x not in wang]
    assert not missing, f"no neurotransmitter entry for {missing}"
    gaba = {x: is_gaba(wang[x]) for x in names}
    assert all(gaba[x] for x in CLASSIC_GABA), [x for x in CLASSIC_GABA if not gaba[x]]
    index = {x: i for i, x in enumerate(names)}
    edges = sorted(send.items(), key=lambda e: (index[e[0][0]], index[e[0][1]]))
    total = sum(send.values())

    out = [
        "# C. elegans hermaphrodite chemical synapses (Varshney, Chen, Paniagua, Hall & Chklovskii 2011,",
        "# PLoS Comput Biol 7: e1001066), as shipped in the C. elegans Connectome Toolbox",
        f"# (cect {CECT_VERSION} on PyPI, MIT licence, https://github.com/openworm/ConnectomeToolbox):",
        f"#   cect/data/{CONNECT} sha256 {CONNECT_SHA}",
        "# GABA flags from the neurotransmitter atlas of Wang et al. 2024 (eLife 13: RP95402), also in cect:",
        f"#   cect/data/{NT} sha256 {NT_SHA}",
        "# Written by tools/connectome/derive.py; see data/PROVENANCE.md. Do not edit by hand.",
        "# Edges: Type S and Sp (sent by 'pre'), Nbr summed per ordered pair; R/Rp (the same synapses",
        "# seen from the receiver) agree exactly and are not counted again; EJ and NMJ left out.",
        "# Neurons: every neuron with >= 1 chemical synapse, natural name order, VA01 written VA1.",
        "# GABA flag 1: Wang 2024 lists GABA (or tentative *GABA) and neither ACh nor Glu. The text",
        "# after '#' on a neuron line is Wang's neurotransmitter column(s), for reference.",
        f"neurons {len(names)}",
    ]
    for x in names:
        out.append(f"{x} {int(gaba[x])} # {' | '.join(wang[x]) or '-'}")
    out.append(f"edges {len(edges)} synapses {total}")
    for (a, b), n in edges:
        out.append(f"{a} {b} {n}")
    text = "\n".join(out) + "\n"
    stats = dict(neurons=len(names), pairs=len(edges), synapses=total, gaba=sum(gaba.values()),
                 gaba_names=[x for x in names if gaba[x]])
    return text, stats


def write_or_check(out, text, check):
    """Writes the derived table, or with --check compares it with the committed one (exit 1 if it differs)."""
    if check:
        with open(out) as f:
            same = f.read() == text
        print("matches" if same else f"DIFFERS from {out}", file=sys.stderr)
        sys.exit(0 if same else 1)
    with open(out, "w", newline="\n") as f:
        f.write(text)
    print(f"wrote {out} ({len(text.encode())} bytes)", file=sys.stderr)


def rerun_in_venv(script, requirements, args):
    """Runs `script --site SITE args` in a throwaway venv holding the hash-pinned `requirements`
    (--no-deps: only the packages' files are read); returns its exit status."""
    with tempfile.TemporaryDirectory() as tmp:
        venv = os.path.join(tmp, "venv")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        py = os.path.join(venv, "bin", "python")
        req = os.path.join(tmp, "requirements.txt")
        with open(req, "w") as f:
            f.write(requirements)
        subprocess.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "--no-deps", "--require-hashes", "-r", req], check=True)
        site = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              check=True, capture_output=True, text=True).stdout.strip()
        return subprocess.run([py, os.path.abspath(script), "--site", site] + args).returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    ap.add_argument("--site", help="site-packages holding an installed cect (skips the venv)")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    if args.site is None:
        sys.exit(rerun_in_venv(__file__, REQUIREMENTS, ["--out", args.out] + (["--check"] if args.check else [])))
    sys.path.insert(0, args.site)
    text, stats = derive(os.path.join(args.site, "cect", "data"))
    print(f"cect {CECT_VERSION}: {stats['neurons']} neurons, {stats['pairs']} ordered pairs, "
          f"{stats['synapses']} synapses, {stats['gaba']} GABAergic: {' '.join(stats['gaba_names'])}",
          file=sys.stderr)
    write_or_check(args.out, text, args.check)


if __name__ == "__main__":
    main()
