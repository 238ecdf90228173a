"""The phase diagram of Hebb's network in theory: Amit, Gutfreund & Sompolinsky's lines.

Amit, Gutfreund and Sompolinsky (1985; Annals of Physics 173, 1987) solved the
Hopfield network with P = alpha N random patterns at temperature T = 1 / beta
in the replica-symmetric approximation. A retrieval state, overlap m with one
pattern, solves

    m = E_z tanh(beta (m + sqrt(alpha r) z))
    q = E_z tanh^2(beta (m + sqrt(alpha r) z))
    r = q / (1 - beta (1 - q))^2

with z a standard Gaussian (the cross-talk of the other patterns). Such
states exist below the retrieval line T_M(alpha): T_M(0) = 1, T_M falls like
1 - 1.95 sqrt(alpha) for small loads and reaches T = 0 at alpha_c = 0.138,
where at T = 0 the equations become ``m = erf(m / sqrt(2 alpha r))``. Above
the spin-glass line T_g = 1 + sqrt(alpha) the only state is the paramagnet
(m = q = 0); between the lines the network freezes into states near no
pattern (a spin glass).

The solver here writes ``u = sqrt(alpha r)`` and, for each temperature and
each overlap m, finds the u that makes m a solution of the first equation (the
right side falls as u grows, so by bisection); the other two then give alpha.
The largest alpha over m is alpha_M(T), the retrieval line read the other way.
Numpy only: the Gaussian average is a weighted sum on a grid of z.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

Z_GRID = np.linspace(-7.0, 7.0, 281)
"""The points of the Gaussian average over z."""
Z_WEIGHTS = np.exp(-(Z_GRID**2) / 2) / np.exp(-(Z_GRID**2) / 2).sum()
"""Their weights (summing to 1)."""
COLD = 0.05
"""Below this temperature the grid of z is too coarse for tanh(beta x); the line is
interpolated to its T = 0 value, solved exactly."""
LINE_POINTS = 40
"""Temperatures at which the retrieval line is solved (between COLD and 1)."""


def spin_glass_temperature(alpha: float | np.ndarray) -> float | np.ndarray:
    """T_g = 1 + sqrt(alpha): above it the network is a paramagnet (m = q = 0)."""
    return 1.0 + np.sqrt(alpha)


@cache
def zero_temperature_capacity() -> float:
    """alpha_c, where retrieval ends at T = 0: 0.1379.

    At T = 0 with ``y = m / sqrt(2 alpha r)`` the equations give
    ``sqrt(2 alpha) y = erf(y) - 2 y exp(-y^2) / sqrt(pi)``; alpha_c is the largest
    alpha that has a solution.
    """
    erf = np.frompyfunc(math.erf, 1, 1)
    y = np.linspace(0.5, 3.0, 25_001)
    alpha = (erf(y).astype(float) - 2 * y * np.exp(-y * y) / math.sqrt(math.pi)) ** 2 / (2 * y * y)
    return float(alpha.max())


def retrieval_capacity(temperature: float) -> float:
    """alpha_M(T): the largest load at which a retrieval state exists at ``temperature``.

    0 from T = 1 on; alpha_c (``zero_temperature_capacity``) at T = 0.
    """
    if temperature >= 1.0:
        return 0.0
    if temperature < COLD:
        cold = _capacity_at(COLD)
        top = zero_temperature_capacity()
        return top + (cold - top) * max(temperature, 0.0) / COLD
    return _capacity_at(temperature)


def _capacity_at(temperature: float) -> float:
    beta = 1.0 / temperature
    best = 0.0
    # A coarse scan of m (log-spaced: near T = 1 the last retrieval states have m -> 0),
    # then a finer one around the best.
    m = np.geomspace(1e-4, 1.0 - 1e-6, 80)
    for _ in range(2):
        alpha = _alpha_of_overlap(beta, m)
        k = int(np.argmax(alpha))
        best = max(best, float(alpha[k]))
        m = np.linspace(m[max(k - 1, 0)], m[min(k + 1, len(m) - 1)], 40)
    return best


def _alpha_of_overlap(beta: float, m: np.ndarray) -> np.ndarray:
    """For each overlap m, the load alpha at which m solves the equations (0: none)."""
    low = np.zeros_like(m)
    high = np.full_like(m, 10.0)
    for _ in range(40):
        u = (low + high) / 2
        right = np.tanh(beta * (m[:, None] + u[:, None] * Z_GRID)) @ Z_WEIGHTS
        above = right > m
        low = np.where(above, u, low)
        high = np.where(above, high, u)
    u = (low + high) / 2
    t = np.tanh(beta * (m[:, None] + u[:, None] * Z_GRID))
    q = (t * t) @ Z_WEIGHTS
    c = beta * (1.0 - q)
    # m needs u > 0 (tanh(beta m) > m) and a finite r (beta (1 - q) < 1).
    valid = (np.tanh(beta * m) > m) & (c < 1.0)
    return np.where(valid, u * u * (1.0 - c) ** 2 / q, 0.0)


def line_temperatures() -> list[float]:
    """The temperatures of the retrieval line's points: 0, then ``LINE_POINTS`` from COLD to 1."""
    return [0.0, *np.linspace(COLD, 1.0, LINE_POINTS).tolist()]


RETRIEVAL_ALPHAS = (
    0.13790556644154445,
    0.13773170235662893,
    0.1367487699638466,
    0.1351511468111587,
    0.13290157946029638,
    0.1301806186725771,
    0.12687536318291479,
    0.12318495434170137,
    0.11904170142320328,
    0.11453583038161538,
    0.10973553534845927,
    0.10469226528302616,
    0.09944431631095331,
    0.09405855253812206,
    0.08858822409531293,
    0.08307446555448084,
    0.07754833704128626,
    0.07205551067546087,
    0.06662505064743797,
    0.06129319976154677,
    0.05609140409873842,
    0.051033501153602084,
    0.04613929901393528,
    0.0414399721111043,
    0.0369391434866031,
    0.032654662852002934,
    0.0286015262044292,
    0.024786307668839835,
    0.021223155373059053,
    0.017915432052169104,
    0.014871114847441953,
    0.012096978869413187,
    0.009597279810684773,
    0.007378445154417483,
    0.005442935928176547,
    0.0037954350803752032,
    0.0024394342726695396,
    0.0013781765714718428,
    0.0006153183579929363,
    0.00015458073365738224,
    0.0,
)
"""alpha_M(T) at each of ``line_temperatures()``, as ``solve_retrieval_line`` finds them.

Solving takes 1.2 to 1.6 s of numpy (55 million tanh), which the lab would pay on the
app's event loop when it first draws its phase diagram; ``tests/test_phase.py`` solves
the line again and checks it against these to 1e-9.
"""


@cache
def retrieval_line() -> tuple[tuple[float, float], ...]:
    """The retrieval line as points (alpha_M(T), T), from (alpha_c, 0) to (0, 1)."""
    return tuple(zip(RETRIEVAL_ALPHAS, line_temperatures(), strict=True))


def solve_retrieval_line() -> tuple[tuple[float, float], ...]:
    """The retrieval line solved afresh (``retrieval_capacity`` at each temperature)."""
    return tuple((retrieval_capacity(t), float(t)) for t in line_temperatures())


def retrieval_temperature(alpha: float) -> float:
    """T_M(alpha): the highest temperature with a retrieval state at load ``alpha``.

    1 at alpha = 0, 0 at alpha_c and NaN past it.
    """
    line = retrieval_line()
    alphas = np.array([a for a, _ in line])[::-1]  # rising with T falling
    temperatures = np.array([t for _, t in line])[::-1]
    if alpha < 0 or alpha > alphas[-1]:
        return math.nan
    return float(np.interp(alpha, alphas, temperatures))


def theory_phase(alpha: float, temperature: float) -> str:
    """The phase AGS put at (alpha, T): ``retrieval``, ``spin glass`` or ``paramagnet``."""
    if temperature >= spin_glass_temperature(alpha):
        return "paramagnet"
    limit = retrieval_temperature(alpha)
    if not math.isnan(limit) and temperature < limit:
        return "retrieval"
    return "spin glass"
