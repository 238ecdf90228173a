"""Heavy work off the event loop: one job at a time, on a copy, with progress and cancel.

A ``Job`` is what the screen knows of work running in a thread worker: what
it is (``label``), what it started from (the network and its ``revision``),
how far it is, and whether it was cancelled. The work itself builds on copies
(a ``Network.copy()``, a ``Session``) and is swapped in on the event loop
only when it finishes, so cancelling or failing leaves everything as it was.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from time import monotonic

from tui_hopfield.model import Network

REPORT_EVERY = 0.1
"""Seconds between two progress reports a worker sends to the event loop, at least."""


def lower_priority() -> None:
    """Let the event loop's thread come first, on a busy machine, over this worker thread.

    Linux gives each thread its own nice value; elsewhere this does nothing.
    """
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)


WORKER_NICENESS = 10
"""How much lower than the event loop a worker thread runs (``nice``)."""


@dataclass
class Job:
    """Work running in a thread worker, as the screen sees it."""

    kind: str
    """What sort of work: ``save``, ``open`` or ``rule``."""
    label: str
    """What runs, as the status bar says it: ``saving``, ``opening x.hopfield``."""
    network: Network
    """The network on screen when the job started."""
    revision: int
    """That network's revision then: a later one means the memories changed meanwhile."""
    phase: str = ""
    """The step the work is at, when it has several (``reading``, ``learning``)."""
    fraction: float | None = None
    """How far the current step is, from 0 to 1, when the work can tell."""
    cancelled: bool = False
    """Set on the event loop when the job is cancelled or replaced; the worker stops."""
    _last: float = field(default=0.0, repr=False)

    def describe(self) -> str:
        """``saving 42%``, ``opening: reading…``."""
        text = self.label + (f": {self.phase}" if self.phase else "")
        if self.fraction is None:
            return text + "\u2026"
        return f"{text} {self.fraction:.0%}"

    def due(self) -> bool:
        """Whether enough time passed since the last report to send another (worker side)."""
        now = monotonic()
        if now - self._last < REPORT_EVERY:
            return False
        self._last = now
        return True


class Steps:
    """The callbacks a worker hands to the model for one step of a job.

    ``report`` passes the fraction done to ``send`` (at most every
    ``REPORT_EVERY`` seconds); ``cancelled`` tells the model to stop.
    """

    def __init__(
        self,
        job: Job,
        send: Callable[[Job, str, float | None], None],
        stopped: Callable[[], bool],
    ) -> None:
        self.job = job
        """The job these steps belong to."""
        self._send = send
        self._stopped = stopped
        self._phase = ""

    def phase(self, name: str, measured: bool = True) -> None:
        """Start step ``name``; ``measured`` says whether it reports a fraction."""
        self._phase = name
        self._send(self.job, name, 0.0 if measured else None)

    def report(self, fraction: float) -> None:
        """Tell the screen how far the current step is (throttled)."""
        if self.job.due():
            self._send(self.job, self._phase, fraction)

    def cancelled(self) -> bool:
        """Whether the job was cancelled (or the app is closing)."""
        return self.job.cancelled or self._stopped()
