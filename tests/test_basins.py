"""Basin maps: exact asynchronous recall, the map's values, basin radii, the CLI, the Lab tab."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from PIL import Image
from textual.widgets import DataTable, Input, Select, TabbedContent

from tests.conftest import open_the_lab
from tui_hopfield import cli
from tui_hopfield.experiments.basins import (
    BasinSettings,
    Memories,
    basin_radius,
    parse_noises,
    run_basins,
)
from tui_hopfield.experiments.recall import recall_cues
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.network import Network
from tui_hopfield.model.patterns import random_patterns
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.store import Session, save
from tui_hopfield.ui.lab_screen import ChartView, LabScreen


def hebb_weights(patterns: np.ndarray) -> np.ndarray:
    """W = xi^T xi / N with a zero diagonal, written out."""
    xi = patterns.astype(np.float64)
    weights = xi.T @ xi / xi.shape[1]
    np.fill_diagonal(weights, 0.0)
    return weights


def dense_energy(patterns: np.ndarray, state: np.ndarray, degree: int) -> float:
    """E = -(N/n) sum m^n, from its definition."""
    n = patterns.shape[1]
    m = patterns.astype(np.float64) @ state / n
    return -(n / degree) * float(np.sum(m**degree))


def reference_async(energy, state: np.ndarray, rng: np.random.Generator, max_sweeps: int = 50):
    """Asynchronous T = 0 dynamics spin by spin, each sweep's order ``rng.permutation(N)``
    as the batch recall draws it: (final state, sweeps counting the last, fixed point)."""
    state = state.astype(np.int64).copy()
    n = len(state)
    sweeps = 0
    while sweeps < max_sweeps:
        order = rng.permutation(n)
        flips = 0
        for i in order:
            turned = state.copy()
            turned[i] = -turned[i]
            delta = energy(turned) - energy(state)
            if delta < -1e-9:
                state = turned
                flips += 1
        sweeps += 1
        if not flips:
            return state, sweeps, True
    return state, sweeps, False


@pytest.mark.parametrize("rule", [Rule("hebbian"), Rule("dense", 3)], ids=["hebb", "dense3"])
def test_async_recall_is_the_spin_by_spin_dynamics_with_the_same_orders(rule):
    rng = np.random.default_rng(5)
    n = 24
    patterns = random_patterns(4, n, rng)
    landscape = rule.learn(patterns, np.ones(4))
    if rule.name == "hebbian":
        weights = hebb_weights(patterns)

        def energy(s):
            return -0.5 * float(s @ weights @ s)
    else:

        def energy(s):
            return dense_energy(patterns, s, 3)

    for k in range(8):
        cue = rng.choice(np.array([-1, 1], dtype=np.int8), n)
        got = recall_cues(landscape, rule, cue[None, :], "async", np.random.default_rng(k))
        state, sweeps, fixed = reference_async(energy, cue, np.random.default_rng(k))
        assert np.array_equal(got.states[0], state), k
        assert got.steps[0] == sweeps and got.fixed[0] == fixed


def test_every_async_recall_ends_at_a_fixed_point_of_the_rule():
    rng = np.random.default_rng(2)
    for rule in (Rule("pseudo-inverse"), Rule("storkey"), Rule("dense", None)):
        patterns = random_patterns(12, 64, rng)
        landscape = rule.learn(patterns, np.ones(12))
        cues = rng.choice(np.array([-1, 1], dtype=np.int8), (40, 64))
        done = recall_cues(landscape, rule, cues, "async", np.random.default_rng(0))
        assert done.fixed.all()
        delta = landscape.flip_energies(done.states)
        assert (delta >= -1e-6 * np.abs(delta).max()).all(), rule.name


def sync_dense(weights: np.ndarray, cue: np.ndarray, max_steps: int = 50):
    """Synchronous T = 0 recall with a dense W: (final state, ended at a fixed point)."""
    state = cue.astype(np.int64)
    last = None
    for _ in range(max_steps):
        delta = 2 * state * (weights @ state)
        flips = delta < -1e-9 * max(1.0, np.abs(delta).max())
        if not flips.any():
            return state, True
        state = np.where(flips, -state, state)
        if last is not None and np.array_equal(flips, last):
            return state, False
        last = flips
    return state, False


def test_the_maps_cells_are_an_independent_dense_computations_of_the_same_cues():
    calls = []

    def spy(landscape, rule, cues, mode, rng, max_steps):
        calls.append((landscape.patterns.copy(), cues.copy()))
        return recall_cues(landscape, rule, cues, mode, rng, max_steps)

    settings = BasinSettings(
        n=32, alphas=(0.1, 0.25), noises=(0.0, 0.2, 0.4), cues=2, probes=3, trials=1, seed=4,
        mode="sync",
    )  # fmt: skip
    result = run_basins(settings, recaller=spy)
    assert result.complete and len(calls) == 2 and len(result.cells) == 6
    for patterns, cues in calls:
        count = len(patterns)
        weights = hebb_weights(patterns)
        targets = np.tile(patterns[:3], (2, 1))  # cue number, then pattern
        per_level = len(targets)
        for level, noise in enumerate(settings.noises):
            overlaps, exact = [], []
            for row in range(per_level):
                cue = cues[level * per_level + row]
                target = targets[row]
                assert np.count_nonzero(cue != target) == round(noise * 32)
                state, fixed = sync_dense(weights, cue)
                overlaps.append(state @ target / 32)
                exact.append(fixed and np.array_equal(state, target))
            cell = result.cell(count / 32, noise)
            assert cell.recalls == per_level
            assert cell.overlap == pytest.approx(np.mean(overlaps))
            assert cell.exact == pytest.approx(np.mean(exact))


def test_a_two_cycle_through_the_pattern_is_not_exact():
    from tui_hopfield.experiments.recall import Recalled

    def cycling(landscape, rule, cues, mode, rng, max_steps):
        # Every run "ends" on its own pattern, but in a 2-cycle, not at a fixed point.
        states = np.tile(landscape.patterns[:1], (len(cues), 1))
        none = np.zeros(len(cues), dtype=bool)
        return Recalled(states, np.ones(len(cues), dtype=int), none, ~none)

    settings = BasinSettings(n=16, alphas=(1 / 16,), noises=(0.0,), cues=1, trials=1, seed=1)
    (cell,) = run_basins(settings, recaller=cycling).cells
    assert cell.overlap == 1.0 and cell.cycled == 1.0
    assert cell.exact == 0.0 and cell.fixed == 0.0 and cell.cut == 0.0


def test_a_basin_radius_is_the_last_level_before_the_first_failure():
    noises = (0.0, 0.1, 0.2, 0.3)
    assert basin_radius(noises, np.array([1.0, 0.5, 0.25, 1.0])) == 0.1
    assert basin_radius(noises, np.array([1.0, 1.0, 1.0, 1.0])) == 0.3
    assert basin_radius(noises, np.array([0.25, 1.0, 1.0, 1.0])) is None


def test_a_pattern_alone_has_a_basin_near_one_half_and_a_crowd_shrinks_it():
    rng = np.random.default_rng(3)
    alone = Memories(("one",), random_patterns(1, 128, rng), np.ones(1), "test")
    single = run_basins(BasinSettings(memories=alone, cues=8, trials=1, seed=1))
    (picture,) = single.pictures()
    assert picture.name == "one" and picture.radius >= 0.45
    crowded = run_basins(
        BasinSettings(n=128, alphas=(0.02, 0.12), cues=4, probes=8, trials=1, seed=1)
    )
    low, high = crowded.summaries()
    assert low.mean >= 0.4
    assert high.none + high.cued > 0 and (high.mean or 0.0) < low.mean


def test_stop_keeps_the_loads_done_and_says_it_stopped():
    asked = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 1  # the first load only

    settings = BasinSettings(n=32, alphas=(0.1, 0.2), noises=(0.0, 0.2), trials=1, seed=1)
    result = run_basins(settings, stop=stop)
    assert not result.complete
    assert {cell.patterns for cell in result.cells} == {3}
    assert [s.patterns for s in result.summaries()] == [3]


def test_noise_levels_parse_and_refuse():
    assert parse_noises("0:0.2:0.1") == (0.0, 0.1, 0.2)
    assert parse_noises("0.3,0,0.1,0.1") == (0.0, 0.1, 0.3)
    with pytest.raises(ModelError, match=r"\[0, 0.5\]"):
        parse_noises("0.6")
    with pytest.raises(ModelError, match="START:STOP:STEP"):
        parse_noises("lots")


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_command_prints_the_maps_and_writes_csv_json_png(capsys, tmp_path):
    table, data, picture = tmp_path / "b.csv", tmp_path / "b.json", tmp_path / "b.png"
    radii = tmp_path / "radii.csv"
    status, out, err = run(
        capsys,
        "basins",
        *("--size", "32", "--alphas", "0.05,0.2", "--noises", "0,0.25", "--trials", "1"),
        *("--seed", "1", "--csv", str(table), "--json", str(data), "--png", str(picture)),
        *("--radii-csv", str(radii)),
    )
    assert status == 0, err
    assert "recall: asynchronous (exact" in out
    assert "share exact, by noise" in out and "basin radius" in out
    assert "share exact: hebbian, N = 32" in out  # the text heat map
    rows = list(csv.DictReader(table.open()))
    assert [(row["patterns"], row["noise"]) for row in rows] == [
        ("2", "0.0"), ("2", "0.25"), ("6", "0.0"), ("6", "0.25"),
    ]  # fmt: skip
    assert float(rows[0]["exact"]) == 1.0
    report = json.loads(data.read_text())
    assert report["experiment"] == "basins" and report["settings"]["mode"] == "async"
    assert len(report["cells"]) == 4 and report["summaries"][0]["patterns"] == 2
    assert Image.open(picture).size[0] > 400
    assert len(list(csv.DictReader(radii.open()))) == 2 + 6


def test_the_command_measures_a_saved_sessions_memories(capsys, tmp_path):
    rng = np.random.default_rng(8)
    patterns = random_patterns(2, 64, rng)
    session = Session(8, 8, ["smile", "house"], patterns, np.array([1.0, 2.0]), patterns[0].copy())
    path = save(session, tmp_path / "two.hopfield")
    status, out, err = run(
        capsys, "basins", "--session", str(path), "--noises", "0,0.2", "--seed", "2", "--quiet"
    )
    assert status == 0, err
    assert "memories: session two.hopfield, P = 2, N = 64" in out
    lines = [line.split() for line in out.splitlines()]
    smile = next(line for line in lines if line[:1] == ["smile"])
    house = next(line for line in lines if line[:1] == ["house"])
    assert smile[:4] == ["smile", "1.0", "0.20", "1.00"]  # radius 0.2, a fixed point
    assert house == ["house", "2.0", "0.20", "1.00", "1.00"]  # the stronger one holds at 0.2
    assert float(smile[4]) >= 0.5


def test_bad_arguments_exit_with_the_usage(capsys):
    with pytest.raises(SystemExit) as exit:
        cli.main(["basins", "--noises", "0.7"])
    assert exit.value.code == 2
    assert "[0, 0.5]" in capsys.readouterr().err


async def wait_for(pilot, condition, timeout: float = 60.0) -> None:
    import asyncio

    waited = 0.0
    while not condition() and waited < timeout:
        await asyncio.sleep(0.02)
        waited += 0.02
    assert condition(), "timed out"
    await pilot.pause()


async def test_the_lab_tab_runs_a_map_and_shows_heat_maps_and_radii(app):
    async with app.run_test(size=(100, 40)) as pilot:
        screen = LabScreen(seed=1)
        await pilot.app.push_screen(screen)
        await pilot.pause()
        screen.query_one(TabbedContent).active = "basins"
        await pilot.pause()
        screen.query_one("#basins-n", Input).value = "32"
        screen.query_one("#basins-alphas", Input).value = "0.05,0.2"
        screen.query_one("#basins-noises", Input).value = "0,0.2,0.4"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.basins_result is not None)
        result = screen.basins_result
        assert result.complete and result.settings.seed == 1 and result.settings.mode == "async"
        exact = screen.query_one("#basins-exact", ChartView).text()
        assert exact.startswith("share exact: hebbian, N = 32") and "0.20" in exact
        assert screen.query_one("#basins-overlap", ChartView).text().startswith("overlap m")
        assert screen.query_one("#basins-table", DataTable).row_count == 2  # a row per load
        assert "recall: asynchronous" in str(screen.query_one("#basins-status").render())


async def test_the_lab_measures_the_apps_own_memories(app):
    async with app.run_test(size=(100, 40)) as pilot:
        magnets = app.screen
        network: Network = magnets.network
        pictures = random_patterns(2, network.n, np.random.default_rng(4))
        network.imprint(pictures[0], "first")
        network.imprint(pictures[1], "second")
        screen = await open_the_lab(pilot)
        assert isinstance(screen, LabScreen)
        screen.query_one(TabbedContent).active = "basins"
        await pilot.pause()
        screen.query_one("#basins-source", Select).value = "app"
        screen.query_one("#basins-noises", Input).value = "0,0.2"
        screen.query_one("#basins-cues", Input).value = "2"
        await pilot.pause()
        screen.start("basins")
        await wait_for(pilot, lambda: screen.basins_result is not None)
        result = screen.basins_result
        assert result.settings.memories.source == "the app's memories"
        assert [p.name for p in result.pictures()] == ["first", "second"]
        table = screen.query_one("#basins-table", DataTable)
        assert table.row_count == 2
        assert [str(c) for c in table.get_row_at(0)][:3] == ["first", "1.0", "0.20"]


async def test_stop_ends_a_long_map_in_the_lab_and_shows_what_it_measured(app):
    from textual.widgets import Button, ProgressBar

    async with app.run_test(size=(100, 40)) as pilot:
        screen = LabScreen(seed=1)
        await pilot.app.push_screen(screen)
        await pilot.pause()
        screen.query_one(TabbedContent).active = "basins"
        await pilot.pause()
        screen.query_one("#basins-n", Input).value = "64"
        screen.query_one("#basins-alphas", Input).value = "0.02:0.3:0.02"
        screen.query_one("#basins-trials", Input).value = "100"
        screen.query_one("#basins-run", Button).press()
        bar = screen.query_one("#basins-progress", ProgressBar)
        await wait_for(pilot, lambda: (bar.progress or 0) >= 1)
        assert screen.running("basins")
        screen.query_one("#basins-stop", Button).press()
        await wait_for(pilot, lambda: screen.basins_result is not None)
        result = screen.basins_result
        assert not result.complete and result.cells
        assert str(screen.query_one("#basins-status").render()).startswith("stopped after")
        assert not screen.running("basins")
