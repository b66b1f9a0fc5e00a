#!/usr/bin/env bash
# Every test: formatting and lints, the native engine, then the wasm build against native, then the page in headless Chromium.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")"
# Chromium, the wasm toolchain, wasm-bindgen and playwright-core where missing (a no-op once installed).
tools/install-deps.sh
echo "test.sh: cargo fmt --check (the engine and the Python extension)" >&2
cargo fmt --check
cargo fmt --check --manifest-path python/Cargo.toml
echo "test.sh: cargo clippy --release --all-targets -- -D warnings" >&2
cargo clippy --release --all-targets -- -D warnings
echo "test.sh: cargo test --release" >&2
cargo test --release
echo "test.sh: cargo build --release (the native CLI the parity tests compare against)" >&2
cargo build --release
./build.sh
# Explicit file lists: Node 20 searches a directory argument, but Node 21+ take globs instead.
# --test-force-exit: a test that fails midway can leave a server or browser of its own open, which
# would keep its file's process alive for ever (a CI run once hung so until its time ran out);
# --test-timeout: a stuck test fails after 10 minutes instead of waiting (the longest takes ~3).
js_tests=(tests/wasm/*.test.mjs tests/browser/*.test.mjs)
if [ ${#js_tests[@]} -gt 0 ]; then
  echo "test.sh: node --test ${js_tests[*]}" >&2
  node --test --test-force-exit --test-timeout=600000 "${js_tests[@]}"
fi
# The Python package (built into .venv from this checkout), against the command line built above; the
# Slurm test starts a single-node cluster (tools/install-deps.sh installs it) and must not skip.
python=$(tools/python-env.sh)
echo "test.sh: pytest python/tests" >&2
RICHLAZY_SLURM=1 "$python" -m pytest -q python/tests
echo "test.sh: all passed" >&2
