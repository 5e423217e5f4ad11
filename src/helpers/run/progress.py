"""Progress of a long stage: documents done, rate, time left; printed, not drawn.

Plain lines work the same in a terminal, in a CI log and in a notebook executed by
papermill. A line is printed at most every ``every_seconds`` and once at the end.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, label: str, every_seconds: float = 5.0, stream: TextIO | None = None):
        self.total, self.label, self.every = total, label, every_seconds
        self.stream = stream or sys.stdout
        self.done = 0
        self.started = self._last = time.perf_counter()

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.perf_counter()
        if now - self._last >= self.every and self.done < self.total:
            self._last = now
            self._print(now)

    def finish(self) -> None:
        self._print(time.perf_counter(), final=True)

    def _print(self, now: float, final: bool = False) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        if final:
            tail = f"in {elapsed:.1f} s"
        else:
            left = (self.total - self.done) / rate if rate else float("inf")
            tail = f"about {left:.0f} s left"
        print(f"[{self.label}] {self.done}/{self.total} documents, {rate:.1f} docs/s, {tail}",
              file=self.stream, flush=True)
