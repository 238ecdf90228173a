"""The landscape view's maths: the rule's energy in the plane of two overlaps, and the path.

The plane is that of the overlaps ``(m_a, m_b)`` of the state with two memories
a and b, every other overlap set to 0 (the mean-field picture: a state made of
these two memories only). ``plane_energies`` evaluates the energy the code uses
(``model.rules``: the same constants, so the numbers match the energy readout
at such a state) there in closed form, O(1) a point after O(P) once:

- Hebb: ``E = -N/2 (c_a m_a^2 + c_b m_b^2) + sum c / 2``;
- pseudo-inverse: ``E = -N^2/2 (M_aa m_a^2 + 2 M_ab m_a m_b + M_bb m_b^2) + tr W / 2``;
- dense x^n: ``E = -(N/n) (c_a m_a^n + c_b m_b^n)``;
- dense exp and modern: ``E = offset - scale log(c_a e^(beta N m_a) + c_b e^(beta N m_b)
  + sum_others c)`` (the others' exponentials are e^0 = 1): dense exp has beta = scale = 1,
  offset 0; the modern network beta / N, N / beta and N / 2 for its beta;
- Storkey has no energy in the overlaps (its W is learned with corrections): the
  view draws Hebb's with the same strengths, and says so.

``path_points`` reads the pair's overlaps off an ``OverlapTrace``, the samples
the side panel takes once a frame (O(P) each): no extra work per frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tui_hopfield.model.rules import Hebbian, Polynomial, PseudoInverse, Softmax


@dataclass(frozen=True)
class Plane:
    """What the landscape draws for a pair of memories: the formula and its terms."""

    kind: str
    """``hebbian``, ``pseudo-inverse``, ``dense``, ``softmax`` or ``storkey`` (Hebb's drawn)."""
    formula: str
    """The energy drawn, as the view writes it."""
    n: int
    """N, the spins."""
    a: int
    """The memory along the horizontal axis (m_a)."""
    b: int
    """The memory along the vertical axis (m_b)."""
    terms: tuple[float, ...]
    """The constants of the formula, by kind (see ``plane``)."""
    q: float = 0.0
    """The memories' own overlap xi_a . xi_b / N: it bounds where a state can be."""


def plane(landscape, a: int, b: int) -> Plane:
    """The energy in the plane (m_a, m_b) for ``landscape``, in O(N + P) once per pair."""
    n = landscape.n
    rows = landscape.patterns
    q = float(rows[a].astype(np.int64) @ rows[b].astype(np.int64)) / n
    return _plane(landscape, a, b, n, q)


def _plane(landscape, a: int, b: int, n: int, q: float) -> Plane:
    c = np.asarray(landscape.strengths, dtype=np.float64)
    if isinstance(landscape, PseudoInverse):
        m = landscape.matrix
        trace = float(landscape.diagonal.sum())
        terms = (float(m[a, a]), float(m[a, b]), float(m[b, b]), trace)
        formula = "E = -(d M d - tr W) / 2, d = N (m_a, m_b)"
        return Plane("pseudo-inverse", formula, n, a, b, terms, q)
    if isinstance(landscape, Polynomial):
        k = landscape.degree
        terms = (float(c[a]), float(c[b]), float(k))
        return Plane("dense", f"E = -(N/{k}) (c_a m_a^{k} + c_b m_b^{k})", n, a, b, terms, q)
    if isinstance(landscape, Softmax):
        rest = float(c.sum() - c[a] - c[b])
        terms = (float(c[a]), float(c[b]), rest, landscape.beta, landscape.scale, landscape.offset)
        if landscape.offset:  # the modern network: beta / N, N / beta, N / 2 (rules.rule)
            beta = landscape.beta * n
            formula = f"E = N/2 - (N/\u03b2) log \u03a3 c e^(\u03b2 m), \u03b2 = {beta:g}"
        else:  # dense exp: E = -log sum c e^(N m), scaled as the rule has it
            formula = "E = -log \u03a3 c e^(N m)"
            if landscape.scale != 1 or landscape.beta != 1:
                formula = f"E = -{landscape.scale:g} log \u03a3 c e^({landscape.beta * n:g} m)"
        return Plane("softmax", formula, n, a, b, terms, q)
    terms = (float(c[a]), float(c[b]), float(c.sum()))
    formula = "E = -N/2 (c_a m_a\u00b2 + c_b m_b\u00b2) + \u03a3c/2"
    kind = "hebbian" if isinstance(landscape, Hebbian) else "storkey"
    return Plane(kind, formula, n, a, b, terms, q)


def plane_energies(found: Plane, ma: np.ndarray, mb: np.ndarray) -> np.ndarray:
    """The energy at overlaps ``(ma, mb)`` (broadcast arrays), every other overlap at 0."""
    ma = np.asarray(ma, dtype=np.float64)
    mb = np.asarray(mb, dtype=np.float64)
    n = found.n
    if found.kind == "pseudo-inverse":
        aa, ab, bb, trace = found.terms
        return -(n * n) / 2 * (aa * ma**2 + 2 * ab * ma * mb + bb * mb**2) + trace / 2
    if found.kind == "dense":
        ca, cb, k = found.terms
        return -(n / k) * (ca * ma ** int(k) + cb * mb ** int(k))
    if found.kind == "softmax":
        ca, cb, rest, beta, scale, offset = found.terms
        za, zb = beta * n * ma + np.log(ca), beta * n * mb + np.log(cb)
        lse = np.logaddexp(za, zb)
        if rest > 0:
            lse = np.logaddexp(lse, np.log(rest))
        return offset - scale * lse
    ca, cb, total = found.terms
    return -n / 2 * (ca * ma**2 + cb * mb**2) + total / 2


def axis(cells: int) -> np.ndarray:
    """The overlaps at the centres of ``cells`` cells spanning [-1, 1]."""
    return (np.arange(cells) + 0.5) / cells * 2.0 - 1.0


def contour_grid(found: Plane, width: int, height: int) -> np.ndarray:
    """The energy at each cell's centre, (height, width): row 0 is m_b near +1 (the top),
    column 0 is m_a near -1 (the left)."""
    ma = axis(width)[None, :]
    mb = axis(height)[::-1, None]
    return plane_energies(found, ma, mb)


def reachable(found: Plane, width: int, height: int) -> np.ndarray:
    """Which cells (height, width) hold overlaps a state of N spins can have, to a cell.

    On the spins where xi_a = xi_b (a fraction (1 + q) / 2) only m_a + m_b moves, on the
    others only m_a - m_b: so exactly |m_a + m_b| <= 1 + q and |m_a - m_b| <= 1 - q.
    A cell counts when any part of it is inside (half a cell's slack).
    """
    ma = axis(width)[None, :]
    mb = axis(height)[::-1, None]
    slack = 1.0 / width + 1.0 / height
    return (np.abs(ma + mb) <= 1 + found.q + slack) & (np.abs(ma - mb) <= 1 - found.q + slack)


def levels(energies: np.ndarray, count: int, inside: np.ndarray | None = None) -> np.ndarray:
    """Each energy's contour band, 0 (the lowest: the valleys) to ``count - 1``, equal
    bands between the lowest and highest energy ``inside`` (all cells by default);
    -1 for the cells outside."""
    inside = np.ones(energies.shape, dtype=bool) if inside is None else inside
    if not inside.any():
        return np.full(energies.shape, -1, dtype=int)
    low, high = float(energies[inside].min()), float(energies[inside].max())
    if high <= low:
        bands = np.zeros(energies.shape, dtype=int)
    else:
        bands = np.clip(np.floor((energies - low) / (high - low) * count), 0, count - 1)
    return np.where(inside, bands, -1).astype(int)


def cell_of(ma: float, mb: float, width: int, height: int) -> tuple[int, int]:
    """The (row, column) of the cell holding overlaps (ma, mb), as ``contour_grid`` lays out."""
    col = int(np.clip(np.floor((ma + 1.0) / 2.0 * width), 0, width - 1))
    row = int(np.clip(np.floor((1.0 - mb) / 2.0 * height), 0, height - 1))
    return row, col


def closest_pair(overlaps: np.ndarray) -> tuple[int, int]:
    """The two memories with the largest |overlap| (the larger first); needs P >= 2."""
    order = np.argsort(-np.abs(np.asarray(overlaps)), kind="stable")
    return int(order[0]), int(order[1])


def next_pair(pair: tuple[int, int], count: int) -> tuple[int, int]:
    """The pair with the same first memory and the next other one as the second (cycling)."""
    a, b = pair
    b = (b + 1) % count
    if b == a:
        b = (b + 1) % count
    return a, b


def path_points(trace, pair: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The path in the plane: (positions (K,), overlaps (K, 2)) of the trace's samples."""
    a, b = pair
    points = np.array([[sample[a], sample[b]] for sample in trace.samples], dtype=np.float64)
    return np.asarray(trace.positions), points
