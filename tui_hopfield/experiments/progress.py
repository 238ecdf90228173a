"""How an experiment reports progress and learns that it should stop.

An experiment calls ``progress(done, total)`` after each unit of work and asks
``stop()`` before each one; either may be None. The experiment also stops at
a ``KeyboardInterrupt`` (Ctrl+C). Whatever the reason, it returns the units
it finished, marked as incomplete: nothing measured is lost.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[int, int], None]
"""Called with (units done, units in all)."""
Stop = Callable[[], bool]
"""Returns True when the experiment should end early."""


def report(progress: Progress | None, done: int, total: int) -> None:
    """Call ``progress`` if there is one."""
    if progress is not None:
        progress(done, total)


def stopping(stop: Stop | None) -> bool:
    """Whether ``stop`` asks to end early."""
    return stop is not None and stop()


class TerminalProgress:
    """A progress report on a stream: a bar redrawn in place on a terminal, else lines.

    On a terminal the bar is redrawn at most ``rate`` times a second; on a
    pipe or a file a line is written at every tenth of the work, so logs stay
    short. ``close`` ends the bar's line.
    """

    def __init__(self, stream: TextIO, label: str, rate: float = 10.0) -> None:
        self.stream = stream
        """Where the report goes (standard error)."""
        self.label = label
        """The word in front of the report."""
        self.tty = _isatty(stream)
        """Whether the stream is a terminal (the bar) or not (lines)."""
        self._interval = 1.0 / rate
        self._last = -math.inf
        self._tenth = -1
        self._started = time.monotonic()
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        """Report that ``done`` of ``total`` units are finished."""
        fraction = done / total if total else 1.0
        if self.tty:
            now = time.monotonic()
            if now - self._last >= self._interval or done == total:
                self._last = now
                self._draw(done, total, fraction, now)
        else:
            tenth = math.floor(fraction * 10)
            if tenth > self._tenth:
                self._tenth = tenth
                self.stream.write(f"{self.label}: {done}/{total} ({fraction:.0%})\n")
                self.stream.flush()

    def _draw(self, done: int, total: int, fraction: float, now: float) -> None:
        width = 30
        filled = round(fraction * width)
        elapsed = now - self._started
        eta = f" eta {elapsed / fraction - elapsed:4.0f} s" if 0 < fraction < 1 else " " * 10
        bar = "\u2588" * filled + "\u2591" * (width - filled)
        self.stream.write(f"\r{self.label} {bar} {done}/{total} {fraction:4.0%}{eta}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the bar's line (nothing to do for lines)."""
        if self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
