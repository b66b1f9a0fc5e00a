#!/usr/bin/env bash
# Builds the self-contained static site into dist/.
#   ./build.sh              build
#   ./build.sh serve [PORT] build, then serve dist/ on http://127.0.0.1:PORT/ (default 8080)
set -euo pipefail
cd "$(dirname "$0")"

target=wasm32-unknown-unknown
export CARGO_TARGET_DIR=target/wasm
if rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  RUSTFLAGS='-C target-feature=+simd128' cargo build --release --target "$target" --lib
elif [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ] && command -v wasm-ld >/dev/null; then
  # Offline route (shared/spec/wasm-build.md): Debian's rustc builds std for wasm32 from source.
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS='-C linker=wasm-ld -C target-feature=+simd128' \
    /usr/bin/cargo build --release --target "$target" --lib -Zbuild-std=std,panic_abort
else
  echo "build.sh: no wasm32 Rust toolchain; run tools/install-deps.sh" >&2
  exit 1
fi

want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$want" != "$have" ]; then
  echo "build.sh: wasm-bindgen CLI '${have:-missing}' must equal the crate's $want: cargo install wasm-bindgen-cli --version $want" >&2
  exit 1
fi

rm -rf dist
mkdir -p dist
wasm-bindgen --target web --no-typescript --out-dir dist/pkg "$CARGO_TARGET_DIR/$target/release/richlazy.wasm"
cp index.html dist/
cp -r www dist/
echo "build.sh: site in dist/ ($(du -sh dist | cut -f1))"

if [ "${1:-}" = serve ]; then
  port=${2:-8080}
  echo "build.sh: serving at http://127.0.0.1:$port/"
  exec python3 -m http.server --bind 127.0.0.1 --directory dist "$port"
fi
