#!/usr/bin/env bash
# Installs every Debian package wasmhop needs. Idempotent: re-running installs nothing new.
# Usage (as root on Debian 12): scripts/setup.sh
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

packages=(
  # host toolchain and build
  build-essential cmake ninja-build pkg-config git ca-certificates
  # guest toolchain: clang for wasm32-wasi (reactor modules) and the wasm libc/libc++
  clang lld wasi-libc libc++-14-dev-wasm32 libc++abi-14-dev-wasm32 libclang-rt-14-dev-wasm32
  # engines: wabt (interpreter, wasm2c, wat2wasm) and V8 through libnode
  wabt libnode-dev
  # libraries
  libcli11-dev libfmt-dev nlohmann-json3-dev libexpected-dev libboost-dev
  libflatbuffers-dev flatbuffers-compiler
  zlib1g-dev libzstd-dev libxxhash-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  # plots
  python3 python3-matplotlib
  chromium  # headless screenshots of the suite's report.html
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "setup.sh: all ${#packages[@]} packages already installed"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "setup.sh: missing packages (${missing[*]}); run as root to install them" >&2
  exit 2
fi
echo "setup.sh: installing ${missing[*]}"
apt-get update -qq

# libnode-dev depends on Debian's own nodejs. Machines that carry a third-party nodejs (a newer
# version from another archive) make apt refuse (node-acorn's dependency cannot be met), so we
# install Debian's nodejs explicitly, allowing the downgrade.
extra=()
if [[ " ${missing[*]} " == *" libnode-dev "* ]]; then
  # The first version apt-cache madison lists from a Debian archive (security updates first).
  debian_node=$(apt-cache madison nodejs | awk -F'|' '$3 ~ /debian/ {gsub(/ /, "", $2); print $2; exit}')
  if [[ -n $debian_node ]]; then
    extra+=("nodejs=$debian_node")
  fi
fi
apt-get install -y -qq --no-install-recommends --allow-downgrades "${missing[@]}" "${extra[@]}"
echo "setup.sh: done"
