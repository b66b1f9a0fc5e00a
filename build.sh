#!/usr/bin/env bash
# Builds the self-contained static site into dist/ (relative URLs only, so any static host works).
#   ./build.sh              build
#   ./build.sh serve [PORT] build, then serve dist/ on http://127.0.0.1:PORT/ (default 8080)
# Toolchain: rustup's wasm32-unknown-unknown target where installed; otherwise Debian's rustc-web,
# rust-web-src and lld, building std from source (shared/spec/wasm-build.md). tools/install-deps.sh
# installs either, plus the wasm-bindgen CLI at the version Cargo.lock pins.
set -euo pipefail
cd "$(dirname "$0")"

case "${1:-}" in
  '' | serve) ;;
  *) echo "usage: ./build.sh [serve [PORT]]" >&2; exit 2 ;;
esac

step() { echo "build.sh: $*" >&2; }
# Installs the wasm toolchain and wasm-bindgen CLI where missing (a no-op once they are there).
tools/install-deps.sh build
target=wasm32-unknown-unknown
# Its own target dir: the wasm build's flags differ from the native build's, so sharing one would
# make each rebuild the other's dependencies.
export CARGO_TARGET_DIR=target/wasm

step "1/3 cargo build --release --target $target --lib"
if rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  RUSTFLAGS='-C target-feature=+simd128 --cfg getrandom_backend="wasm_js"' cargo build --release --target "$target" --lib
elif [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ] && command -v wasm-ld >/dev/null; then
  # Offline route: Debian's rustc builds std for wasm32 from source (about 1-2 minutes the first time).
  # getrandom (the page's "new seed" button) takes its Web Crypto backend from this cfg flag.
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS='-C linker=wasm-ld -C target-feature=+simd128 --cfg getrandom_backend="wasm_js"' \
    /usr/bin/cargo build --release --target "$target" --lib -Zbuild-std=std,panic_abort
else
  cat >&2 <<'MSG'
build.sh: no Rust toolchain for wasm32-unknown-unknown. Either
  rustup target add wasm32-unknown-unknown                        (where rustup can download), or
  apt-get install -y rustc-web cargo-web rust-web-src lld          (Debian 12; offline -Zbuild-std route)
or run tools/install-deps.sh, which installs whichever applies plus the wasm-bindgen CLI and npm packages.
MSG
  exit 1
fi
wasm="$CARGO_TARGET_DIR/$target/release/richlazy.wasm"

want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ -z "$want" ]; then
  echo "build.sh: Cargo.lock names no wasm-bindgen version" >&2
  exit 1
fi
if [ "$want" != "$have" ]; then
  echo "build.sh: the wasm-bindgen CLI is '${have:-missing}' but Cargo.lock pins wasm-bindgen $want; they must match." >&2
  echo "  install it with: cargo install wasm-bindgen-cli --version $want   (or run tools/install-deps.sh)" >&2
  exit 1
fi

step "2/3 wasm-bindgen $have --target web -> dist/pkg"
rm -rf dist
mkdir -p dist
wasm-bindgen --target web --no-typescript --out-dir dist/pkg "$wasm"

step "3/3 assemble dist/ (index.html, www/)"
cp index.html dist/
cp -r docs dist/  # the page's fold-outs link docs/*.md
if [ -d www ]; then cp -r www dist/; fi
# The article view's figures draw from the command line's stored results (fetched as each section opens).
mkdir -p dist/results && cp results/*.json dist/results/
# The MNIST files, fetched by the page only when sMNIST is chosen.
mkdir -p dist/data && cp -r data/mnist dist/data/
step "site in dist/ ($(du -sh dist | cut -f1); wasm $(du -h dist/pkg/richlazy_bg.wasm | cut -f1))"

if [ "${1:-}" = serve ]; then
  port=${2:-8080}
  step "serving dist/ at http://127.0.0.1:$port/  (Ctrl-C stops)"
  # http.server takes .wasm's type from the mimetypes table; pin the module types anyway, since a
  # module script or worker served with another type fails to load.
  exec python3 - "$port" <<'PY'
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      '.wasm': 'application/wasm', '.js': 'text/javascript', '.mjs': 'text/javascript',
                      '.json': 'application/json'}
http.server.test(HandlerClass=functools.partial(Handler, directory='dist'),
                 ServerClass=http.server.ThreadingHTTPServer, port=int(sys.argv[1]), bind='127.0.0.1')
PY
fi
