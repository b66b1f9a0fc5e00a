#!/usr/bin/env bash
# Every test: the native engine, then the wasm build against native, then the page in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")"
cargo test --release
cargo build --release
./build.sh
node --test tests/wasm/ tests/browser/
