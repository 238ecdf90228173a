"""An input for one decimal number that checks each key in time linear in its length.

Textual's ``Input(type="number")`` checks every key against a pattern with nested
repeats (``(?:\\d*|\\d+_)*``): after about twenty digits a letter takes seconds to
refuse, after twenty-two minutes, and the whole app waits. This input allows
the same partial numbers a user types on the way to one (``-``, ``1.``, ``.5``,
``1e``, ``1e-``), by a pattern that never backtracks, and at most
``MAX_NUMBER_LENGTH`` characters.
"""

from __future__ import annotations

from textual.validation import Number
from textual.widgets import Input

NUMBER_PATTERN = r"[-+]?\d*(?:\.\d*)?(?:[eE][-+]?\d*)?"
"""What a number field accepts while it is typed: each part is optional, none overlaps."""
MAX_NUMBER_LENGTH = 32
"""The most characters a number field takes (far more than any setting needs)."""
WHOLE_PATTERN = r"\d*"
"""What a whole-number field accepts while it is typed: digits (one repeat, no nesting)."""


class NumberInput(Input):
    """A one-line input for a decimal number (``float`` reads what it holds)."""

    def __init__(self, value: str | None = None, **kwargs) -> None:
        kwargs.setdefault("validators", [Number()])
        super().__init__(
            value, restrict=NUMBER_PATTERN, max_length=MAX_NUMBER_LENGTH, type="text", **kwargs
        )


class WholeNumberInput(Input):
    """A one-line input for a whole number of at most ``MAX_NUMBER_LENGTH`` digits
    (``int`` reads what it holds): Textual's ``type="integer"`` backtracks as its
    ``type="number"`` does."""

    def __init__(self, value: str | None = None, **kwargs) -> None:
        super().__init__(
            value, restrict=WHOLE_PATTERN, max_length=MAX_NUMBER_LENGTH, type="text", **kwargs
        )
