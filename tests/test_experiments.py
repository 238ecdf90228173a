"""The experiments as data: capacity bands, the letting-go study, scenes, charts, tables."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from tui_hopfield.experiments import (
    CapacitySettings,
    ReinforceSettings,
    SceneError,
    builtin_scenes,
    load_scenes,
    run_capacity,
    run_reinforce,
)
from tui_hopfield.experiments.capacity import flipped_cues, parse_alphas
from tui_hopfield.experiments.charts import capacity_chart, energy_chart, similarity_chart
from tui_hopfield.experiments.plots import NOBODY, REFERENCE, RULE, Chart, beside, tick_label
from tui_hopfield.experiments.progress import TerminalProgress
from tui_hopfield.experiments.scenes import BUILTIN_ORDER
from tui_hopfield.experiments.tables import (
    capacity_csv,
    capacity_table,
    format_table,
    json_text,
    reinforce_csv,
    reinforce_table,
)
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.patterns import PictureError
from tui_hopfield.model.rules import Rule

# -- capacity -----------------------------------------------------------------------


def point_at(result, alpha):
    return next(p for p in result.points if abs(p.alpha - alpha) < 1e-9)


def test_hebbian_recalls_at_low_load_and_fails_past_capacity():
    settings = CapacitySettings(n=500, alphas=(0.05, 0.25), trials=2, seed=3)
    result = run_capacity(settings)
    assert result.complete
    low, high = point_at(result, 0.05), point_at(result, 0.25)
    assert (low.patterns, high.patterns) == (25, 125)
    assert low.overlap_stored >= 0.99 and low.overlap_cued >= 0.99
    assert low.perfect_cued >= 0.9
    # Far past 0.138 N the stored patterns are not even near fixed points.
    assert high.overlap_stored < 0.6 and high.overlap_cued < 0.6
    assert high.perfect_stored < 0.05


def test_pseudo_inverse_still_holds_at_a_quarter():
    settings = CapacitySettings(Rule("pseudo-inverse"), n=500, alphas=(0.25,), trials=2, seed=3)
    (point,) = run_capacity(settings).points
    assert point.perfect_stored == 1.0  # every pattern is a fixed point of a projection
    assert point.overlap_cued >= 0.95


@pytest.mark.parametrize("rule", [Rule("modern"), Rule("dense", 3), Rule("storkey")])
def test_other_rules_hold_where_hebb_fails(rule):
    settings = CapacitySettings(rule, n=200, alphas=(0.25,), trials=1, seed=4)
    (point,) = run_capacity(settings).points
    assert point.overlap_cued >= 0.95


def test_the_same_seed_gives_the_same_sweep():
    settings = CapacitySettings(n=100, alphas=(0.1, 0.2), trials=2, seed=9)
    assert run_capacity(settings).points == run_capacity(settings).points


def test_progress_counts_every_trial_of_every_load():
    seen = []
    run_capacity(
        CapacitySettings(n=64, alphas=(0.1, 0.2, 0.3), trials=2, seed=1),
        lambda done, total: seen.append((done, total)),
    )
    assert seen == [(k, 6) for k in range(7)]


def test_a_stopped_sweep_keeps_what_it_measured():
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 4  # three loads of trial 1, one of trial 2

    settings = CapacitySettings(n=64, alphas=(0.1, 0.2, 0.3), trials=3, seed=1)
    result = run_capacity(settings, stop=stop)
    assert not result.complete
    assert [p.trials for p in result.points] == [2, 1, 1]


def test_ctrl_c_ends_the_sweep_with_the_finished_units():
    def progress(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    settings = CapacitySettings(n=64, alphas=(0.1, 0.2, 0.3), trials=2, seed=1)
    result = run_capacity(settings, progress)
    assert not result.complete
    assert [p.patterns for p in result.points] == [6, 13]


def test_loads_round_to_distinct_pattern_counts():
    settings = CapacitySettings(n=100, alphas=(0.001, 0.1, 0.104, 0.2))
    assert settings.loads == (1, 10, 20)


@pytest.mark.parametrize(
    "changes",
    [
        {"n": 8},
        {"n": 5000},
        {"alphas": ()},
        {"alphas": (0.0,)},
        {"alphas": (1.5,)},
        {"trials": 0},
        {"flip": 0.7},
        {"max_steps": 0},
    ],
)
def test_bad_sweep_settings_are_refused(changes):
    with pytest.raises(ModelError):
        CapacitySettings(**changes)


def test_alphas_as_a_range_or_a_list():
    assert parse_alphas("0.02:0.1:0.02") == (0.02, 0.04, 0.06, 0.08, 0.1)
    assert parse_alphas("0.05,0.25") == (0.05, 0.25)
    for bad in (
        "0.1:0.05:0.01",
        "0:1",
        "a,b",
        "0.1:0.2:0",
        "0.5,200000",
        "0.001:1:0.001",
        "1:10:x1",
    ):
        with pytest.raises(ModelError):
            parse_alphas(bad)


def test_cues_flip_exactly_the_fraction_asked():
    rng = np.random.default_rng(0)
    patterns = np.where(rng.random((20, 300)) < 0.5, 1, -1).astype(np.int8)
    cues = flipped_cues(patterns, 0.1, rng)
    assert np.all((cues != patterns).sum(axis=1) == 30)
    assert np.array_equal(flipped_cues(patterns, 0.0, rng), patterns)


# -- scenes and the letting-go study -------------------------------------------------


@pytest.fixture(scope="module")
def study():
    """The study on the built-in scenes, fixed seed."""
    return run_reinforce(builtin_scenes(), ReinforceSettings(rounds=30, seed=5))


def test_built_in_scenes_are_five_at_least_with_three_distinct_pictures():
    scenes = builtin_scenes()
    assert len(scenes) >= 5
    assert tuple(s.name for s in scenes[: len(BUILTIN_ORDER)]) == BUILTIN_ORDER
    for scene in scenes:
        assert scene.memory("old").shape == (32, 64)
        old, new = scene.old.reshape(-1), scene.new.reshape(-1)
        assert abs(int(old @ new)) / old.size < 0.5  # the two companions differ


def test_every_scene_turns_once_the_new_companion_is_lived_enough(study):
    old_strength = study.settings.old_strength
    assert all(p.winner == "old" for p in study.probes if p.round == 0)
    enough = [s for s in study.summaries if s.reinforcements >= old_strength + 2]
    assert enough, "no scene was reinforced enough: change the seed"
    for summary in enough:
        assert summary.turning_point is not None, summary
        assert summary.winner == "new"
        assert summary.energy_new < summary.energy_old  # the new valley is deeper
        turning = next(
            p for p in study.probes_of(summary.scene) if p.round == summary.turning_point
        )
        # The new one wins only once it is about as strong as the old one.
        assert turning.reinforcements >= old_strength - 1


def test_a_scene_never_lived_again_keeps_its_old_companion():
    scenes = builtin_scenes(16, 16)
    result = run_reinforce(scenes[:2], ReinforceSettings(rounds=1, seed=2))
    quiet = next(s for s in result.summaries if s.reinforcements == 0)
    assert quiet.turning_point is None and quiet.winner == "old" and not quiet.stays


def test_the_study_records_every_scene_every_round(study):
    count = len(study.scenes)
    assert study.complete and len(study.chosen) == 30
    assert len(study.probes) == 31 * count
    for probe in study.probes:
        assert -1 <= probe.similarity_old <= 1 and -1 <= probe.similarity_new <= 1
        if probe.winner in ("old", "new"):
            assert probe.nearest == f"{probe.scene} {probe.winner}"
    lived = {s.scene: s.reinforcements for s in study.summaries}
    assert lived == {name: study.chosen.count(name) for name in study.scenes}


def test_a_stopped_study_keeps_whole_rounds():
    scenes = builtin_scenes(12, 12)
    rounds = []
    result = run_reinforce(
        scenes,
        ReinforceSettings(rounds=10, seed=1),
        stop=lambda: len(rounds) > 3,
        progress=lambda done, total: rounds.append(done),
    )
    assert not result.complete
    assert len(result.chosen) == 2  # progress said 0, 1, 2, 3: stop before round 3
    assert {p.round for p in result.probes} == {0, 1, 2}


def test_the_modern_rule_runs_the_study():
    scenes = builtin_scenes(12, 12)
    result = run_reinforce(scenes[:3], ReinforceSettings(Rule("modern"), rounds=4, seed=1))
    assert len(result.probes) == 15


def test_cues_keep_the_place_and_hide_the_companion():
    scene = builtin_scenes()[0]
    cue = scene.cue(0.1, np.random.default_rng(0))
    place, companion = cue[:, :32], cue[:, 32:]
    assert (place != scene.background).sum() == round(0.1 * 32 * 32)
    agreement = (companion == scene.old).mean()
    assert 0.35 < agreement < 0.65


@pytest.mark.parametrize(
    "changes", [{"rounds": 0}, {"old_strength": 0.0}, {"noise": 0.6}, {"rounds": 20_000}]
)
def test_bad_study_settings_are_refused(changes):
    with pytest.raises(ModelError):
        ReinforceSettings(**changes)


def save(folder, name, fmt="PNG", size=(20, 20), value=None):
    rng = np.random.default_rng(len(name))
    pixels = rng.integers(0, 256, size, dtype=np.uint8) if value is None else value
    Image.fromarray(pixels, "L").save(folder / name, format=fmt)


def test_a_folder_of_scenes_in_any_format(tmp_path):
    for scene in ("beach", "attic"):
        save(tmp_path, f"{scene}_bg.png")
        save(tmp_path, f"{scene}_old.jpg", "JPEG")
        save(tmp_path, f"{scene}_NEW.bmp", "BMP")
    (tmp_path / "notes.txt").write_text("not a scene")
    scenes = load_scenes(tmp_path, 10, 12)
    assert [s.name for s in scenes] == ["attic", "beach"]
    assert scenes[0].memory("new").shape == (10, 24)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (["a_bg.png", "a_old.png"], "has no a_new image"),
        (["a_bg.png", "a_bg.gif", "a_old.png", "a_new.png"], "two images for a_bg"),
        (["readme.png"], "no scene images"),
    ],
)
def test_bad_scene_folders_say_what_is_wrong(tmp_path, files, message):
    for name in files:
        save(tmp_path, name, "GIF" if name.endswith("gif") else "PNG")
    with pytest.raises(SceneError, match=message):
        load_scenes(tmp_path)


def test_a_broken_image_or_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises(SceneError, match="no such folder"):
        load_scenes(tmp_path / "nowhere")
    for role in ("bg", "old"):
        save(tmp_path, f"x_{role}.png")
    (tmp_path / "x_new.png").write_bytes(b"not really a png")
    with pytest.raises(PictureError, match=r"x_new\.png"):
        load_scenes(tmp_path)


# -- charts, tables, progress -----------------------------------------------------------


def test_a_chart_fills_its_box_and_puts_points_where_they_belong():
    chart = Chart("title", references=((0.5, "half"),))
    chart.add("rising", [0, 1], [0, 1])
    chart.add("flat", [0, 1], [0.5, 0.5], "+")
    drawing = chart.draw(40, 12)
    assert len(drawing.lines) == 12 and {len(line) for line in drawing.lines} == {40}
    assert drawing.lines[0].startswith("title")
    plot_rows = drawing.lines[1:9]
    assert plot_rows[0].rstrip().endswith("o")  # (1, 1): top right
    assert "o" in plot_rows[-1]  # (0, 0): bottom left
    assert any("+" in row for row in plot_rows[3:5])
    assert RULE in "".join(plot_rows)
    assert "o rising" in drawing.lines[-1] and "+ flat" in drawing.lines[-1]
    assert f"{RULE} half" in drawing.lines[-1]
    narrow = chart.draw(24, 12)  # the legend wraps onto more lines
    assert "o rising" in narrow.text() and f"{RULE} half" in narrow.text()
    assert len(narrow.lines) == 12
    owners = {o for row in drawing.owners for o in row}
    assert {0, 1, REFERENCE, NOBODY} <= owners


def test_tiny_boxes_and_empty_charts_still_draw():
    drawing = Chart("empty").draw(3, 2)
    assert len(drawing.lines) >= 6 and len(drawing.lines[0]) >= 20
    both = beside(Chart("a").draw(20, 6), Chart("b").draw(25, 8), gap=3)
    assert len(both.lines) == 8 and {len(line) for line in both.lines} == {48}


def test_tick_labels_drop_needless_zeros():
    assert [tick_label(v, 0.28) for v in (0.02, 0.16, 0.3)] == ["0.02", "0.16", "0.3"]
    assert [tick_label(v, 40) for v in (0, 20, 40)] == ["0", "20", "40"]
    assert tick_label(-4201.3, 13000) == "-4201"


def test_capacity_chart_table_csv_and_json():
    result = run_capacity(CapacitySettings(n=100, alphas=(0.05, 0.3), trials=1, seed=1))
    text = capacity_chart(result).draw(70, 16).text()
    assert "from the pattern" in text and "0.138" in text
    headers, rows = capacity_table(result)
    assert len(rows) == 2 and rows[0][:2] == ("0.050", "5")
    table = format_table((headers, rows))
    assert table.splitlines()[0].startswith("alpha")
    lines = capacity_csv(result).splitlines()
    assert lines[0].startswith("alpha,patterns,trials") and len(lines) == 3
    data = json.loads(json_text(result))
    assert data["experiment"] == "capacity" and data["settings"]["n"] == 100
    assert [p["patterns"] for p in data["points"]] == [5, 30]


def test_study_charts_table_csv_and_json(study):
    scene = study.scenes[0]
    summary = study.summaries[0]
    text = similarity_chart(study, scene).draw(60, 12).text()
    assert text.startswith(f"{scene}: similarity")
    if summary.turning_point:
        assert f"turning point, round {summary.turning_point}" in text
    assert "energy" in energy_chart(study, scene).draw(60, 12).text()
    headers, rows = reinforce_table(study)
    assert headers[0] == "scene" and [row[0] for row in rows] == list(study.scenes)
    lines = reinforce_csv(study).splitlines()
    assert lines[0].startswith("round,scene,chosen") and len(lines) == 1 + len(study.probes)
    data = json.loads(json_text(study))
    assert data["experiment"] == "reinforce" and len(data["summaries"]) == len(study.scenes)


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_lines_elsewhere():
    lines = io.StringIO()
    report = TerminalProgress(lines, "sweep")
    for done in range(101):
        report(done, 100)
    report.close()
    assert lines.getvalue().count("\n") == 11 and "sweep: 100/100 (100%)" in lines.getvalue()
    terminal = Tty()
    bar = TerminalProgress(terminal, "sweep", rate=1e9)
    bar(5, 10)
    bar(10, 10)
    bar.close()
    assert terminal.getvalue().count("\r") == 2 and terminal.getvalue().endswith(
        "100%" + " " * 10 + "\n"
    )


# -- modes, outcomes, loads past N ------------------------------------------------


def test_every_load_accounts_for_each_cued_recall_once():
    for mode in ("async", "sync"):
        settings = CapacitySettings(n=100, alphas=(0.05, 0.2, 0.3), trials=2, seed=2, mode=mode)
        for point in run_capacity(settings).points:
            shares = point.fixed_cued + point.cycled_cued + point.cut_cued
            assert shares == pytest.approx(1.0, abs=1e-12)
            assert point.perfect_cued <= point.fixed_cued + 1e-12
            if mode == "async":
                assert point.cycled_cued == 0.0


def test_a_two_cycle_through_the_pattern_is_not_exact():
    from tui_hopfield.experiments.capacity import _recalls

    # Hebb with the one pattern (+1, -1, +1, -1, ...) of 16 spins: from all +1 every field is
    # -1/16, so a synchronous step turns every spin, the next turns them back: a 2-cycle
    # that passes through (and stops on) the all-ones state. Taken as the target it is not
    # recalled exactly: no fixed point.
    n = 16
    landscape = Rule("hebbian").learn(np.array([[1, -1] * (n // 2)], dtype=np.int8), np.ones(1))
    settings = CapacitySettings(n=n, alphas=(0.1,), trials=1, seed=0, mode="sync")
    ones = np.ones((1, n), dtype=np.int8)
    recalls = _recalls(settings, landscape, ones, ones, np.random.default_rng(0))
    assert recalls.cycled.tolist() == [True] and recalls.overlaps.tolist() == [1.0]
    assert not recalls.exact.any()
    # And in a sweep: synchronous Hebb past capacity ends cues in 2-cycles, none exact.
    settings = CapacitySettings(n=64, alphas=(0.6,), trials=2, seed=3, mode="sync")
    (point,) = run_capacity(settings).points
    assert point.cycled_cued > 0 and point.perfect_cued <= point.fixed_cued


def test_dense_memories_are_swept_past_n_and_drawn_against_the_papers():
    settings = CapacitySettings(
        Rule("dense", 3), n=32, alphas=(1.0, 4.0, 16.0), trials=1, seed=5, max_steps=20
    )
    result = run_capacity(settings)
    first, _, last = result.points
    assert (first.patterns, last.patterns) == (32, 512)
    assert first.perfect_stored > 0.5 > last.perfect_stored
    text = capacity_chart(result).draw(100, 18).text()
    assert "Krotov-Hopfield 2016" in text and "measured: half fixed" in text
    assert "log alpha axis" in text
    exp = CapacitySettings(Rule("dense", None), n=16, alphas=(64.0,), trials=1, seed=5)
    (point,) = run_capacity(exp).points
    assert point.patterns == 1024 and point.perfect_stored > 0.5
    assert "Demircigil 2017" in capacity_chart(run_capacity(exp)).draw(100, 18).text()


def test_loads_past_n_are_refused_where_the_rule_cannot_store_them():
    with pytest.raises(ModelError, match="stores at most N patterns"):
        CapacitySettings(Rule("pseudo-inverse"), n=100, alphas=(2.0,))
    with pytest.raises(ModelError, match="budget"):
        CapacitySettings(Rule("dense", None), n=4096, alphas=(100_000.0,))


def test_the_classic_line_is_labelled_as_a_load():
    result = run_capacity(CapacitySettings(n=100, alphas=(0.05, 0.3), trials=1, seed=1))
    text = capacity_chart(result).draw(90, 16).text()
    assert "alpha_c = 0.138" in text and "0.138 N" not in text
