#!/usr/bin/env python3
"""Derive data/digits.bin from scikit-learn's bundled 8x8 handwritten digits.

Run from anywhere (needs python3 >= 3.8 and PyPI through pip):

    python3 tools/digits/derive.py            # rewrites data/digits.bin
    python3 tools/digits/derive.py --check    # exits 1 if the committed file differs
    python3 tools/digits/derive.py --wheel W  # uses an already downloaded wheel W

It downloads the pinned scikit-learn wheel below (`pip download --no-deps
--only-binary=:all:`, never installed or imported), checks its sha256, reads
`sklearn/datasets/data/digits.csv.gz` out of it (checking that file's sha256 too) and
writes 1797 records of 65 bytes: the 64 pixels (row-major 8x8, integers 0..16) and then
the digit 0..9, in the csv's order. Nothing else is changed; the scaling of the pixels is
the engine's (src/regimes/phase/digits.rs). See data/PROVENANCE.md.
"""
import argparse
import gzip
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile

VERSION = "1.5.2"
WHEEL = f"scikit_learn-{VERSION}-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
WHEEL_SHA256 = "f8b0ccd4a902836493e026c03256e8b206656f91fbcc4fde28c57a5b752561f1"
CSV = "sklearn/datasets/data/digits.csv.gz"
CSV_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "digits.bin")
N, D = 1797, 64


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def fetch_wheel(tmp):
    # The wheel's platform tag only names the compiled parts; the csv is the same in every wheel
    # of this version, but the hash pins this one file, so ask pip for exactly it.
    subprocess.run([sys.executable, "-m", "pip", "download", f"scikit-learn=={VERSION}", "--no-deps",
                    "--only-binary=:all:", "--python-version", "3.11", "--platform", "manylinux2014_x86_64",
                    "--implementation", "cp", "-d", tmp], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(tmp, WHEEL)


def derive(wheel):
    raw = open(wheel, "rb").read()
    if sha256(raw) != WHEEL_SHA256:
        sys.exit(f"{wheel}: sha256 {sha256(raw)} is not the pinned {WHEEL_SHA256}")
    gz = zipfile.ZipFile(wheel).read(CSV)
    if sha256(gz) != CSV_SHA256:
        sys.exit(f"{CSV}: sha256 {sha256(gz)} is not the pinned {CSV_SHA256}")
    rows = gzip.decompress(gz).decode("ascii").split()
    assert len(rows) == N, len(rows)
    out = bytearray()
    for r in rows:
        v = [float(s) for s in r.split(",")]
        assert len(v) == D + 1 and all(x == int(x) for x in v), r
        pixels, label = [int(x) for x in v[:D]], int(v[D])
        assert all(0 <= p <= 16 for p in pixels) and 0 <= label <= 9, r
        out += bytes(pixels) + bytes([label])
    return bytes(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--wheel")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = derive(a.wheel or fetch_wheel(tmp))
    print(f"{len(data)} bytes, sha256 {sha256(data)}")
    if a.check:
        same = open(OUT, "rb").read() == data
        print("data/digits.bin is " + ("identical" if same else "DIFFERENT"))
        sys.exit(0 if same else 1)
    open(OUT, "wb").write(data)


if __name__ == "__main__":
    main()
