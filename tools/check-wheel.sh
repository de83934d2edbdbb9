#!/usr/bin/env bash
# CI check of the binary wheel (.ci/run runs it after the tests): builds the
# wheel for the python3 on PATH (tools/build-wheel.sh), installs it into a new
# venv with nothing but its dependencies from PyPI, and proves that Highway
# comes from the wheel and not from the system:
#   1. every library `ldd` lists for the installed module, except the C and
#      C++ runtimes and OpenBLAS (the scipy-openblas32 wheel, loaded by path
#      at import), lies inside the venv's site-packages;
#   2. tools/wheel_smoke.py (every ISA target, a few functions per section)
#      passes with every system libhwy*.so* unreachable: inside a private
#      mount namespace (unshare --mount, as root) an empty file is
#      bind-mounted over each. The mounts live only in that namespace and end
#      with it, so the system is untouched whatever happens here.
#
#   tools/check-wheel.sh [WHEEL]    (a wheel built already: checks it as is)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/trueno-check-wheel.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ $# -gt 0 ]; then
  wheels=("$(realpath "$1")")
else
  WHEEL_DIR=$work/dist bash "$root/tools/build-wheel.sh" python3
  wheels=("$work"/dist/trueno-*.whl)
fi
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check "${wheels[0]}"
py=$work/venv/bin/python
site=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
modules=("$site"/trueno/_core*.so)
echo "installed: ${wheels[0]##*/} -> $site"

# 1. What the dynamic loader resolves for the module, seen from outside.
runtime='^(linux-vdso\.so|/lib64/ld-linux|ld-linux|libc\.so|libm\.so|libstdc\+\+\.so|libgcc_s\.so|libpthread\.so|libdl\.so|librt\.so)'
bad=0 bundled=0
while read -r name arrow path _; do
  [[ $name =~ $runtime ]] && continue
  [[ $name == libscipy_openblas.so ]] && continue
  if [[ $arrow == "=>" && $path == "$site"/* ]]; then
    [[ $name == libhwy* ]] && bundled=$((bundled + 1))
  else
    echo "ERROR: ${modules[0]##*/} needs $name, resolved outside the wheel: $arrow $path"
    bad=1
  fi
done < <(ldd "${modules[0]}")
if [ "$bundled" -lt 2 ]; then
  echo "ERROR: expected libhwy and libhwy_contrib from the wheel's trueno.libs/"; bad=1
fi
[ "$bad" -eq 0 ] || { ldd "${modules[0]}"; exit 1; }
echo "ldd: all non-runtime libraries from the wheel ($bundled Highway libraries bundled)"
# (Docker-style images may drop /usr/share/doc: then there is none to ship.)
if compgen -G "/usr/share/doc/libhwy*/copyright" > /dev/null; then
  for license in highway-copyright.txt highway-Apache-2.0.txt; do
    [ -s "$site/trueno/licenses/$license" ] || {
      echo "ERROR: the wheel lacks trueno/licenses/$license for the Highway it bundles"; exit 1; }
  done
  echo "licences: Highway's copyright and Apache-2.0 text in trueno/licenses/"
else
  echo "WARNING: this machine has no Highway copyright file to ship in the wheel"
fi

# 2. The smoke test with the system's Highway out of reach. Each real file
# once (the .so and .so.1 names are links to it); /lib is /usr/lib on Debian.
hidden=()
for f in /lib*/libhwy*.so* /lib*/*-linux-gnu/libhwy*.so* /usr/lib*/libhwy*.so* \
         /usr/lib*/*-linux-gnu/libhwy*.so* /usr/local/lib*/libhwy*.so*; do
  [ -e "$f" ] || continue
  real=$(realpath "$f")
  [[ " ${hidden[*]} " == *" $real "* ]] || hidden+=("$real")
done
echo "system Highway files to hide: ${hidden[*]:-(none)}"
: > "$work/empty"
cd "$work"  # not the source tree: only the installed trueno can be imported
unshare --mount --propagation private bash -euo pipefail -c '
  empty=$1 py=$2 smoke=$3; shift 3
  for f in "$@"; do mount --bind "$empty" "$f"; done
  # Proof that the hiding works: the system library cannot be loaded now.
  if [ $# -gt 0 ] && python3 -c "import ctypes; ctypes.CDLL(\"libhwy.so.1\")" 2>/dev/null; then
    echo "ERROR: libhwy.so.1 still loads from the system"; exit 1
  fi
  "$py" -m trueno
  "$py" "$smoke"
' check-wheel "$work/empty" "$py" "$root/tools/wheel_smoke.py" "${hidden[@]}"
echo "check-wheel: passed in $((SECONDS - start)) s"
