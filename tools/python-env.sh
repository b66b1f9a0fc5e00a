#!/usr/bin/env bash
# The Python package in a virtual environment at .venv (from PyPI and crates.io alone; safe to rerun):
# maturin, numpy and the tests' packages (nbformat, nbclient and ipykernel execute the exported
# notebooks), then `pip install ./python`, which builds the extension from this checkout's engine.
# Prints the environment's python.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "python-env: $*" >&2; }
[ -x .venv/bin/python ] || { say "python3 -m venv .venv"; python3 -m venv .venv; }
.venv/bin/python -m pip install -q --disable-pip-version-check maturin numpy pytest matplotlib tqdm nbformat nbclient ipykernel
say "pip install ./python (builds the extension with the engine's release profile: a few minutes on 2 cores)"
# The engine's target folder, so that its dependencies compiled for the command line are reused.
CARGO_TARGET_DIR="$PWD/target" .venv/bin/python -m pip install -q --disable-pip-version-check ./python
echo "$PWD/.venv/bin/python"
