"""The "letting go" study as the blog ran it (the ``blog`` preset), decay, and the ties."""

from __future__ import annotations

import json

import numpy as np
import pytest
from textual.widgets import Input, Label, Select, TabbedContent

from tests.test_lab_screen import open_lab, wait_for
from tui_hopfield.experiments.cli import main
from tui_hopfield.experiments.reinforce import (
    ReinforceSettings,
    equal_strength,
    recall_sync,
    run_reinforce,
    study_scenes,
    tie_note,
)
from tui_hopfield.experiments.scenes import Scene, blog_scenes, builtin_scenes
from tui_hopfield.experiments.tables import reinforce_table
from tui_hopfield.model import Network
from tui_hopfield.model.errors import ModelError
from tui_hopfield.ui.app import HopfieldApp


@pytest.fixture(scope="module")
def seven() -> tuple[Scene, ...]:
    """The blog's seven scenes at 16x16 (each memory 512 spins), for speed."""
    return blog_scenes(16, 16)


def test_the_blog_preset_is_the_blog_design():
    settings = ReinforceSettings.of_preset("blog", seed=1)
    assert settings.preset == "blog" and settings.shared
    assert settings.rounds == 30 and settings.sync_steps == 10 and settings.noise == 0.1
    assert settings.divisor == 1.0 and settings.old_strength == 1.0 and settings.decay == 1.0
    default = ReinforceSettings.of_preset("default")
    assert (default.rounds, default.old_strength, default.sync_steps) == (40, 3.0, 0)
    assert not default.shared and default.divisor is None
    with pytest.raises(ModelError, match="unknown preset"):
        ReinforceSettings.of_preset("bloggish")


def test_the_blog_scenes_are_seven_places_sharing_one_ex_and_one_new_companion(seven):
    assert len(seven) == 7
    assert [scene.name for scene in seven][-2:] == ["beach", "station"]
    for scene in seven:
        assert np.array_equal(scene.old, seven[0].old)
        assert np.array_equal(scene.new, seven[0].new)
    places = {scene.background.tobytes() for scene in seven}
    assert len(places) == 7  # seven different places
    # The built-in scenes keep a companion pair each.
    builtin = builtin_scenes(16, 16)
    assert len(builtin) == 5
    assert len({scene.old.tobytes() for scene in builtin}) == 5


def test_a_shared_study_gives_every_scene_the_first_ones_companions():
    builtin = builtin_scenes(8, 8)
    shared = study_scenes(ReinforceSettings(shared=True), builtin)
    assert [s.name for s in shared] == [s.name for s in builtin]
    assert all(np.array_equal(s.old, builtin[0].old) for s in shared)
    assert all(np.array_equal(s.new, builtin[0].new) for s in shared)
    assert all(
        np.array_equal(a.background, b.background) for a, b in zip(shared, builtin, strict=True)
    )
    assert study_scenes(ReinforceSettings(), builtin) == tuple(builtin)


def test_a_reinforcement_weighs_p_over_r_old_imprints_as_a_dense_computation(seven):
    """train_hopfield: sum xi xi^T / P; reinforce_memory: + xi xi^T / R each time."""
    for divisor in (1.0, 3.5):
        settings = ReinforceSettings.of_preset("blog", seed=4, rounds=6, divisor=divisor)
        result = run_reinforce(seven, settings)
        p = len(seven)
        old = np.array([scene.memory("old").reshape(-1) for scene in seven], dtype=np.float64)
        blog = old.T @ old / p
        for name in result.chosen:
            xi = next(s for s in seven if s.name == name).memory("new").reshape(-1)
            blog += np.outer(xi, xi).astype(np.float64) / divisor
        np.fill_diagonal(blog, 0.0)
        # The study's network, rebuilt from the last probes' strengths: W = sum c xi xi^T / N.
        last = {probe.scene: probe for probe in result.probes if probe.round == settings.rounds}
        network = Network(16, 32)
        for scene in seven:
            network.imprint(scene.memory("old"), f"{scene.name} old", last[scene.name].strength_old)
            if last[scene.name].strength_new:
                network.imprint(
                    scene.memory("new"), f"{scene.name} new", last[scene.name].strength_new
                )
        n = network.n
        dense = (
            sum(
                c * np.outer(xi, xi).astype(np.float64)
                for c, xi in zip(network.strengths, network.patterns, strict=True)
            )
            / n
        )
        np.fill_diagonal(dense, 0.0)
        # the same weights up to the factor P / N (Hebb divides by N, the blog by P)
        np.testing.assert_allclose(dense, blog * p / n, atol=1e-9)
        counts = {name: result.chosen.count(name) for name in set(result.chosen)}
        for name, count in counts.items():
            assert last[name].strength_new == pytest.approx(count * p / divisor)


def test_the_blog_recall_is_ten_synchronous_steps(seven):
    """recall_sync is s = sign(W s), ten times (a 2-cycle keeps alternating)."""
    rng = np.random.default_rng(2)
    network = Network(16, 32)
    for scene in seven:
        network.imprint(scene.memory("old"), scene.name)
    weights = (network.patterns.T.astype(np.float64) * network.strengths) @ network.patterns
    np.fill_diagonal(weights, 0.0)
    for _ in range(5):
        start = np.where(rng.random(network.n) < 0.5, 1, -1).astype(np.int8)
        network.set_state(start)
        recall_sync(network, 10)
        state = start.astype(np.float64)
        for _ in range(10):
            field = weights @ state
            state = np.where(field > 0, 1.0, np.where(field < 0, -1.0, state))
        assert np.array_equal(network.state, state.astype(np.int8))


def test_the_blog_preset_runs_thirty_rounds_over_seven_scenes_and_says_what_leaked(seven):
    result = run_reinforce(seven, ReinforceSettings.of_preset("blog", seed=1))
    assert len(result.chosen) == 30 and result.complete
    assert len(result.probes) == 31 * 7
    assert result.settings.to_dict()["recall"] == "10 synchronous steps"
    note = tie_note(result)
    assert "turning points at a tie" in note and "leaked:" in note
    leaked = [s for s in result.summaries if s.leaked is not None]
    for summary in leaked:
        probe = next(p for p in result.probes_of(summary.scene) if p.round == summary.leaked)
        assert probe.winner == "new" and probe.reinforcements == 0


def test_decay_fades_every_strength_by_its_factor_each_round():
    scenes = builtin_scenes(8, 8)[:2]
    result = run_reinforce(scenes, ReinforceSettings(rounds=5, seed=3, decay=0.8))
    for probe in result.probes:
        assert probe.strength_old == pytest.approx(3.0 * 0.8**probe.round)
    # the new memory's strength: each reinforcement 1, faded by the rounds after it
    for scene in (s.name for s in scenes):
        rounds = [k + 1 for k, name in enumerate(result.chosen) if name == scene]
        last = result.probes_of(scene)[-1]
        assert last.strength_new == pytest.approx(sum(0.8 ** (5 - k) for k in rounds))
    without = run_reinforce(scenes, ReinforceSettings(rounds=5, seed=3))
    assert all(p.strength_old == 3.0 for p in without.probes)
    with pytest.raises(ModelError, match="decay"):
        ReinforceSettings(decay=0.2)


def test_a_probe_at_equal_strength_is_a_tie_and_the_summary_says_so():
    scenes = builtin_scenes(16, 16)
    result = run_reinforce(scenes, ReinforceSettings(rounds=25, seed=5, old_strength=2.0))
    for probe in result.probes:
        assert probe.tie == (probe.reinforcements == 2)
    for summary in result.summaries:
        if summary.turning_point is None:
            assert summary.turned_at_tie is None
            continue
        turning = next(
            p for p in result.probes_of(summary.scene) if p.round == summary.turning_point
        )
        assert summary.turned_at_tie == (turning.reinforcements == 2)
        assert summary.tied_reversals <= summary.reversals
    tied = [s.scene for s in result.summaries if s.turned_at_tie]
    turned = [s for s in result.summaries if s.turning_point is not None]
    assert f"turning points at a tie: {len(tied)} of {len(turned)}" in tie_note(result)
    rows = {row[0]: row for row in reinforce_table(result)[1]}
    for summary in result.summaries:
        assert rows[summary.scene][2].endswith(" (tie)") == bool(summary.turned_at_tie)
    assert "(tie)" in "".join(row[2] for row in rows.values())  # seed 5 has ties
    assert equal_strength(3.0 * 0.9**4, 3.0 * 0.9**4 * (1 + 1e-12))
    assert not equal_strength(3.0, 2.0)


def test_the_cli_runs_the_blog_preset_and_prints_the_ties(capsys, tmp_path):
    out_json = tmp_path / "blog.json"
    status = main(
        [
            "reinforce",
            "--preset",
            "blog",
            "--size",
            "12",
            "--rounds",
            "4",
            "--decay",
            "0.9",
            "--seed",
            "1",
            "--no-plot",
            "--quiet",
            "--json",
            str(out_json),
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "turning points at a tie:" in out and "leaked:" in out
    report = json.loads(out_json.read_text())
    assert report["settings"]["preset"] == "blog" and report["settings"]["decay"] == 0.9
    assert report["settings"]["divisor"] == 1.0 and len(report["scenes"]) == 7
    assert len(report["chosen"]) == 4


async def test_the_lab_runs_the_blog_preset_and_shows_its_ties():
    app = HopfieldApp(network=Network(8, 8), seed=1, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lab(pilot, rounds=3)
        screen.query_one(TabbedContent).active = "reinforce"
        await pilot.pause()
        assert screen.query_one("#reinforce-rounds", Input).value == "3"  # kept at mount
        screen.query_one("#reinforce-preset", Select).value = "blog"
        for _ in range(50):
            await pilot.pause()
            if screen.query_one("#reinforce-steps", Input).value == "10":
                break
        assert screen.query_one("#reinforce-rounds", Input).value == "30"
        assert screen.query_one("#reinforce-divisor", Input).value == "1"
        assert screen.query_one("#reinforce-old", Input).value == "1"
        screen.query_one("#reinforce-rounds", Input).value = "2"
        screen.query_one("#reinforce-decay", Input).value = "0.9"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.reinforce_result is not None)
        result = screen.reinforce_result
        assert result.settings.preset == "blog" and result.settings.shared
        assert result.settings.sync_steps == 10 and result.settings.decay == 0.9
        assert len(result.scenes) == 7 and len(result.chosen) == 2
        status = str(screen.query_one("#reinforce-status", Label).render())
        assert "turning points at a tie" in status
