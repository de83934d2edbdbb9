"""Run the official array API conformance suite against trueno.

    TRUENO_CONFORMANCE_SUITE=/path/to/array-api-tests python conformance/run.py [pytest args]
    TRUENO_CONFORMANCE_SUITE=... python conformance/run.py --deep     # 1000 examples, three seeds

The suite (data-apis/array-api-tests, not on PyPI) lives outside this work
tree; lay it out with ../shared/tools/conformance-suite.sh. The run uses spec
2025.12 with `--max-examples 20 --derandomize --disable-deadline`, extensions
linalg and fft enabled, and conformance/xfails.txt. It ends with one line:
`P passed, F failed, S skipped` (xfailed/xpassed counted apart).

`--deep` runs `--max-examples 1000` once per recorded seed (DEEP_SEEDS) instead,
a line per seed and the summary line over all of them; 20 examples is shallow
(clip with a bound larger than x showed at 300).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEEP_SEEDS = (11, 12, 13)


def read_xfails(path: Path) -> list[tuple[str, str]]:
    """Entries `TEST_ID  # reason`; every entry must carry a reason."""
    entries = []
    for lineno, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        test_id, sep, reason = line.partition("#")
        if not sep or not reason.strip():
            raise SystemExit(f"{path}:{lineno}: xfail entry without a reason: {line!r}")
        entries.append((test_id.strip(), reason.strip()))
    return entries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", default=os.environ.get("TRUENO_CONFORMANCE_SUITE"),
                        help="path of the array-api-tests checkout (or TRUENO_CONFORMANCE_SUITE)")
    parser.add_argument("--xfails", default=str(HERE / "xfails.txt"))
    parser.add_argument("--report", default=None, help="write the JSON report here (of the last run)")
    parser.add_argument("--deep", action="store_true",
                        help=f"1000 examples for each of the seeds {DEEP_SEEDS} instead of 20 derandomized")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    if not args.suite or not Path(args.suite, "array_api_tests").is_dir():
        print("conformance/run.py: set TRUENO_CONFORMANCE_SUITE (or --suite) to an array-api-tests "
              "checkout made with ../shared/tools/conformance-suite.sh", file=sys.stderr)
        return 2
    xfails = read_xfails(Path(args.xfails))
    runs = ([["--max-examples", "1000", f"--hypothesis-seed={seed}"] for seed in DEEP_SEEDS] if args.deep
            else [["--max-examples", "20", "--derandomize"]])
    total, returncode = Counter(), 0
    for sampling in runs:
        outcomes, rc = run_suite(args, xfails, sampling)
        if args.deep:
            print(f"{' '.join(sampling)}: {summary(outcomes)}")
        total += outcomes
        returncode = returncode or rc
    print(summary(total, detail=True))
    return returncode


def run_suite(args, xfails, sampling: list[str]) -> tuple[Counter, int]:
    with tempfile.TemporaryDirectory() as tmp:
        ids_file = Path(tmp, "xfails.txt")
        ids_file.write_text("".join(f"{test_id}\n" for test_id, _ in xfails))
        report = Path(args.report) if args.report else Path(tmp, "report.json")
        env = dict(os.environ, ARRAY_API_TESTS_MODULE="trueno", ARRAY_API_TESTS_VERSION="2025.12")
        cmd = [sys.executable, "-m", "pytest", "array_api_tests", "-q", "-p", "no:cacheprovider",
               *sampling, "--disable-deadline",
               "--xfails-file", str(ids_file), "--json-report", f"--json-report-file={report}",
               "--json-report-omit", "collectors", "log", "streams", "keywords",
               *args.pytest_args]
        proc = subprocess.run(cmd, cwd=args.suite, env=env)
        data = json.loads(report.read_text())
    return Counter(t["outcome"] for t in data.get("tests", [])), proc.returncode


def summary(outcomes: Counter, detail: bool = False) -> str:
    passed, failed, skipped = outcomes["passed"], outcomes["failed"] + outcomes["error"], outcomes["skipped"]
    line = f"{passed} passed, {failed} failed, {skipped} skipped"
    if not detail:
        return line
    total = passed + failed + skipped + outcomes["xfailed"] + outcomes["xpassed"]
    pct = 100.0 * passed / total if total else 0.0
    return f"xfailed {outcomes['xfailed']}, xpassed {outcomes['xpassed']}; {pct:.1f}% of {total} passed\n{line}"


if __name__ == "__main__":
    sys.exit(main())
