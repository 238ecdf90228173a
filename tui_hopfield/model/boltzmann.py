"""A restricted Boltzmann machine on the grid's magnets: trained by contrastive divergence.

The machine is Ackley, Hinton & Sejnowski's (1985), restricted to two layers
(no links inside a layer), and trained by Hinton's (2002) contrastive
divergence, CD-k. Its visible units are the grid's magnets, mapped to bits:
``v = (s + 1) / 2`` (north +1 is 1, south -1 is 0); its hidden units ``h`` are
bits too. The energy of a joint state is

    ``E(v, h) = -a . v - b . h - h^T W v``

with ``W`` of shape (hidden, visible), and at temperature ``T`` a state has
probability ``exp(-E / T) / Z``. Given the other layer, the units are independent:

    ``P(h_j = 1 | v) = sigma((b_j + W_j v) / T)``
    ``P(v_i = 1 | h) = sigma((a_i + W_:i . h) / T)``

and summing out the hidden units gives the free energy of a picture (at T = 1)

    ``F(v) = -log sum_h exp(-E(v, h)) = -a . v - sum_j softplus(b_j + W_j v)``.

Training lowers ``F`` of the stored pictures relative to the rest. Everything
is numpy and seeded: the same seed and data train the same machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from tui_hopfield.model.errors import Check, ModelError, Report, checkpoint

HIDDEN = 64
"""Hidden units a new machine has unless told otherwise."""
MAX_HIDDEN = 256
"""The most hidden units a machine may have (the screen draws each one)."""
EPOCHS = 300
"""Training epochs unless told otherwise."""
RATE = 0.05
"""Learning rate of CD-k unless told otherwise."""
MIN_TEMPERATURE = 1e-3
"""Below this the conditionals are taken as steps (T = 0 is deterministic)."""


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-x))``, without overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def softplus(x: np.ndarray) -> np.ndarray:
    """``log(1 + exp(x))``, without overflow."""
    return np.logaddexp(0.0, x)


def to_bits(spins: np.ndarray) -> np.ndarray:
    """Spins (+1 north, -1 south) as visible units (1, 0), float64."""
    return (np.asarray(spins, dtype=np.float64) + 1.0) / 2.0


def to_spins(bits: np.ndarray) -> np.ndarray:
    """Visible units (1, 0) as spins (+1, -1), int8."""
    return np.where(np.asarray(bits) > 0.5, 1, -1).astype(np.int8)


@dataclass
class Epoch:
    """What one epoch of training measured."""

    number: int
    """The epoch, from 1."""
    error: float
    """Mean squared reconstruction error of the pictures (one up-down pass, probabilities)."""
    free_energy: float
    """Mean free energy ``F(v)`` of the pictures at T = 1 (lower: more likely)."""


@dataclass
class Boltzmann:
    """A restricted Boltzmann machine: ``visible`` bits, ``hidden`` bits, weights and biases."""

    weights: np.ndarray
    """W, float64 of shape (hidden, visible)."""
    visible_bias: np.ndarray
    """a, float64 of shape (visible,)."""
    hidden_bias: np.ndarray
    """b, float64 of shape (hidden,)."""
    history: list[Epoch] = field(default_factory=list)
    """The epochs trained so far, with their error and free energy."""

    @classmethod
    def new(cls, visible: int, hidden: int = HIDDEN, seed: int = 0) -> Boltzmann:
        """A machine with small random weights (seeded) and zero biases."""
        if visible < 1:
            raise ModelError("a Boltzmann machine needs at least one visible unit")
        if not 1 <= hidden <= MAX_HIDDEN:
            raise ModelError(f"hidden units must be from 1 to {MAX_HIDDEN}, not {hidden}")
        rng = np.random.default_rng(seed)
        return cls(
            rng.normal(0.0, 0.01, size=(hidden, visible)),
            np.zeros(visible),
            np.zeros(hidden),
        )

    def __post_init__(self) -> None:
        self.weights = np.asarray(self.weights, dtype=np.float64)
        self.visible_bias = np.asarray(self.visible_bias, dtype=np.float64)
        self.hidden_bias = np.asarray(self.hidden_bias, dtype=np.float64)
        if self.weights.ndim != 2 or not 1 <= self.weights.shape[0] <= MAX_HIDDEN:
            raise ModelError(f"the weights must be hidden x visible, not {self.weights.shape}")
        hidden, visible = self.weights.shape
        if self.visible_bias.shape != (visible,) or self.hidden_bias.shape != (hidden,):
            raise ModelError("the biases do not fit the weights")
        for array in (self.weights, self.visible_bias, self.hidden_bias):
            if not np.isfinite(array).all():
                raise ModelError("the weights and biases must be finite numbers")

    def __repr__(self) -> str:
        epochs = len(self.history)
        return f"Boltzmann({self.visible} visible, {self.hidden} hidden, {epochs} epochs)"

    @property
    def visible(self) -> int:
        """Number of visible units (the grid's magnets)."""
        return self.weights.shape[1]

    @property
    def hidden(self) -> int:
        """Number of hidden units."""
        return self.weights.shape[0]

    def copy(self) -> Boltzmann:
        """An independent copy (weights, biases and history)."""
        return Boltzmann(
            self.weights.copy(),
            self.visible_bias.copy(),
            self.hidden_bias.copy(),
            list(self.history),
        )

    # -- the energy and the conditionals ---------------------------------------

    def energy(self, v: np.ndarray, h: np.ndarray) -> float:
        """``E(v, h) = -a . v - b . h - h^T W v`` of one joint state (bits)."""
        return float(-self.visible_bias @ v - self.hidden_bias @ h - h @ self.weights @ v)

    def free_energy(self, v: np.ndarray) -> np.ndarray | float:
        """``F(v) = -a . v - sum_j softplus(b_j + W_j v)``, of one picture or of rows."""
        v = np.asarray(v, dtype=np.float64)
        result = -(v @ self.visible_bias) - softplus(v @ self.weights.T + self.hidden_bias).sum(
            axis=-1
        )
        return float(result) if np.ndim(result) == 0 else result

    def hidden_probabilities(self, v: np.ndarray, temperature: float = 1.0) -> np.ndarray:
        """``P(h_j = 1 | v) = sigma((b_j + W_j v) / T)`` (rows of ``v`` give rows)."""
        return _conditional(np.asarray(v) @ self.weights.T + self.hidden_bias, temperature)

    def visible_probabilities(self, h: np.ndarray, temperature: float = 1.0) -> np.ndarray:
        """``P(v_i = 1 | h) = sigma((a_i + W_:i . h) / T)``."""
        return _conditional(np.asarray(h) @ self.weights + self.visible_bias, temperature)

    def reconstruction_error(self, data: np.ndarray) -> float:
        """Mean squared difference between the pictures (bits) and one up-down pass."""
        hidden = self.hidden_probabilities(data)
        return float(np.mean((data - self.visible_probabilities(hidden)) ** 2))

    # -- training ---------------------------------------------------------------

    def train(
        self,
        spins: np.ndarray,
        epochs: int = EPOCHS,
        rate: float = RATE,
        k: int = 1,
        seed: int = 0,
        report: Report | None = None,
        cancelled: Check | None = None,
        on_epoch: Callable[[Epoch], None] | None = None,
    ) -> list[Epoch]:
        """Train on the pictures (rows of spins) by CD-k for ``epochs`` epochs, in place.

        Each epoch is one step on all the pictures: the data's correlations
        ``<v h>`` minus those after ``k`` steps of Gibbs sampling from them
        (Hinton 2002). Return the new epochs (also appended to ``history``).
        ``report`` is told the fraction done, ``on_epoch`` each epoch's
        figures, and ``cancelled`` asked each epoch; a True answer raises
        ``Cancelled`` (the machine keeps the epochs done: train a copy to
        keep the original).
        """
        data = to_bits(np.atleast_2d(spins))
        if data.shape[1] != self.visible or data.shape[0] == 0:
            raise ModelError(f"the pictures must be rows of {self.visible} spins")
        if epochs < 1 or k < 1 or not rate > 0:
            raise ModelError("training needs epochs >= 1, k >= 1 and a rate > 0")
        rng = np.random.default_rng(seed)
        count = data.shape[0]
        done: list[Epoch] = []
        start = len(self.history)
        for epoch in range(epochs):
            checkpoint(epoch / epochs, report, cancelled)
            positive = self.hidden_probabilities(data)
            h = _sample(positive, rng)
            for _ in range(k):
                v = _sample(self.visible_probabilities(h), rng)
                negative = self.hidden_probabilities(v)
                h = _sample(negative, rng)
            self.weights += rate * (positive.T @ data - negative.T @ v) / count
            self.visible_bias += rate * (data - v).mean(axis=0)
            self.hidden_bias += rate * (positive - negative).mean(axis=0)
            measured = Epoch(
                start + epoch + 1,
                self.reconstruction_error(data),
                float(np.mean(self.free_energy(data))),
            )
            self.history.append(measured)
            done.append(measured)
            if on_epoch is not None:
                on_epoch(measured)
        checkpoint(1.0, report, cancelled)
        return done

    # -- sampling ---------------------------------------------------------------

    def gibbs(
        self,
        spins: np.ndarray,
        temperature: float,
        steps: int,
        rng: np.random.Generator,
        known: np.ndarray | None = None,
    ) -> Iterator[np.ndarray]:
        """Gibbs-sample from ``spins`` at ``temperature``: yield the visible spins each step.

        Each step samples ``h`` given ``v``, then ``v`` given ``h``; the magnets
        where ``known`` is True are clamped to their value in ``spins``.
        """
        start = to_bits(np.asarray(spins).reshape(-1))
        if start.shape != (self.visible,):
            raise ModelError(f"the grid must have {self.visible} magnets")
        mask = np.zeros(self.visible, bool) if known is None else np.asarray(known, bool)
        mask = mask.reshape(-1)
        if mask.shape != (self.visible,):
            raise ModelError("the known magnets must be a mask of the grid")
        v = start.copy()
        for _ in range(steps):
            h = _sample(self.hidden_probabilities(v, temperature), rng)
            v = _sample(self.visible_probabilities(h, temperature), rng)
            v[mask] = start[mask]
            yield to_spins(v)

    def recall(
        self,
        spins: np.ndarray,
        known: np.ndarray,
        temperature: float,
        steps: int,
        rng: np.random.Generator,
    ) -> Iterator[np.ndarray]:
        """Clamp the ``known`` magnets of a broken picture and sample the rest (``gibbs``)."""
        return self.gibbs(spins, temperature, steps, rng, known)

    def dream(
        self, temperature: float, steps: int, rng: np.random.Generator
    ) -> Iterator[np.ndarray]:
        """Free-running Gibbs sampling from random spins: the pictures learned come and go."""
        noise = rng.choice(np.array([-1, 1], dtype=np.int8), size=self.visible)
        return self.gibbs(noise, temperature, steps, rng)


def _conditional(x: np.ndarray, temperature: float) -> np.ndarray:
    if temperature < MIN_TEMPERATURE:
        return (x > 0).astype(np.float64)
    return sigmoid(x / temperature)


def _sample(probabilities: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return (rng.random(probabilities.shape) < probabilities).astype(np.float64)
