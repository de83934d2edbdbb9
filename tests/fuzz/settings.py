"""``--flip-settings``: a thread that keeps changing trueno's global settings
while the fuzz calls run (issue 15, item 1): ``set_isa`` over every
available ISA, ``set_num_threads(1 or 2)`` and ``quant.use_vnni(True/False)``.

A call must finish as it started (a kernel that sized its scratch for one
ISA and ran another's code with it corrupted the heap), and its result must
still agree with the oracle. The harness's comparisons hold across ISAs:
exact ones are exact on every ISA (integer arithmetic, data movement, IEEE
+-*/ and sqrt, comparisons), and the rest already allow for the ISA's last
bits (transcendentals 64 ulp, sums 2000 ulp; see harness.tolerance).

The flips are deterministic in their order but not in their timing, so a
finding found under --flip-settings may need a few replays (with the same
option) to show again.
"""
from __future__ import annotations

import threading
import time

import trueno as xp
from trueno._core import quant


class SettingsFlipper:
    """Start with start(); stop() joins the thread and restores the settings."""

    # A short sleep between flips gives the computing thread the GIL most of
    # the time (a flip a ~0.2 ms is still many flips inside every call that
    # releases the GIL); without it the calls ran ~5x slower.
    PAUSE = 0.0002

    def __init__(self):
        self.done = threading.Event()
        self.flips = 0
        self.error = None
        self.thread = threading.Thread(target=self._run, name="flip-settings", daemon=True)
        self.before = (xp.get_num_threads(), quant.use_vnni())

    def _run(self):
        isas = xp.available_isas()
        k = 0
        try:
            while not self.done.is_set():
                xp.set_isa(isas[k % len(isas)])
                if k % 3 == 0:
                    quant.use_vnni(k % 2 == 0)
                if k % 5 == 0:
                    xp.set_num_threads(1 + (k // 5) % 2)
                k += 1
                self.flips = k
                time.sleep(self.PAUSE)
        except BaseException as exc:  # noqa: BLE001 - reported by stop()
            self.error = exc

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.done.set()
        self.thread.join()
        xp.set_isa("best")
        xp.set_num_threads(self.before[0])
        quant.use_vnni(self.before[1])
        if self.error is not None:
            raise RuntimeError(f"the settings thread failed: {self.error!r}") from self.error
        return self.flips
