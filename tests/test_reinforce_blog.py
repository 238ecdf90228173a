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
    assert settings.repeats == 10.0 and settings.old_strength == 1.0 and settings.decay == 1.0
    assert settings.probe == "chosen" and settings.zero_field == "north"
    assert settings.weight(7) == pytest.approx(0.7)  # P / R old imprints
    default = ReinforceSettings.of_preset("default")
    assert (default.rounds, default.old_strength, default.sync_steps) == (40, 3.0, 0)
    assert not default.shared and default.repeats is None and default.weight(7) == 1.0
    assert (default.probe, default.zero_field) == ("all", "keep")
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
    """train_hopfield(old, repeats=R): R sum xi xi^T / P; reinforce_memory: + xi xi^T."""
    for repeats in (10.0, 3.5):
        settings = ReinforceSettings.of_preset("blog", seed=4, rounds=6, repeats=repeats)
        result = run_reinforce(seven, settings)
        p = len(seven)
        old = np.array([scene.memory("old").reshape(-1) for scene in seven], dtype=np.float64)
        blog = repeats * (old.T @ old) / p
        for name in result.chosen:
            xi = next(s for s in seven if s.name == name).memory("new").reshape(-1)
            blog += np.outer(xi, xi).astype(np.float64)
        np.fill_diagonal(blog, 0.0)
        # The study's network, rebuilt from the strengths its probes saw: W = sum c xi xi^T / N.
        strengths = {}
        for probe in result.probes:
            strengths[probe.scene] = (probe.strength_old, probe.strength_new)
        network = Network(16, 32)
        for scene in seven:
            c_old, c_new = strengths[scene.name]
            network.imprint(scene.memory("old"), f"{scene.name} old", c_old)
            if c_new:
                network.imprint(scene.memory("new"), f"{scene.name} new", c_new)
        n = network.n
        dense = (network.patterns.T * network.strengths) @ network.patterns.astype(np.float64) / n
        np.fill_diagonal(dense, 0.0)
        # the same weights up to the factor P / (R N) (Hebb divides by N)
        np.testing.assert_allclose(dense, blog * p / (repeats * n), atol=1e-9)
        for name in set(result.chosen):
            count = result.chosen.count(name)
            assert strengths[name][1] == pytest.approx(count * p / repeats)


def blog_recall(weights: np.ndarray, state: np.ndarray, zero: str, steps: int) -> np.ndarray:
    """The blog's recall_pattern: s = sign(W s) at most ``steps`` times, stopping when fixed;
    a zero field gives +1 (``north``) or, for comparison, keeps the spin."""
    state = state.astype(np.float64)
    for _ in range(steps):
        new = np.sign(weights @ state)
        new[new == 0] = 1.0 if zero == "north" else state[new == 0]
        if np.array_equal(new, state):
            break
        state = new
    return state.astype(np.int8)


@pytest.mark.parametrize("steps", [1, 10])
def test_the_blog_recall_is_ten_synchronous_steps_a_zero_field_giving_north(steps):
    rng = np.random.default_rng(2)
    network = Network(4, 4)
    for k in range(2):  # two memories on 16 spins: many fields are exactly zero
        network.imprint(np.where(rng.random(16) < 0.5, 1, -1), f"m{k}")
    weights = (network.patterns.T * network.strengths) @ network.patterns.astype(np.float64)
    np.fill_diagonal(weights, 0.0)
    differ = 0
    for _ in range(40):
        start = np.where(rng.random(network.n) < 0.5, 1, -1).astype(np.int8)
        for zero in ("north", "keep"):
            network.set_state(start)
            recall_sync(network, steps, zero_north=zero == "north")
            assert np.array_equal(network.state, blog_recall(weights, start, zero, steps))
        north, keep = (blog_recall(weights, start, zero, steps) for zero in ("north", "keep"))
        differ += not np.array_equal(north, keep)
    if steps == 1:
        assert differ > 0  # the zero-field rule decided something


def test_the_blog_preset_runs_thirty_rounds_probing_the_scene_lived(seven):
    result = run_reinforce(seven, ReinforceSettings.of_preset("blog", seed=1))
    assert len(result.chosen) == 30 and result.complete
    assert len(result.probes) == 7 + 30  # round 0 probes all, then the scene lived
    for number, name in enumerate(result.chosen, start=1):
        (probe,) = [p for p in result.probes if p.round == number]
        assert probe.scene == name and probe.chosen
    assert result.settings.to_dict()["recall"] == "10 synchronous steps"
    note = tie_note(result)
    assert "turning points at a tie" in note and "leaked:" in note
    for summary in result.summaries:
        if summary.leaked is not None:
            probe = next(p for p in result.probes_of(summary.scene) if p.round == summary.leaked)
            assert probe.winner == "new" and probe.strength_new < probe.strength_old
    # each reinforcement weighs 0.7 old imprints: a scene lived once can only turn by leaking
    assert any(s.leaked is not None for s in result.summaries)


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
    assert report["settings"]["repeats"] == 10.0 and len(report["scenes"]) == 7
    assert report["settings"]["probe"] == "chosen"
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
        assert screen.query_one("#reinforce-repeats", Input).value == "10"
        assert screen.query_one("#reinforce-old", Input).value == "1"
        screen.query_one("#reinforce-rounds", Input).value = "2"
        screen.query_one("#reinforce-decay", Input).value = "0.9"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.reinforce_result is not None)
        result = screen.reinforce_result
        assert result.settings.preset == "blog" and result.settings.shared
        assert result.settings.sync_steps == 10 and result.settings.decay == 0.9
        assert result.settings.repeats == 10.0 and result.settings.probe == "chosen"
        assert len(result.scenes) == 7 and len(result.chosen) == 2
        status = str(screen.query_one("#reinforce-status", Label).render())
        assert "turning points at a tie" in status
