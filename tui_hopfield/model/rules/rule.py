"""A learning rule and its settings: what the command line, sessions and screens name.

``Rule.learn`` turns stored patterns into the landscape of the rule's family
(``linear``, ``storkey``, ``dense``, ``modern``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tui_hopfield.model.errors import Check, ModelError, Report
from tui_hopfield.model.rules.dense import Polynomial
from tui_hopfield.model.rules.landscape import Landscape
from tui_hopfield.model.rules.linear import Hebbian, PseudoInverse
from tui_hopfield.model.rules.modern import Softmax
from tui_hopfield.model.rules.storkey import Storkey
from tui_hopfield.model.rules.storkey import check_size as check_storkey_size

RULE_NAMES = ("hebbian", "storkey", "pseudo-inverse", "dense", "modern")
"""The learning rules, by the names the command line and sessions use."""

MIN_DEGREE, MAX_DEGREE = 2, 10
"""The polynomial degrees a dense memory may have."""

MIN_BETA, MAX_BETA = 1.0, 200.0
"""The inverse temperatures the modern network accepts (on overlaps in [-1, 1])."""


@dataclass(frozen=True)
class Rule:
    """A learning rule and its settings; ``learn`` makes its landscape."""

    name: str = "hebbian"
    """One of ``RULE_NAMES``."""
    degree: int | None = 3
    """Dense memory only: the power n of ``F(m) = m^n``, or None for the exponential."""
    beta: float = 40.0
    """Modern network only: the inverse temperature on overlaps in [-1, 1]."""

    def __post_init__(self) -> None:
        if self.name not in RULE_NAMES:
            raise ModelError(
                f"unknown learning rule {self.name!r}; the rules are {', '.join(RULE_NAMES)}"
            )
        if self.degree is not None and not (
            isinstance(self.degree, int) and MIN_DEGREE <= self.degree <= MAX_DEGREE
        ):
            raise ModelError(
                f"a dense memory's degree is a whole number from {MIN_DEGREE} to {MAX_DEGREE}"
                f" or exp, not {self.degree}"
            )
        if not (math.isfinite(self.beta) and MIN_BETA <= self.beta <= MAX_BETA):
            raise ModelError(f"beta lies between {MIN_BETA:g} and {MAX_BETA:g}, not {self.beta}")

    @property
    def continuous(self) -> bool:
        """Whether recall moves a continuous state (the modern network)."""
        return self.name == "modern"

    @property
    def label(self) -> str:
        """A short name for the screen: ``hebbian``, ``dense n=3``, ``modern beta=40``."""
        if self.name == "dense":
            return "dense exp" if self.degree is None else f"dense n={self.degree}"
        if self.name == "modern":
            return f"modern \u03b2={self.beta:g}"
        return self.name

    @property
    def help(self) -> str:
        """One line on what the rule does and whom it is due to."""
        return RULE_HELP[self.name]

    def settings(self) -> dict[str, float | int | str]:
        """The rule's settings, for a session file."""
        if self.name == "dense":
            return {"degree": "exp" if self.degree is None else self.degree}
        if self.name == "modern":
            return {"beta": self.beta}
        return {}

    @classmethod
    def from_settings(cls, name: str, settings: dict[str, object]) -> Rule:
        """The rule ``name`` with the settings a session file holds (checked)."""
        degree = settings.get("degree", 3)
        beta = settings.get("beta", 40.0)
        if degree == "exp":
            degree = None
        if degree is not None and (isinstance(degree, bool) or not isinstance(degree, int)):
            raise ModelError(f"a dense memory's degree is a whole number or exp, not {degree!r}")
        if isinstance(beta, bool) or not isinstance(beta, int | float):
            raise ModelError(f"beta is a number, not {beta!r}")
        return cls(name, degree, float(beta))

    def learn(
        self,
        patterns: np.ndarray,
        strengths: np.ndarray,
        columns: np.ndarray | None = None,
        previous: Landscape | None = None,
        report: Report | None = None,
        cancelled: Check | None = None,
    ) -> Landscape:
        """The landscape of ``patterns`` (int8, P x N) stored with ``strengths`` (P,).

        ``columns`` may hand over ``patterns.T`` already laid out (N, P);
        ``previous`` is the landscape learned before from the first of these
        patterns (a network passes it only when patterns were added since, or
        strengths changed): Storkey's rule extends it instead of starting again
        when only patterns were added, and every rule keeps its packed and
        float32 copies of those patterns.

        ``report`` is told the fraction done and ``cancelled`` is asked between
        steps of rules that learn in many steps (Storkey's, one pattern at a
        time); a True answer raises ``Cancelled``.
        """
        patterns = np.asarray(patterns, dtype=np.int8)
        landscape = self._learn(patterns, strengths, columns, previous, report, cancelled)
        landscape.adopt(previous)
        return landscape

    def _learn(
        self,
        patterns: np.ndarray,
        strengths: np.ndarray,
        columns: np.ndarray | None,
        previous: Landscape | None,
        report: Report | None = None,
        cancelled: Check | None = None,
    ) -> Landscape:
        strengths = np.asarray(strengths, dtype=np.float64)
        if self.name == "hebbian":
            return Hebbian(patterns, strengths, columns)
        if self.name == "storkey":
            start = previous if isinstance(previous, Storkey) else None
            return Storkey(patterns, strengths, columns, start, report, cancelled)
        if self.name == "pseudo-inverse":
            return PseudoInverse(patterns, strengths, columns)
        if self.name == "dense":
            if self.degree is None:
                return Softmax(patterns, strengths, columns, beta=1.0, scale=1.0)
            return Polynomial(patterns, strengths, columns, self.degree)
        n = patterns.shape[1]
        return Softmax(
            patterns, strengths, columns, beta=self.beta / n, scale=n / self.beta, offset=n / 2
        )

    def learning_cost(self, n: int, p: int) -> float:
        """About how many multiply-adds learning ``p`` patterns of ``n`` spins from scratch takes.

        Storkey's rule builds a dense W pattern by pattern (P N^2); the
        pseudo-inverse solves with the P x P overlap matrix (N P^2 + P^3); the
        others keep the patterns as they are (N P, their packed and float copies).
        """
        if self.name == "storkey":
            return float(p) * n * n
        if self.name == "pseudo-inverse":
            return float(n) * p * p + float(p) ** 3
        return float(n) * p

    def check_size(self, n: int) -> None:
        """Refuse a grid of ``n`` spins the rule cannot hold (Storkey's dense W)."""
        if self.name == "storkey":
            check_storkey_size(n)


RULE_HELP = {
    "hebbian": "Hebb (Hopfield 1982): W = sum of c xi xi^T / N; recall fails past ~0.138 N.",
    "storkey": "Storkey (1997): local and incremental, subtracts cross-talk; stores more.",
    "pseudo-inverse": "Projection (Personnaz 1985): every stored picture is a fixed point, P < N.",
    "dense": "Dense memory (Krotov & Hopfield 2016): E = -sum F(overlap), F = x^n or exp.",
    "modern": "Modern Hopfield (Ramsauer 2020): x <- xi^T softmax(beta xi x / N), one step.",
}
"""One line of help per rule."""


def parse_degree(text: str) -> int | None:
    """``--degree``: a whole number from 2 to 10, or ``exp`` (returned as None)."""
    if text.strip().lower() == "exp":
        return None
    try:
        value = int(text)
    except ValueError:
        raise ModelError(f"{text!r} is not a degree: give 2..10 or exp") from None
    if not MIN_DEGREE <= value <= MAX_DEGREE:
        raise ModelError(f"a degree is from {MIN_DEGREE} to {MAX_DEGREE} or exp, not {value}")
    return value
