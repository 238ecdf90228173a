"""Links between memories, and the recall that spreads along them.

A link ``A -> B`` with a strength ``w_AB`` says that memory A calls memory B.
With links on (``Links.strength`` = lambda > 0) recall adds the
hetero-associative field of Sompolinsky and Kanter (1986) and Kleinfeld (1986),

    ``h_i = lambda f^k sum_{A -> B} w_AB xi_B,i m_A(delayed)``

the asymmetric weights ``lambda sum w_AB xi_B xi_A^T / N`` applied to a delayed
state, computed from the patterns in O(N L) (L links; never an N x N matrix).
The delay is their slow synapses': the overlaps ``m_A`` are those of the state
when it last settled, several sweeps old, so that the state first settles in
A, and only then is pushed on to B. ``k`` counts the hops made, and ``f`` (the
hop factor) weakens each hop. The chain ends after ``hops`` hops, when it
returns to a memory already visited, or when a hop fails (the push too weak
to move the state, or it lands on no memory). The asymmetric part has no
energy of its own: the energy shown is the symmetric part's, and a hop raises
it on its way over the ridge between two valleys.

Links are learned from use (``Links.learn_step`` > 0): a recall that ends on
B right after one that ended on A strengthens ``A -> B`` by the step. They
fade with the memories' decay. They are kept by the memories' names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from tui_hopfield.model.errors import ModelError

MAX_LINK = 100.0
"""The strongest a link may be."""
MIN_LINK = 1e-3
"""A link that fades below this is gone."""
MAX_LAMBDA = 10.0
"""The largest link strength lambda offered."""
MAX_HOPS = 50
"""The most hops a chain may be set to."""
MAX_LINK_STEP = 10.0
"""The largest step a link may gain from one co-use."""
LANDED = 0.9
"""The overlap with a memory at which a chain counts the state as landed on it."""
ARROW = "\u2192"
"""The arrow between the names of a chain."""


def check_link_strength(strength: float) -> float:
    """``strength`` as a float if a link may have it (0 < w <= ``MAX_LINK``), else raise."""
    if isinstance(strength, bool) or not isinstance(strength, int | float):
        raise ModelError(f"a link's strength is a number, not {strength!r}")
    if not (math.isfinite(strength) and 0 < strength <= MAX_LINK):
        raise ModelError(f"a link's strength lies in (0, {MAX_LINK:g}], not {strength:g}")
    return float(strength)


def check_link_settings(strength: float, hops: int, hop_factor: float, learn_step: float) -> None:
    """Raise ``ModelError`` saying which of the chain's settings is out of range."""
    if not (math.isfinite(strength) and 0 <= strength <= MAX_LAMBDA):
        raise ModelError(f"the links' lambda lies in [0, {MAX_LAMBDA:g}], not {strength:g}")
    if isinstance(hops, bool) or int(hops) != hops or not 1 <= hops <= MAX_HOPS:
        raise ModelError(f"a chain makes 1 to {MAX_HOPS} hops, not {hops}")
    if not (math.isfinite(hop_factor) and 0 < hop_factor <= 1):
        raise ModelError(f"the hop factor lies in (0, 1], not {hop_factor:g}")
    if not (math.isfinite(learn_step) and 0 <= learn_step <= MAX_LINK_STEP):
        raise ModelError(
            f"a link's step from use lies in [0, {MAX_LINK_STEP:g}], not {learn_step:g}"
        )


class Links:
    """The links between memories (by name) and the settings of the recall along them."""

    def __init__(self) -> None:
        self._weights: dict[tuple[str, str], float] = {}
        self.strength = 0.0
        """lambda: how hard the links push (0: recall is exactly as without links)."""
        self.hops = 3
        """The most hops a chain makes."""
        self.hop_factor = 0.7
        """Each hop pushes this much less than the one before."""
        self.learn_step = 0.0
        """What a co-use adds to a link (0: links are not learned from use)."""

    def copy(self) -> Links:
        """An independent copy: the same links and settings."""
        other = Links()
        other._weights = dict(self._weights)
        other.strength, other.hops = self.strength, self.hops
        other.hop_factor, other.learn_step = self.hop_factor, self.learn_step
        return other

    def configure(self, strength: float, hops: int, hop_factor: float, learn_step: float) -> None:
        """Set lambda, the hops, the hop factor and the step learned from use (checked)."""
        check_link_settings(strength, hops, hop_factor, learn_step)
        self.strength, self.hops = float(strength), int(hops)
        self.hop_factor, self.learn_step = float(hop_factor), float(learn_step)

    def __len__(self) -> int:
        return len(self._weights)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Links):
            return NotImplemented
        return self._weights == other._weights and self.settings() == other.settings()

    def settings(self) -> tuple[float, int, float, float]:
        """``(strength, hops, hop_factor, learn_step)``."""
        return (self.strength, self.hops, self.hop_factor, self.learn_step)

    def items(self) -> list[tuple[str, str, float]]:
        """Every link as ``(source, target, strength)``, in the order they were made."""
        return [(a, b, w) for (a, b), w in self._weights.items()]

    def get(self, source: str, target: str) -> float:
        """The strength of ``source -> target`` (0 when there is no such link)."""
        return self._weights.get((source, target), 0.0)

    def outgoing(self, source: str) -> list[tuple[str, float]]:
        """The links from ``source`` as ``(target, strength)``, strongest first."""
        found = [(b, w) for (a, b), w in self._weights.items() if a == source]
        return sorted(found, key=lambda pair: -pair[1])

    def link(self, source: str, target: str, strength: float) -> None:
        """Make (or set) the link ``source -> target`` with ``strength``."""
        if source == target:
            raise ModelError(f"a memory does not link to itself ({source})")
        self._weights[(source, target)] = check_link_strength(strength)

    def unlink(self, source: str, target: str) -> bool:
        """Remove the link ``source -> target``; return whether there was one."""
        return self._weights.pop((source, target), None) is not None

    def strengthen(self, source: str, target: str, step: float) -> float:
        """Add ``step`` to ``source -> target`` (made if missing, at most ``MAX_LINK``)."""
        grown = min(MAX_LINK, self.get(source, target) + step)
        self.link(source, target, grown)
        return grown

    def decay(self, factor: float) -> None:
        """Multiply every link by ``factor`` in (0, 1]; those fading below ``MIN_LINK`` go."""
        if factor == 1.0:
            return
        self._weights = {
            pair: w * factor for pair, w in self._weights.items() if w * factor >= MIN_LINK
        }

    def rename(self, old: str, new: str) -> None:
        """A memory was renamed: its links follow it."""
        self._weights = {
            (new if a == old else a, new if b == old else b): w
            for (a, b), w in self._weights.items()
        }

    def keep_only(self, names: Sequence[str]) -> None:
        """Drop the links from or to a memory not among ``names`` (it was forgotten)."""
        known = set(names)
        self._weights = {
            (a, b): w for (a, b), w in self._weights.items() if a in known and b in known
        }

    def arrays(self, names: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The links as index arrays ``(sources, targets, weights)`` into ``names``."""
        index = {name: i for i, name in enumerate(names)}
        pairs = [(index[a], index[b], w) for (a, b), w in self._weights.items()
                 if a in index and b in index]  # fmt: skip
        if not pairs:
            empty = np.empty(0, dtype=np.intp)
            return empty, empty.copy(), np.empty(0)
        sources, targets, weights = zip(*pairs, strict=True)
        return (
            np.asarray(sources, dtype=np.intp),
            np.asarray(targets, dtype=np.intp),
            np.asarray(weights, dtype=np.float64),
        )

    def active(self) -> bool:
        """Whether recall pushes along links: lambda > 0 and at least one link."""
        return self.strength > 0 and bool(self._weights)


def hetero_field(
    patterns: np.ndarray,
    sources: np.ndarray,
    targets: np.ndarray,
    weights: np.ndarray,
    overlaps: np.ndarray,
    scale: float,
) -> np.ndarray:
    """The push ``scale * sum_{A -> B} w_AB xi_B m_A`` on every spin, float (N,).

    ``patterns`` is xi (P, N), ``overlaps`` the delayed m (P,). Only the rows of
    linked-to memories are read: O(N L), never an N x N matrix.
    """
    n = patterns.shape[1]
    if not len(weights) or scale == 0:
        return np.zeros(n)
    coefficients = np.zeros(patterns.shape[0])
    np.add.at(coefficients, targets, weights * overlaps[sources])
    rows = np.flatnonzero(coefficients)
    if not len(rows):
        return np.zeros(n)
    return scale * (coefficients[rows] @ patterns[rows].astype(np.float64))


def chain_text(names: Sequence[str]) -> str:
    """Names joined by arrows."""
    return f" {ARROW} ".join(names)
