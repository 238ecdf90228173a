"""Dense associative memory (Krotov & Hopfield 2016): ``E = -(N/n) sum_mu c_mu m_mu^n``.

The overlap is ``m = d / N``; n = 2 is the classic network. The exponential
form (Demircigil et al. 2017) is the log-sum-exp landscape ``modern.Softmax``
with beta = 1: ``E = -log sum_mu c_mu exp(d_mu)``, the logarithm of their
``-sum exp``, the same descent with numbers that fit a float.
"""

from __future__ import annotations

import math

import numpy as np

from tui_hopfield.model.rules.landscape import Linear


class Polynomial(Linear):
    """Dense associative memory: ``E = -(N/n) sum_mu c_mu m_mu^n``, ``m = d / N``.

    Turning spin i over changes every overlap by ``t = -2 s_i xi_mu,i / N``, and
    ``(m + t)^n - m^n`` splits into the even powers of t (the same for every
    spin) and the odd ones (a sign times a number per memory), so dE is linear
    in ``xi^T a`` and a whole sweep is one matrix product.
    """

    def __init__(
        self, patterns: np.ndarray, strengths: np.ndarray, columns: np.ndarray | None, degree: int
    ) -> None:
        super().__init__(patterns, strengths, columns)
        self.degree = degree
        """The power n."""
        # |m| <= 1, so the terms of a and K add up to at most (N/n) c ((1 + 2/N)^n - 1).
        growth = math.expm1(degree * math.log1p(2.0 / self.n))
        self.span = self.n / degree * float(strengths.sum()) * growth * (1.0 + 1e-12)

    def coefficients(self, dots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n, degree = self.n, self.degree
        m = dots / n
        step = -2.0 / n
        odd = np.zeros_like(m)
        even = np.zeros_like(m)
        for k in range(1, degree + 1):
            term = math.comb(degree, k) * step**k * m ** (degree - k)
            if k % 2:
                odd += term
            else:
                even += term
        scale = -n / degree
        return scale * odd * self.strengths, scale * (even @ self.strengths)

    def energy(self, state: np.ndarray, dots: np.ndarray) -> float:
        return float(self.energies_of_dots(dots[None, :])[0])

    def energies(self, states: np.ndarray) -> np.ndarray:
        return self.energies_of_dots(self.dots(states))

    def energies_of_dots(self, dots: np.ndarray) -> np.ndarray:
        """E = -(N/n) sum c m^n."""
        return -(self.n / self.degree) * ((dots / self.n) ** self.degree @ self.strengths)
