"""Checks that every experiment's settings make of their values (``ModelError`` says why)."""

from __future__ import annotations

from tui_hopfield.model.errors import ModelError


def check_size(n: int, low: int, high: int) -> None:
    """The number of spins N lies in [``low``, ``high``]."""
    if not low <= n <= high:
        raise ModelError(f"the size N is from {low} to {high}, not {n}")
