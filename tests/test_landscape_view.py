"""The landscape's maths: the energy in the plane of two overlaps, and the path's points."""

from __future__ import annotations

import numpy as np

from tui_hopfield.model.inside import OverlapTrace
from tui_hopfield.model.landscape_view import (
    cell_of,
    closest_pair,
    contour_grid,
    levels,
    next_pair,
    path_points,
    plane,
)
from tui_hopfield.model.rules import Rule


def learned(rule: Rule, n: int = 36, count: int = 4, seed: int = 3):
    rng = np.random.default_rng(seed)
    patterns = rng.choice(np.array([-1, 1], dtype=np.int8), size=(count, n))
    strengths = rng.uniform(0.5, 2.0, size=count)
    return rule.learn(patterns, strengths), patterns, strengths


def grid_dots(n: int, count: int, a: int, b: int, width: int, height: int) -> np.ndarray:
    """Raw overlaps d (height * width, P) at every cell's centre, the others 0."""
    ma = (np.arange(width) + 0.5) / width * 2 - 1
    mb = ((np.arange(height) + 0.5) / height * 2 - 1)[::-1]
    dots = np.zeros((height, width, count))
    dots[:, :, a] = n * ma[None, :]
    dots[:, :, b] = n * mb[:, None]
    return dots.reshape(-1, count), ma, mb


def test_the_contours_are_the_rules_energy_with_the_other_overlaps_at_zero():
    for rule in (
        Rule("hebbian"),
        Rule("pseudo-inverse"),
        Rule("dense", degree=3),
        Rule("dense", degree=4),
        Rule("dense", degree=None),
        Rule("modern", beta=8.0),
    ):
        landscape, patterns, c = learned(rule)
        n, count = patterns.shape[1], patterns.shape[0]
        a, b, width, height = 2, 0, 7, 5
        found = plane(landscape, a, b)
        drawn = contour_grid(found, width, height)
        dots, ma, mb = grid_dots(n, count, a, b, width, height)
        # The code's own energy at those overlaps:
        assert np.allclose(drawn.reshape(-1), landscape.energies_of_dots(dots), atol=1e-9)
        # And an independent dense computation of the formula:
        m_a, m_b = np.meshgrid(ma, mb)
        if rule.name == "hebbian":
            expected = -n / 2 * (c[a] * m_a**2 + c[b] * m_b**2) + c.sum() / 2
        elif rule.name == "pseudo-inverse":
            xi = patterns.astype(np.float64)
            w = (xi.T * np.sqrt(c)) @ np.linalg.pinv(xi @ xi.T) @ (np.sqrt(c)[:, None] * xi)
            m = np.sqrt(c)[:, None] * np.linalg.pinv(xi @ xi.T) * np.sqrt(c)[None, :]
            d = dots.reshape(height, width, count)
            expected = -0.5 * np.einsum("hwp,pq,hwq->hw", d, m, d) + np.trace(w) / 2
        elif rule.degree and rule.name == "dense":
            k = rule.degree
            expected = -(n / k) * (c[a] * m_a**k + c[b] * m_b**k)
        else:
            beta, scale = (1.0, 1.0) if rule.name == "dense" else (rule.beta / n, n / rule.beta)
            offset = 0.0 if rule.name == "dense" else n / 2
            rest = c.sum() - c[a] - c[b]
            total = c[a] * np.exp(beta * n * m_a) + c[b] * np.exp(beta * n * m_b) + rest
            expected = offset - scale * np.log(total)
        if rule.name != "pseudo-inverse":
            assert np.allclose(drawn, expected, atol=1e-9), rule
        else:
            assert np.allclose(drawn, expected, rtol=1e-6, atol=1e-6)
        bands = levels(drawn, 5)
        assert bands.min() == 0 and bands.max() == 4
        assert bands.flat[np.argmin(drawn)] == 0


def test_hebbs_valleys_are_at_the_memories_and_their_inverses():
    landscape, _, _ = learned(Rule("hebbian"))
    drawn = contour_grid(plane(landscape, 0, 1), 9, 9)
    corners = {drawn[0, 0], drawn[0, -1], drawn[-1, 0], drawn[-1, -1]}
    assert drawn[4, 4] == drawn.max()
    assert min(corners) == drawn.min()


def test_the_path_is_the_overlaps_of_the_recorded_states():
    rng = np.random.default_rng(5)
    xi = rng.choice(np.array([-1.0, 1.0]), size=(3, 36))
    states = [rng.choice(np.array([-1, 1]), size=36) for _ in range(4)]
    trace = OverlapTrace(xi @ states[0] / 36)
    for position, state in enumerate(states[1:], start=1):
        trace.add(position * 3, xi @ state / 36)
    positions, points = path_points(trace, (2, 0))
    assert list(positions) == [0, 3, 6, 9]
    for state, point in zip(states, points, strict=True):
        assert np.allclose(point, [xi[2] @ state / 36, xi[0] @ state / 36])


def test_the_pair_and_the_cells():
    assert closest_pair(np.array([0.1, -0.9, 0.5])) == (1, 2)
    assert next_pair((1, 2), 3) == (1, 0)
    assert next_pair((1, 0), 3) == (1, 2)
    assert cell_of(1.0, 0.0, 10, 5) == (2, 9)
    assert cell_of(-1.0, 1.0, 10, 5) == (0, 0)
    assert cell_of(0.0, -1.0, 10, 5) == (4, 5)


def test_every_state_lies_in_the_reachable_cells_and_the_extremes_are_reached():
    from tui_hopfield.model.landscape_view import reachable

    landscape, patterns, _ = learned(Rule("hebbian"), n=40)
    found = plane(landscape, 0, 1)
    width, height = 21, 11
    inside = reachable(found, width, height)
    xi = patterns.astype(np.float64)
    rng = np.random.default_rng(9)
    states = [rng.choice(np.array([-1, 1]), size=40) for _ in range(300)]
    states += [xi[0], -xi[0], xi[1], -xi[1]]
    for state in states:
        ma, mb = xi[0] @ state / 40, xi[1] @ state / 40
        assert inside[cell_of(ma, mb, width, height)]
    assert not inside.all()  # the corners m_a = m_b = +-1 need xi_a = xi_b
