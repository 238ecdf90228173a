"""Noise: random spins and patterns, and the ways to break a picture."""

from __future__ import annotations

import numpy as np

from tui_hopfield.model.errors import ModelError


def random_spins(n: int, rng: np.random.Generator) -> np.ndarray:
    """A random pattern: each spin +1 or -1 with probability one half."""
    return rng.choice(np.array([-1, 1], dtype=np.int8), size=n)


def random_patterns(count: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` random patterns of ``n`` spins, int8 (count, n), drawn as bytes.

    Each spin is +1 or -1 with probability one half, like ``random_spins``
    (a different stream); a byte a spin, without an int64 draw each, so that
    thousands of 256x256 patterns take seconds, not minutes, and no more
    memory than the result.
    """
    patterns = np.empty((count, n), dtype=np.int8)
    for start in range(0, count, 64):
        block = patterns[start : start + 64]
        block[...] = rng.integers(0, 2, size=block.shape, dtype=np.int8)
        block *= 2
        block -= 1
    return patterns


def scramble_half(spins: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random half of the spins each get a random value (about a quarter flip)."""
    flat = spins.reshape(-1).copy()
    chosen = rng.choice(flat.size, size=flat.size // 2, replace=False)
    flat[chosen] = random_spins(chosen.size, rng)
    return flat.reshape(spins.shape)


def flip_fraction(spins: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Flip exactly ``round(fraction * N)`` spins chosen at random."""
    if not 0.0 <= fraction <= 1.0:
        raise ModelError(f"the fraction to flip is between 0 and 1, not {fraction}")
    flat = spins.reshape(-1).copy()
    chosen = rng.choice(flat.size, size=round(fraction * flat.size), replace=False)
    flat[chosen] *= -1
    return flat.reshape(spins.shape)


def wipe_half(spins: np.ndarray) -> np.ndarray:
    """Set the bottom half of the rows to south (-1)."""
    grid = np.array(spins, dtype=np.int8, copy=True)
    grid[grid.shape[0] // 2 :] = -1
    return grid


def invert(spins: np.ndarray) -> np.ndarray:
    """Turn every spin over."""
    return (-np.asarray(spins)).astype(np.int8)


BREAKS = {
    "scramble": "scramble a random half",
    "flip": "flip 20% of the spins",
    "wipe": "wipe the bottom half",
    "invert": "invert every spin",
}
"""The ways to break a picture, with their descriptions."""


def break_spins(spins: np.ndarray, how: str, rng: np.random.Generator) -> np.ndarray:
    """Break a picture in one of the ways named in ``BREAKS``."""
    if how == "scramble":
        return scramble_half(spins, rng)
    if how == "flip":
        return flip_fraction(spins, 0.2, rng)
    if how == "wipe":
        return wipe_half(spins)
    if how == "invert":
        return invert(spins)
    raise ModelError(f"unknown way to break a picture: {how!r}")
