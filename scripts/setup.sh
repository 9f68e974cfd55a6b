#!/usr/bin/env bash
# Installs every Debian package wasmhop needs, and V8 (libnode) into a prefix of its own.
# Idempotent: re-running installs nothing new. Never removes or downgrades what the machine has.
# Usage (as root on Debian 12): scripts/setup.sh
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

packages=(
  # host toolchain and build
  build-essential cmake ninja-build pkg-config git ca-certificates
  # guest toolchain: clang for wasm32-wasi (reactor modules) and the wasm libc/libc++
  clang lld wasi-libc libc++-14-dev-wasm32 libc++abi-14-dev-wasm32 libclang-rt-14-dev-wasm32
  # engines: wabt (interpreter, wasm2c, wat2wasm); the plain libraries libnode (V8) links
  wabt libbrotli1 libc-ares2 libicu72 libnghttp2-14 libssl3 libuv1 libssl-dev libuv1-dev
  # engines built with cargo: bindgen needs libclang (wasm3, WAMR); Wasmer's LLVM backend LLVM 15
  libclang-dev llvm-15-dev
  # libraries
  libcli11-dev libfmt-dev nlohmann-json3-dev libexpected-dev libboost-dev
  libflatbuffers-dev flatbuffers-compiler
  zlib1g-dev libzstd-dev libxxhash-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  # plots
  python3 python3-matplotlib
  chromium  # headless screenshots of the suite's report.html
)

# V8 comes from Debian's libnode108 + libnode-dev, unpacked into this prefix instead of installed:
# libnode108 depends (through node-acorn & co.) on Debian's own nodejs, and installing it would
# replace a newer nodejs the machine carries and leave npm missing. cmake/FindV8.cmake looks here.
libnode_prefix=${WASMHOP_LIBNODE_PREFIX:-/opt/wasmhop/libnode}

have_system_libnode() { dpkg-query -W -f='${Status}' libnode-dev 2>/dev/null | grep -q 'install ok installed'; }
have_libnode() { have_system_libnode || [[ -f $libnode_prefix/usr/include/node/v8.h ]]; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]} > 0)) || ! have_libnode; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup.sh: missing packages (${missing[*]:-libnode into $libnode_prefix}); run as root to install them" >&2
    exit 2
  fi
  apt-get update -qq
fi

if ((${#missing[@]} > 0)); then
  echo "setup.sh: installing ${missing[*]}"
  # No --allow-downgrades, no removals: apt refuses rather than touch what the machine has.
  apt-get install -y -qq --no-install-recommends --no-remove "${missing[@]}"
else
  echo "setup.sh: all ${#packages[@]} packages already installed"
fi

if ! have_libnode; then
  echo "setup.sh: unpacking Debian's libnode108 + libnode-dev (V8) into $libnode_prefix"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  chmod 755 "$work"  # apt downloads as _apt
  (cd "$work" && apt-get download -qq libnode108 libnode-dev)
  mkdir -p "$libnode_prefix.tmp"
  for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$libnode_prefix.tmp"; done
  rm -rf "$libnode_prefix" && mv "$libnode_prefix.tmp" "$libnode_prefix"
fi

# Engines from crates.io (Wasmtime, Wasmer, WAMR, wasm3, wasmi) need cargo with rustc >= 1.95;
# without it the rest builds and `wasmhop engines` names the reason.
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup.sh: cargo not found: the Wasmtime, Wasmer, WAMR, wasm3 and wasmi engines will not be built"
elif ! rustc --version | awk '{split($2, v, "."); exit !(v[1] > 1 || v[2] >= 95)}'; then
  echo "setup.sh: $(rustc --version) is older than 1.95: the engines built with cargo will not be built"
fi
echo "setup.sh: done"
