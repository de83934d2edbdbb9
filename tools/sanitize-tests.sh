#!/usr/bin/env bash
# Builds trueno with AddressSanitizer + UndefinedBehaviorSanitizer
# (-DTRUENO_SANITIZE=ON) into its own build dir and runs the whole test suite
# under it. Exits non-zero if pytest fails or if either sanitizer reported
# anything, in this process or in any child (the fuzz CLI's worker, say).
#
#   tools/sanitize-tests.sh [BUILD_DIR] [-- PYTEST_ARGS...]
#   (BUILD_DIR defaults to build/asan; PYTEST_ARGS to "tests conformance")
#
# CPython is not instrumented, so libasan is preloaded (it must be the first
# library loaded, libstdc++ right after it) and leak detection is off: the interpreter keeps memory
# alive at exit on purpose and LeakSanitizer would report all of it.
# tests/test_leaks.py measures leaks instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$root/build/asan}")
shift $(( $# > 0 ? 1 : 0 ))
[[ "${1:-}" == "--" ]] && shift
pytest_args=("$@")
(( ${#pytest_args[@]} )) || pytest_args=(tests conformance)

# The option lives in the CMake cache; dev-build.sh then configures the rest
# and builds incrementally like any other dev build.
cmake -S "$root" -B "$build" -G Ninja -DTRUENO_SANITIZE=ON >/dev/null
"$root/tools/dev-build.sh" "$build"

libasan=$("${CXX:-c++}" -print-file-name=libasan.so)
[[ -e "$libasan" ]] || { echo "libasan.so not found (via ${CXX:-c++})" >&2; exit 2; }
# libstdc++ too: python3 does not link it, and ASan must find the real
# __cxa_throw when it starts ("CHECK failed: real___cxa_throw != 0" otherwise).
libstdcxx=$("${CXX:-c++}" -print-file-name=libstdc++.so)
reports=$build/sanitizer-reports
rm -rf "$reports" && mkdir -p "$reports"

# allocator_may_return_null: a request for 2**62 bytes must fail as
# MemoryError (what the tests check), not abort as ASan does by default;
# max_allocation_size_mb: ASan's allocator would grant (and the kernel then
# OOM-kill) a 16 GiB request that glibc's malloc refuses on this machine.
# Reports go to files (one per process) as well as aborting the process, so a
# report from a child process that the parent tolerated still fails the run.
export LD_PRELOAD="$libasan $libstdcxx"
export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:max_allocation_size_mb=8192:abort_on_error=1:halt_on_error=1:log_path=$reports/asan:strict_string_checks=0:detect_stack_use_after_return=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
export PYTHONPATH=$build/pkg

status=0
(cd "$root" && python3 -m pytest -q -p no:cacheprovider "${pytest_args[@]}") || status=$?

# Report files also collect harmless warnings ("failed to allocate" for the
# refused huge requests); errors are what fail the run.
if compgen -G "$reports/*" >/dev/null && grep -lE "ERROR: |runtime error:|SUMMARY: " "$reports"/* >/dev/null; then
  echo "== sanitizer reports ==" >&2
  grep -lE "ERROR: |runtime error:|SUMMARY: " "$reports"/* | xargs cat >&2
  echo "FAIL: sanitizer errors reported, see $reports" >&2
  exit 1
fi
if (( status )); then
  # A UBSan report can end the process inside pytest's captured stderr
  # without a report file: rerun the last test shown with -s to see it.
  echo "FAIL: pytest exited $status (no sanitizer report file; rerun the test that stopped it with -s)" >&2
  exit "$status"
fi
echo "OK: test suite passed under ASan+UBSan, 0 sanitizer reports"
