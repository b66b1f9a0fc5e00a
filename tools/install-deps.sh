#!/usr/bin/env bash
# Installs what building and testing need, skipping what is already there (safe to rerun):
#   - a wasm32 Rust toolchain: nothing if rustup's wasm32-unknown-unknown target is installed, else
#     Debian's rustc-web, cargo-web, rust-web-src and lld (build.sh then builds std with -Zbuild-std);
#   - Debian's chromium (headless browser tests);
#   - Debian's slurm-wlm and munge (the Python tests submit a sweep's shards to a single-node Slurm);
#   - the wasm-bindgen CLI at exactly the wasm-bindgen version in Cargo.lock;
#   - the npm packages of package-lock.json (playwright-core, driving /usr/bin/chromium);
#   - rustfmt and clippy (test.sh checks formatting and lints), through rustup where it is there.
# `tools/install-deps.sh build` installs only what ./build.sh needs (no browser, no npm).
# build.sh and test.sh call it, so a fresh machine needs nothing beyond the README's two commands.
set -euo pipefail
only_build=false
[ "${1:-}" = build ] && only_build=true
cd "$(dirname "$0")/.."
say() { echo "install-deps: $*" >&2; }

apt_pkgs=()
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  for p in rustc-web cargo-web rust-web-src lld; do dpkg -s "$p" >/dev/null 2>&1 || apt_pkgs+=("$p"); done
fi
$only_build || [ -x /usr/bin/chromium ] || apt_pkgs+=(chromium)
$only_build || [ -x /usr/sbin/slurmctld ] || apt_pkgs+=(slurm-wlm munge)
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  say "apt-get install ${apt_pkgs[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}" >/dev/null
fi

want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$want" != "$have" ]; then
  say "cargo install wasm-bindgen-cli --version $want (about 3-5 minutes on 2 cores)"
  # --locked first; it fails at once here because the CLI's own lock file pins webpki-roots 1.0.11,
  # which this registry does not serve, so fall back to resolving the CLI's dependencies afresh.
  cargo install -q wasm-bindgen-cli --version "$want" --locked 2>/dev/null ||
    cargo install -q wasm-bindgen-cli --version "$want"
fi

if $only_build; then
  say "ready to build: $(wasm-bindgen --version)"
  exit 0
fi

components=()
cargo fmt --version >/dev/null 2>&1 || components+=(rustfmt)
cargo clippy --version >/dev/null 2>&1 || components+=(clippy)
if [ ${#components[@]} -gt 0 ]; then
  if command -v rustup >/dev/null; then
    say "rustup component add ${components[*]}"
    rustup component add "${components[@]}"
  else
    say "no rustup to add ${components[*]} with (test.sh needs cargo fmt and cargo clippy)"
    exit 1
  fi
fi

pw_want=$(node -p "require('./package-lock.json').packages['node_modules/playwright-core'].version")
pw_have=$(node -p "require('./node_modules/playwright-core/package.json').version" 2>/dev/null || true)
if [ "$pw_want" != "$pw_have" ]; then
  say "npm ci (playwright-core $pw_want)"
  npm ci --no-audit --no-fund
fi
say "ready: $(wasm-bindgen --version), $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium ?'), playwright-core $pw_want"
