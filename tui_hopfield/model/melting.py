"""Where a memory melts under Glauber dynamics, rule by rule, and how far the slider goes.

Glauber's rule turns spin i over with probability ``1 / (1 + exp(dE_i / T))``.
Near a lone stored pattern of strength c, in the limit of many spins, the
overlap m then obeys a mean-field equation whose solutions say where the
memory melts (m falls to 0):

- the quadratic rules (Hebb, Storkey, pseudo-inverse): ``dE_i = 2 c m`` along
  the pattern, so ``m = tanh(c m / T)``; it melts continuously at ``T = c``
  (at low load; the phase diagram, ``experiments.phase``, has the loaded network);
- dense memory ``E = -(N/n) c m^n``: ``dE_i = 2 c m^(n-1)``, so
  ``m = tanh(c m^(n-1) / T)``; for n >= 3 it has a retrieval solution only below
  ``T = c t_n`` with ``t_n = max_m m^(n-1) / atanh(m)`` (0.58 for n = 3), and
  there the memory melts all at once;
- dense exp ``E = -log sum c exp(d)``: one flip changes the energy by exactly
  2 whatever the overlap or the strength, so ``m = tanh(1 / T)``: it never
  melts, it fades (to 0.2 at T = 5);
- the modern network recalls by its continuous softmax step, not by spin
  flips: it has no temperature; its ``beta`` is the softmax's inverse temperature.

The measured figures (``tests/test_melting.py``) follow these lines.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from tui_hopfield.model.changes import TEMPERATURE_STEP
from tui_hopfield.model.dynamics import MAX_TEMPERATURE
from tui_hopfield.model.rules import Rule

QUADRATIC = ("hebbian", "storkey", "pseudo-inverse")
"""The rules whose energy is quadratic in the spins: a memory of strength c melts at T = c."""

BEYOND_MELTING = 2.0
"""The slider goes to this many times the melting temperature of the strongest memory."""

EXP_LIMIT = 5.0
"""Dense exp never melts; its slider goes to T = 5, where ``tanh(1 / T)`` has fallen to 0.2."""

MIN_LIMIT = 1.0
"""The slider's end is never below this (faded memories melt early, but T = 1 stays reachable)."""


def has_temperature(rule: Rule) -> bool:
    """Whether recall under ``rule`` feels the temperature (all but the modern network)."""
    return not rule.continuous


@cache
def dense_critical_temperature(degree: int) -> float:
    """``t_n``: above ``T = c t_n`` a dense memory of degree n has no retrieval state.

    The largest T at which ``m = tanh(m^(n-1) / T)`` has a solution m > 0, that
    is ``max over m in (0, 1) of m^(n-1) / atanh(m)``: 1 for n = 2 (at m -> 0),
    0.583 for n = 3, 0.496 for n = 4.
    """
    if degree == 2:
        return 1.0
    m = np.linspace(1e-6, 1.0 - 1e-9, 400_001)
    return float(np.max(m ** (degree - 1) / np.arctanh(m)))


def melting_temperature(rule: Rule, strength: float = 1.0) -> float | None:
    """Where a lone memory of ``strength`` melts under ``rule``; None if it never does.

    Dense exp never melts (its overlap is ``tanh(1 / T)``) and the modern network
    has no temperature: both give None.
    """
    if rule.name in QUADRATIC:
        return float(strength)
    if rule.name == "dense" and rule.degree is not None:
        return float(strength) * dense_critical_temperature(rule.degree)
    return None


def exp_overlap(temperature: float) -> float:
    """The overlap dense exp keeps at ``temperature``: ``tanh(1 / T)`` (1 at T = 0)."""
    return 1.0 if temperature <= 0 else math.tanh(1.0 / temperature)


def temperature_limit(rule: Rule, strengths: np.ndarray) -> float:
    """The slider's end: past the melting point of the strongest memory, on a step.

    ``BEYOND_MELTING`` times that point, at least ``MIN_LIMIT`` and at most
    ``MAX_TEMPERATURE``; dense exp goes to ``EXP_LIMIT``, where its overlap has
    faded to 0.2, and the modern network (no temperature) keeps 2.
    """
    strongest = float(np.max(strengths)) if len(strengths) else 1.0
    melting = melting_temperature(rule, strongest)
    if melting is None:
        if not has_temperature(rule):
            return BEYOND_MELTING
        limit = EXP_LIMIT
    else:
        limit = BEYOND_MELTING * melting
    steps = math.ceil(limit / TEMPERATURE_STEP - 1e-9)
    return round(min(max(steps * TEMPERATURE_STEP, MIN_LIMIT), MAX_TEMPERATURE), 10)


def temperature_note(rule: Rule, strengths: np.ndarray) -> str:
    """What the temperature does under ``rule`` with these memories: the slider's tooltip."""
    if not has_temperature(rule):
        return (
            "The modern rule has no temperature: it recalls by its softmax step, and"
            " beta is the softmax's inverse temperature."
        )
    if rule.name == "dense" and rule.degree is None:
        return (
            "Glauber dynamics. Dense exp never melts: a flip changes its energy by 2 at"
            f" most, so the overlap fades like tanh(1/T) ({exp_overlap(EXP_LIMIT):.2f} at T ="
            f" {EXP_LIMIT:g})."
        )
    strongest = float(np.max(strengths)) if len(strengths) else 1.0
    melting = melting_temperature(rule, strongest)
    if rule.name in QUADRATIC:
        how = "a memory of strength c melts near T = c (at low load)"
    else:
        how = f"a memory of strength c melts all at once near T = {melting_temperature(rule):.2f} c"
    note = f"Glauber dynamics: {how}; the strongest here (c = {strongest:g}) near T = {melting:.2f}"
    if melting > MAX_TEMPERATURE:
        note += f", past the slider's end ({MAX_TEMPERATURE:g})"
    return note + "."
