"""The model's error types, and the callbacks long work reports through."""

from collections.abc import Callable

Report = Callable[[float], None]
"""Told the fraction done, from 0 to 1, now and then during long work."""
Check = Callable[[], bool]
"""Asked now and then during long work: True stops it with ``Cancelled``."""


def checkpoint(done: float, report: Report | None, cancelled: Check | None) -> None:
    """Report ``done`` and raise ``Cancelled`` if ``cancelled`` says so."""
    if cancelled is not None and cancelled():
        raise Cancelled
    if report is not None:
        report(min(max(done, 0.0), 1.0))


class ModelError(ValueError):
    """Raised for a request the model refuses; the message says why."""


class Cancelled(Exception):
    """Raised inside long model work when its ``cancelled`` check says to stop.

    Not a ``ModelError``: nothing was refused, the caller asked to stop, and
    whatever the work was building is dropped.
    """
