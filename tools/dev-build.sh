#!/usr/bin/env bash
# Incremental development build without pip: builds into BUILD_DIR (default
# build/dev) and lays out BUILD_DIR/pkg/trueno = src/trueno's files (links) +
# the freshly built _core module. Then: PYTHONPATH=BUILD_DIR/pkg python ...
# Separate BUILD_DIRs let several people build side by side.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$root/build/dev}")
pkg=$build/pkg/trueno
mkdir -p "$pkg"
find "$pkg" -maxdepth 1 -type l -delete
for f in "$root"/src/trueno/*; do ln -sfn "$f" "$pkg/$(basename "$f")"; done
# ccache, where installed, lets side-by-side build dirs share compiled objects.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" \
  -DTRUENO_DEV_PACKAGE_DIR="$pkg" -DPython_EXECUTABLE="$(command -v python3)" >/dev/null
ninja -C "$build" -j "${JOBS:-2}" _core
echo "PYTHONPATH=$build/pkg"
