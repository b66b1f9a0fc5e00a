#!/usr/bin/env bash
# Installs what building and testing need, skipping what is already there:
# a wasm32 Rust toolchain (rustup's target if present, else Debian's
# rustc-web with the std source, built with -Zbuild-std), the wasm-bindgen
# CLI matching Cargo.lock, Debian's chromium, and the npm test packages.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_pkgs=()
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  for p in rustc-web cargo-web rust-web-src lld; do dpkg -s "$p" >/dev/null 2>&1 || apt_pkgs+=("$p"); done
fi
command -v chromium >/dev/null || apt_pkgs+=(chromium)
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${apt_pkgs[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_pkgs[@]}" >/dev/null
fi

want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$want" != "$have" ]; then
  echo "install-deps: cargo install wasm-bindgen-cli $want (a few minutes)"
  # Not --locked: the CLI's own lock file pins a webpki-roots release that the registry no longer serves.
  cargo install -q wasm-bindgen-cli --version "$want"
fi

[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
echo "install-deps: ready"
