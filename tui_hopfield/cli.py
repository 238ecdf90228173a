"""The ``tui-hopfield`` command: starts the app."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from tui_hopfield import __version__

MIN_SIDE = 4
"""The smallest number of rows or columns."""
MAX_SIDE = 256
"""The largest number of rows or columns."""


def grid_size(text: str) -> tuple[int, int]:
    """Parse ``ROWSxCOLS`` (or a single number for a square grid)."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:[x\u00d7*]\s*(\d+))?\s*", text, flags=re.IGNORECASE)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not ROWSxCOLS, e.g. 32x32")
    rows = int(match.group(1))
    cols = int(match.group(2) or rows)
    for side in (rows, cols):
        if not MIN_SIDE <= side <= MAX_SIDE:
            raise argparse.ArgumentTypeError(
                f"{text!r}: rows and columns must be between {MIN_SIDE} and {MAX_SIDE}"
            )
    return rows, cols


def seed(text: str) -> int:
    """Parse a non-negative integer seed."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"the seed must be 0 or more, not {value}")
    return value


def parser() -> argparse.ArgumentParser:
    """The command line parser."""
    parser = argparse.ArgumentParser(
        prog="tui-hopfield",
        description=(
            "Brain magnets in a terminal: a Hopfield network you can draw on. "
            "Imprint pictures, break them, and watch recall flip the magnets back."
        ),
        epilog="In the app press ? for every key and mouse action.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--size",
        type=grid_size,
        default=(32, 32),
        metavar="ROWSxCOLS",
        help=f"grid size, {MIN_SIDE} to {MAX_SIDE} a side (default: 32x32)",
    )
    parser.add_argument(
        "--seed",
        type=seed,
        default=None,
        metavar="N",
        help="seed for breaking, random grids and the recall order (default: random)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status."""
    args = parser().parse_args(argv)
    from tui_hopfield.ui.app import HopfieldApp

    rows, cols = args.size
    HopfieldApp(rows, cols, seed=args.seed).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
