"""Fuzz trueno: ``python3 -m tests.fuzz --calls N [--seed S]`` (see README.md).

The calls run in a child process (``--worker``), so a crash or a hang cannot
take the run down with it: the supervisor reads the index of the call in
flight from a small shared file, reports seed and index of the call that
crashed or hung (``--replay`` runs just that call), and restarts the worker
after it.
"""
from __future__ import annotations

import argparse
import collections
import json
import mmap
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time

HEADER = struct.Struct("<qq")  # index of the call in flight, calls finished
DEFAULT_FOREIGN = 0.1  # harness.FOREIGN_P


def limit_memory(args):
    if "asan" not in os.environ.get("LD_PRELOAD", ""):
        # A runaway allocation must fail as MemoryError, not take the machine.
        import resource

        limit = args.memory_limit_gib << 30
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def worker(args):
    from . import harness

    limit_memory(args)
    harness.FOREIGN_P = args.foreign
    targets = harness.select_targets(args.only, args.skip)
    rng = harness.Rng()
    progress = None
    if args.progress:
        fd = os.open(args.progress, os.O_RDWR)
        progress = mmap.mmap(fd, HEADER.size)
    findings = open(args.findings, "a") if args.findings else None
    flipper = None
    if args.flip_settings:
        from .settings import SettingsFlipper

        flipper = SettingsFlipper().start()
    counts = collections.Counter()
    per_target = collections.defaultdict(collections.Counter)
    stop = args.start + args.calls
    for index in range(args.start, stop):
        if progress is not None:
            HEADER.pack_into(progress, 0, index, index - args.start)
        if index in args.crash_at:  # the supervisor's own test: die by a signal
            # (SIGKILL, not SIGSEGV: under tools/sanitize-tests.sh ASan would
            # report a deliberate SIGSEGV and fail the run)
            os.kill(os.getpid(), signal.SIGKILL)
        if index in args.hang_at:
            time.sleep(3600)
        try:
            out = harness.run_one(rng, args.seed, index, targets, verbose=args.verbose)
        except Exception as exc:  # a defect of the harness itself, not of trueno
            out = harness.Outcome("?", "harness_error", f"{type(exc).__name__}: {exc}", "")
            if args.verbose:
                raise
        counts[out.verdict] += 1
        per_target[out.target][out.verdict] += 1
        if out.verdict in harness.FINDINGS + ("harness_error",):
            rec = {"seed": args.seed, "index": index, "target": out.target, "verdict": out.verdict,
                   "detail": out.detail[:800], "call": out.description[:1500]}
            if findings:
                findings.write(json.dumps(rec) + "\n")
                findings.flush()
            if args.verbose:
                print(json.dumps(rec, indent=1))
        elif args.verbose:
            print(f"  -> {out.verdict}: {out.detail[:300]}")
    flips = flipper.stop() if flipper is not None else 0
    if progress is not None:
        HEADER.pack_into(progress, 0, stop, stop - args.start)
    summary = {"counts": dict(counts), "per_target": {k: dict(v) for k, v in per_target.items()},
               "flips": flips}
    if args.summary:
        with open(args.summary, "w") as f:
            json.dump(summary, f)
    return 0


def supervise(args):
    """Run calls [0, N) in child workers; restart after a crash or a hang."""
    tmp = tempfile.mkdtemp(prefix="trueno-fuzz-")
    # what --replay needs to pick the same call: the same targets and options
    replay_flags = "".join([f" --only {args.only}" if args.only else "",
                            f" --skip {args.skip}" if args.skip else "",
                            f" --foreign {args.foreign}" if args.foreign != DEFAULT_FOREIGN else "",
                            " --flip-settings" if args.flip_settings else ""])
    progress_path = os.path.join(tmp, "progress")
    findings_path = args.findings or os.path.join(tmp, "findings.jsonl")
    open(findings_path, "a").close()
    counts = collections.Counter()
    per_target = collections.defaultdict(collections.Counter)
    crashes = []
    flips = 0
    start = args.start
    stop = args.start + args.calls
    t0 = time.time()
    while start < stop:
        with open(progress_path, "wb") as f:
            f.write(HEADER.pack(-1, 0))  # -1 until the worker starts its first call
        summary_path = os.path.join(tmp, f"summary-{start}.json")
        cmd = [sys.executable, "-m", "tests.fuzz", "--worker", "--seed", str(args.seed),
               "--start", str(start), "--calls", str(stop - start), "--progress", progress_path,
               "--findings", findings_path, "--summary", summary_path,
               "--memory-limit-gib", str(args.memory_limit_gib)]
        if args.only:
            cmd += ["--only", args.only]
        if args.skip:
            cmd += ["--skip", args.skip]
        if args.foreign != DEFAULT_FOREIGN:
            cmd += ["--foreign", str(args.foreign)]
        if args.flip_settings:
            cmd.append("--flip-settings")
        for i in args.crash_at:
            cmd += ["--crash-at", str(i)]
        for i in args.hang_at:
            cmd += ["--hang-at", str(i)]
        proc = subprocess.Popen(cmd, cwd=os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))), stdout=subprocess.DEVNULL if not args.verbose else None)
        fd = os.open(progress_path, os.O_RDONLY)
        mm = mmap.mmap(fd, HEADER.size, prot=mmap.PROT_READ)
        last_index, last_change = -1, time.time()
        hung = False
        while proc.poll() is None:
            time.sleep(0.2)
            index, _ = HEADER.unpack_from(mm, 0)
            if index != last_index:
                last_index, last_change = index, time.time()
            elif time.time() - last_change > args.hang_seconds:
                hung = True
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                break
        index, done = HEADER.unpack_from(mm, 0)
        mm.close()
        os.close(fd)
        if os.path.exists(summary_path):
            with open(summary_path) as f:
                s = json.load(f)
            counts.update(s["counts"])
            flips += s.get("flips", 0)
            for k, v in s["per_target"].items():
                per_target[k].update(v)
            break
        if index < 0:
            print(f"the worker failed before its first call (exit status {proc.returncode})",
                  file=sys.stderr)
            return 2
        # The worker died (or hung) in call `index`; calls before it are done
        # but their per-call verdicts died with it: count them as run.
        counts["run_before_crash"] += done
        kind = "hang" if hung else f"crash (exit status {proc.returncode})"
        crashes.append({"seed": args.seed, "index": index, "kind": kind})
        print(f"{kind} in call {index}: replay with python3 -m tests.fuzz --seed {args.seed} "
              f"--replay {index}{replay_flags}", file=sys.stderr, flush=True)
        start = index + 1
    elapsed = time.time() - t0
    findings = []
    with open(findings_path) as f:
        for line in f:
            findings.append(json.loads(line))
    total = sum(counts.values()) + len(crashes)
    report = {
        "seed": args.seed, "calls": total, "crashes_and_hangs": len(crashes), "crashes": crashes,
        "findings": len(findings), "counts": dict(counts), "seconds": round(elapsed, 1),
        "targets": len(per_target),
    }
    if args.flip_settings:
        report["flip_settings"] = {"flips_in_the_last_worker": flips}
    print(json.dumps(report, indent=1))
    by_target = collections.Counter((r["target"], r["verdict"]) for r in findings)
    for (target, verdict), n in by_target.most_common(40):
        example = next(r for r in findings if r["target"] == target and r["verdict"] == verdict)
        print(f"{n:6d} {verdict:9s} {target}: {example['detail'][:160]}\n"
              f"       e.g. --replay {example['index']}{replay_flags}: {example['call'][:300]}")
    if args.report:
        with open(args.report, "w") as f:
            json.dump(dict(report, per_target={k: dict(v) for k, v in per_target.items()},
                           findings_list=findings[:2000]), f, indent=1)
    return 1 if (crashes or findings) else 0


def replay(args):
    from . import harness

    limit_memory(args)
    rng = harness.Rng()
    harness.FOREIGN_P = args.foreign
    targets = harness.select_targets(args.only, args.skip)
    flipper = None
    if args.flip_settings:
        from .settings import SettingsFlipper

        flipper = SettingsFlipper().start()
    try:
        out = harness.run_one(rng, args.seed, args.replay, targets, verbose=True)
    finally:
        if flipper is not None:
            flipper.stop()
    print(f"verdict: {out.verdict}\n{out.detail}")
    return 1 if out.verdict in harness.FINDINGS else 0


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m tests.fuzz", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--calls", type=int, default=10000, help="number of calls (default 10000)")
    p.add_argument("--seed", type=int, default=0, help="seed; call i of seed s is always the same call")
    p.add_argument("--start", type=int, default=0, help="index of the first call")
    p.add_argument("--replay", type=int, default=None, help="run only call REPLAY, verbosely")
    p.add_argument("--only", default=None,
                   help="comma-separated targets or prefixes (e.g. 'sum,linalg.,op:') to fuzz")
    p.add_argument("--skip", default=None, help="comma-separated targets or prefixes not to fuzz")
    p.add_argument("--foreign", type=float, default=DEFAULT_FOREIGN,
                   help=f"share of operands in foreign memory (default {DEFAULT_FOREIGN})")
    p.add_argument("--hang-seconds", type=float, default=60.0, help="no progress for this long is a hang")
    p.add_argument("--memory-limit-gib", type=int, default=8, help="address-space limit of the worker")
    p.add_argument("--findings", default=None, help="append findings here (JSON lines)")
    p.add_argument("--report", default=None, help="write the full report (JSON) here")
    p.add_argument("--flip-settings", action="store_true",
                   help="a thread keeps changing set_isa/set_num_threads/quant.use_vnni meanwhile")
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--progress", default=None, help=argparse.SUPPRESS)
    p.add_argument("--summary", default=None, help=argparse.SUPPRESS)
    p.add_argument("--crash-at", type=int, action="append", default=[], help=argparse.SUPPRESS)
    p.add_argument("--hang-at", type=int, action="append", default=[], help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.replay is not None:
        return replay(args)
    if args.worker:
        return worker(args)
    return supervise(args)


if __name__ == "__main__":
    sys.exit(main())
