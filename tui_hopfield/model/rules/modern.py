"""The log-sum-exp landscape: the modern Hopfield network, and the dense exp memory.

Modern Hopfield (Ramsauer et al. 2020): the continuous update
``x <- xi^T softmax(beta m + log c)``; its energy
``-(N/beta) log sum_mu c_mu exp(beta m_mu) + x.x / 2``. With beta = 1 on raw
overlaps and no offset the same landscape is the dense memory's exponential
form (Demircigil et al. 2017).
"""

from __future__ import annotations

import math

import numpy as np

from tui_hopfield.model.rules.kernels import chunks
from tui_hopfield.model.rules.landscape import Landscape


class Softmax(Landscape):
    """``E = -scale log sum_mu c_mu exp(beta d_mu)``: dense exp, and the modern network.

    Turning spin i over multiplies each ``exp(beta d_mu)`` by ``exp(-2 beta t)``
    with ``t = s_i xi_mu,i = +-1``, which is ``cosh(2 beta) - sinh(2 beta) t``;
    so ``dE_i = -scale log(cosh 2beta - sinh 2beta s_i (xi^T p)_i)`` with ``p``
    the softmax of the overlaps. The shift by the largest overlap keeps every
    exponential finite.
    """

    def __init__(
        self,
        patterns: np.ndarray,
        strengths: np.ndarray,
        columns: np.ndarray | None,
        beta: float,
        scale: float,
        offset: float = 0.0,
    ) -> None:
        super().__init__(patterns, strengths, columns)
        self.offset = offset
        """Added to every energy: N/2 for the modern network, whose energy holds ``x.x / 2``."""
        self.beta = beta
        """The inverse temperature on raw overlaps d."""
        self.scale = scale
        """The factor in front of the log-sum-exp."""
        self._cosh = math.cosh(2 * beta)
        self._sinh = math.sinh(2 * beta)
        self._log_c = np.log(strengths)

    def weights(self, dots: np.ndarray) -> np.ndarray:
        """softmax(beta d + log c) over memories: (B, P) -> (B, P)."""
        z = self.beta * dots + self._log_c
        z -= z.max(axis=-1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=-1, keepdims=True)

    def reset(self, state: np.ndarray, dots: np.ndarray) -> None:
        self._p = self.weights(dots[None, :])[0]

    def flipped(self, index: int, old: int, state: np.ndarray, dots: np.ndarray) -> None:
        self.reset(state, dots)

    def flip_energy(self, index: int, state: np.ndarray) -> float:
        x = int(state[index]) * float(self._columns[index] @ self._p)
        return -self.scale * math.log(self._cosh - self._sinh * x)

    def flip_energies_near(
        self, index: np.ndarray, state: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | float]:
        # x = s_i (xi^T p)_i in float32 is off by at most about P u ||p||_1 = P u; dE is
        # monotone in x on [-1, 1], so the ends of x's interval bound dE's.
        block = np.empty((len(index), self.count), dtype=np.float32)
        np.copyto(block, self._columns[index], casting="unsafe")
        x = (block @ self._p.astype(np.float32)).astype(np.float64) * state[index]
        width = 2.0 * (self.count + 4) * 2.0**-23
        approx = self._of_x(np.clip(x, -1.0, 1.0))
        low = self._of_x(np.clip(x - width, -1.0, 1.0))
        high = self._of_x(np.clip(x + width, -1.0, 1.0))
        bound = np.maximum(high - approx, approx - low)
        bound += 1e-12 * (np.abs(approx) + 1.0)
        return approx, np.abs(bound)

    def _of_x(self, x: np.ndarray) -> np.ndarray:
        return -self.scale * np.log(self._cosh - self._sinh * x)

    def flip_energies(
        self, states: np.ndarray, dots: np.ndarray | None = None, exact: bool = True
    ) -> np.ndarray:
        states = np.atleast_2d(states)
        dots = self.dots(states) if dots is None else np.atleast_2d(dots)
        x = states * self.project(self.weights(dots), exact)
        return -self.scale * np.log(self._cosh - self._sinh * x)

    def energy(self, state: np.ndarray, dots: np.ndarray) -> float:
        return float(self.energies_of_dots(dots[None, :])[0])

    def energies(self, states: np.ndarray) -> np.ndarray:
        return self.energies_of_dots(self.dots(states))

    def energies_of_dots(self, dots: np.ndarray) -> np.ndarray:
        """-scale log sum c exp(beta d), computed without overflow."""
        z = self.beta * dots + self._log_c
        top = z.max(axis=-1)
        lse = top + np.log(np.exp(z - top[:, None]).sum(axis=-1))
        return self.offset - self.scale * lse

    # -- the modern network's continuous update ------------------------------

    def retrieve(self, values: np.ndarray) -> np.ndarray:
        """One modern update of continuous states (B, N): ``xi^T softmax(beta xi x + log c)``."""
        values = np.atleast_2d(values).astype(np.float32)
        floats = self.floats()
        if floats is not None:
            dots = values @ floats.T
        else:
            dots = np.zeros((values.shape[0], self.count), dtype=np.float32)
            for part in chunks(self.n, 4 * max(1, self.count + values.shape[0])):
                dots += values[:, part] @ self._columns[part].astype(np.float32)
        return self.project(self.weights(dots.astype(np.float64)), exact=False)

    def continuous_energies(self, values: np.ndarray) -> np.ndarray:
        """Ramsauer's energy of continuous states: ``-scale lse + x.x / 2``."""
        values = np.atleast_2d(values).astype(np.float64)
        dots = values @ self._columns.astype(np.float64)
        squares = np.einsum("bi,bi->b", values, values)
        return self.energies_of_dots(dots) - self.offset + 0.5 * squares
