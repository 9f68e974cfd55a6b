#!/usr/bin/env bash
# Installs the build into a temporary prefix, builds a separate project against it with
# find_package(wasmhop), and runs it on a guest script.
set -euo pipefail
build_dir=$1 source_dir=$2 guest=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$source_dir/tests/install/consumer" -B "$work/build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release > "$work/configure.log"
cmake --build "$work/build" > "$work/build.log"
"$work/build/consumer" "$guest"
