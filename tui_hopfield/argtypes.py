"""Argument types of both command lines (the app's and the experiments').

Each is an argparse ``type``: it turns the text of an option into a value or
raises ``argparse.ArgumentTypeError`` with a sentence saying what is wanted,
which argparse prints with the usage and exit status 2.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.paths import expand
from tui_hopfield.model.rules import parse_degree

T = TypeVar("T")

SIDES = re.compile(r"\s*(\d+)\s*(?:[x\u00d7*]\s*(\d+))?\s*", flags=re.IGNORECASE)
"""``ROWSxCOLS`` (``x``, ``X``, ``\u00d7`` or ``*`` between) or one number."""
MAX_SEED = 2**63 - 1
"""The largest seed (it must fit a signed 64-bit integer in a JSON report)."""


def _sides(text: str, example: str) -> tuple[int, int | None]:
    """The two numbers of ``ROWSxCOLS``, or one number and None."""
    match = SIDES.fullmatch(text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not {example}")
    second = match.group(2)
    return int(match.group(1)), None if second is None else int(second)


def grid_size(
    low: int, high: int, what: str = "rows and columns"
) -> Callable[[str], tuple[int, int]]:
    """A parser of ``ROWSxCOLS`` (one number: a square), each side from ``low`` to ``high``."""

    def parse(text: str) -> tuple[int, int]:
        rows, cols = _sides(text, "ROWSxCOLS, e.g. 32x32")
        cols = rows if cols is None else cols
        if not (low <= rows <= high and low <= cols <= high):
            raise argparse.ArgumentTypeError(f"{text!r}: {what} must be from {low} to {high}")
        return rows, cols

    return parse


def spin_count(low: int, high: int) -> Callable[[str], int]:
    """A parser of a number of spins N, or ``ROWSxCOLS`` meaning N = ROWS x COLS."""

    def parse(text: str) -> int:
        rows, cols = _sides(text, "a number of spins (e.g. 1000 or 32x32)")
        n = rows * (1 if cols is None else cols)
        if not low <= n <= high:
            raise argparse.ArgumentTypeError(f"the size N is from {low} to {high} spins, not {n}")
        return n

    return parse


def number(
    kind: type[int] | type[float], low: float, high: float, what: str, *, open_low: bool = False
) -> Callable[[str], float]:
    """A parser of a whole number (``kind`` int) or a number (``float``) in [low, high].

    With ``open_low`` the interval is (low, high]: ``low`` itself is refused.
    """

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            article = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {article}") from None
        below = value <= low if open_low else value < low
        if below or value > high or value != value:  # value != value: NaN
            low_end = "more than" if open_low else "from"
            interval = f"{low_end} {low:g} {'and at most' if open_low else 'to'} {high:g}"
            raise argparse.ArgumentTypeError(f"{what} is {interval}, not {text}")
        return value

    return parse


def seed(text: str) -> int:
    """``--seed``: a whole number from 0 to ``MAX_SEED``."""
    return int(number(int, 0, MAX_SEED, "the seed")(text))


def output_file(text: str) -> Path:
    """``--csv`` / ``--json``: a file to write, in a folder that exists (none is made).

    Checked when the arguments are read, so a typo stops the command before a
    long run, with the usage and status 2, instead of making folders after it.
    """
    if not text.strip():
        raise argparse.ArgumentTypeError("the file name is empty")
    path = expand(text)
    folder = path.parent
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a folder, not a file")
    if not folder.is_dir():
        what = "not a folder" if folder.exists() else "no such folder"
        raise argparse.ArgumentTypeError(f"{text!r}: {what}: {folder}")
    return path


def from_model(parse: Callable[[str], T]) -> Callable[[str], T]:
    """An argument type from a model parser that raises ``ModelError`` on bad text."""

    def parse_argument(text: str) -> T:
        try:
            return parse(text)
        except ModelError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse_argument.__name__ = parse.__name__  # argparse names the type in its messages
    return parse_argument


degree = from_model(parse_degree)
"""``--degree`` of the dense rule: 2..10 or ``exp``."""
