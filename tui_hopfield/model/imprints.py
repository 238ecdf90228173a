"""What a network takes in, checked before anything changes: spins, strengths, names.

A pattern or a state is N spins of +1 or -1 (any shape with N entries); a
strength is a positive number up to ``MAX_STRENGTH``; a memory's name is
cleaned (``names.clean_name``: one line, no controls) and may not be empty.
Every refusal is a ``ModelError`` that says what is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.names import clean_name
from tui_hopfield.model.rules.kernels import CHUNK_BYTES, batches

MAX_STRENGTH = 1e6
"""The largest strength a memory may have: far past any use, and small enough
that energies and fields of a 256x256 grid stay exact in float64."""

MIN_FADED = 1e-12
"""The weakest decay leaves a memory: decay multiplies strengths down to it and
no further, so that a session stays savable (its strengths positive) however
small the decay and however many imprints follow. A memory this faint adds
1e-12 N of field at most, far below what a recall or a temperature can feel."""


def faded(strengths: np.ndarray, factor: float) -> np.ndarray:
    """``strengths`` multiplied by a decay ``factor`` in (0, 1], none below ``MIN_FADED``.

    Strengths already under it stay as they are (decay never raises one).
    """
    return np.maximum(strengths * factor, np.minimum(strengths, MIN_FADED))


def checked_spins(spins: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``spins`` (any shape with ``rows * cols`` entries of +-1) as a flat int8 array."""
    n = rows * cols
    array = np.asarray(spins)
    if array.size != n:
        raise ModelError(f"a pattern for this {rows}x{cols} grid needs {n} spins, not {array.size}")
    flat = array.reshape(n)
    if not np.all((flat == 1) | (flat == -1)):
        raise ModelError("a pattern's spins must all be +1 or -1")
    return flat.astype(np.int8)


def checked_patterns(patterns: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``patterns`` as given, once checked to be rows of ``rows * cols`` spins of +-1.

    The spins are checked a block of rows at a time: no temporaries the size of them all.
    """
    n = rows * cols
    xi = np.asarray(patterns)
    if xi.ndim != 2 or xi.shape[1] != n:
        raise ModelError(
            f"patterns for this {rows}x{cols} grid are rows of {n} spins,"
            f" not an array of shape {xi.shape}"
        )
    if xi.dtype == np.int8:
        # One compiled pass (numba, imported here only) that makes no temporary; numpy's
        # three reductions (min, max, nonzero) took 0.08 s at 256x256 with 3,277.
        from tui_hopfield.model.compiled import all_spins

        if not all_spins(xi):
            raise ModelError("a pattern's spins must all be +1 or -1")
        return xi
    for part in batches(len(xi), max(1, CHUNK_BYTES // n)):
        block = xi[part]
        if not np.all((block == 1) | (block == -1)):  # 1.5 is not a spin, not even as int8
            raise ModelError("a pattern's spins must all be +1 or -1")
    return xi


def checked_strengths(strength: float | np.ndarray, count: int) -> np.ndarray:
    """The strengths of ``count`` new memories: one for all (0-d) or one each (count,)."""
    strengths = np.asarray(strength, dtype=np.float64)
    if strengths.ndim > 1 or (strengths.ndim == 1 and strengths.shape != (count,)):
        raise ModelError(f"{count} new memories need one strength or {count}")
    check_strengths(strengths)
    return strengths


def check_strengths(strengths: np.ndarray) -> None:
    """Refuse any strength that is not a positive number up to ``MAX_STRENGTH``."""
    wrong = strengths[~(np.isfinite(strengths) & (strengths > 0) & (strengths <= MAX_STRENGTH))]
    if wrong.size:
        raise ModelError(
            f"a memory's strength is a positive number up to {MAX_STRENGTH:g}, not {wrong[0]:g}"
        )


def named(name: str) -> str:
    """A memory's name, cleaned; an empty one is refused."""
    cleaned = clean_name(name)
    if not cleaned:
        raise ModelError("a memory needs a name")
    return cleaned


def new_names(names: Sequence[str], count: int, taken: Sequence[str]) -> list[str]:
    """The names of ``count`` new memories, cleaned: one each, all different, none ``taken``."""
    cleaned = [named(name) for name in names]
    if len(cleaned) != count or len(set(cleaned)) != len(cleaned):
        raise ModelError("every new memory needs a name of its own")
    if set(cleaned) & set(taken):
        raise ModelError("a new memory may not take the name of one already stored")
    return cleaned
