"""The rule race in numbers: the same cues for every rule, its table, the CLI, the Lab tab."""

from __future__ import annotations

import asyncio
import csv
import json

import numpy as np
import pytest
from PIL import Image
from textual.widgets import DataTable, Input, TabbedContent

from tui_hopfield import cli
from tui_hopfield.experiments.recall import recall_cues
from tui_hopfield.experiments.rule_race import RaceSettings, parse_rules, run_race
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.rules import Rule
from tui_hopfield.ui.lab_screen import ChartView, LabScreen


def spying(calls: list):
    def spy(landscape, rule, cues, mode, rng, max_steps):
        calls.append((rule.label, landscape.patterns.copy(), cues.copy(), rng.random(4)))
        return recall_cues(landscape, rule, cues, mode, np.random.default_rng(0), max_steps)

    return spy


def test_every_rule_recalls_the_very_same_cues_of_the_same_patterns():
    calls: list = []
    rules = parse_rules("hebbian,storkey,pseudo-inverse,dense:exp")
    settings = RaceSettings(rules=rules, n=48, alpha=0.1, noises=(0.1, 0.3), trials=2, seed=3)
    result = run_race(settings, recaller=spying(calls))
    assert result.complete and result.trials == 2 and len(calls) == 8
    for trial in (calls[:4], calls[4:]):
        assert [label for label, *_ in trial] == [
            "hebbian",
            "storkey",
            "pseudo-inverse",
            "dense exp",
        ]
        _, patterns, cues, draws = trial[0]
        for _, other_patterns, other_cues, other_draws in trial[1:]:
            assert np.array_equal(other_patterns, patterns)
            assert np.array_equal(other_cues, cues)  # identical cue arrays
            assert np.array_equal(other_draws, draws)  # the same visiting orders
        flipped = np.count_nonzero(cues != np.tile(patterns[:5], (2, 1)), axis=1)
        assert flipped.tolist() == [5] * 5 + [14] * 5  # 10 % and 30 % of 48
    assert not np.array_equal(calls[0][2], calls[4][2])  # a new trial, new cues


def test_the_table_is_the_dense_computation_of_those_cues():
    calls: list = []
    settings = RaceSettings(
        rules=(Rule("hebbian"), Rule("pseudo-inverse")), n=40, alpha=0.2, noises=(0.1, 0.4),
        trials=1, seed=5, mode="sync",
    )  # fmt: skip
    result = run_race(settings, recaller=spying(calls))
    _, patterns, cues, _ = calls[0]
    xi = patterns.astype(np.float64)
    weights = {
        "hebbian": xi.T @ xi / 40,
        "pseudo-inverse": xi.T @ np.linalg.inv(xi @ xi.T) @ xi,
    }
    for label, w in weights.items():
        np.fill_diagonal(w, 0.0)
        for level, noise in enumerate(settings.noises):
            overlaps, exact = [], []
            for row in range(8):
                state = cues[level * 8 + row].astype(np.int64)
                last, fixed = None, False
                for _ in range(50):
                    delta = 2 * state * (w @ state)
                    flips = delta < -1e-9 * max(1.0, np.abs(delta).max())
                    if not flips.any():
                        fixed = True
                        break
                    state = np.where(flips, -state, state)
                    if last is not None and np.array_equal(flips, last):
                        break
                    last = flips
                overlaps.append(state @ patterns[row] / 40)
                exact.append(fixed and np.array_equal(state, patterns[row]))
            (row,) = [r for r in result.rows_of(label) if r.noise == noise]
            assert row.recalls == 8
            assert row.overlap == pytest.approx(np.mean(overlaps)), (label, noise)
            assert row.exact == pytest.approx(np.mean(exact)), (label, noise)


def test_a_stopped_race_keeps_only_trials_every_rule_finished():
    asked = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 3  # trial 1: two rules; trial 2: the first rule, then stop

    settings = RaceSettings(rules=(Rule("hebbian"), Rule("storkey")), n=32, trials=5, seed=1)
    result = run_race(settings, stop=stop)
    assert not result.complete and result.trials == 1
    assert {row.recalls for row in result.rows} == {3}  # P = 3, one trial


def test_rules_are_parsed_with_their_settings():
    rules = parse_rules("hebbian, dense:exp,dense:4,modern:20")
    assert [rule.label for rule in rules] == [
        "hebbian",
        "dense exp",
        "dense n=4",
        "modern \u03b2=20",
    ]
    with pytest.raises(ModelError, match="unknown learning rule"):
        parse_rules("hebbian,hebb")
    with pytest.raises(ModelError, match="2 to"):
        parse_rules("hebbian")
    with pytest.raises(ModelError, match="only dense"):
        parse_rules("hebbian:3,storkey")
    with pytest.raises(ModelError, match="comes once"):
        RaceSettings(rules=parse_rules("hebbian,hebbian"))


def test_the_command_prints_the_table_and_plots_and_writes_csv_json_png(capsys, tmp_path):
    table, data, picture = tmp_path / "r.csv", tmp_path / "r.json", tmp_path / "r.png"
    status = cli.main(
        [
            "rule-race",
            *("--rules", "hebbian,pseudo-inverse", "--size", "32", "--trials", "2"),
            *("--seed", "1", "--csv", str(table), "--json", str(data), "--png", str(picture)),
        ]
    )
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "hebbian: asynchronous (exact" in out
    assert out.splitlines()[2].split()[:4] == ["rule", "noise", "recalls", "m"]
    assert "Every rule recalled the same cues." in out
    assert "share exact: N = 32, P = 3" in out and "o hebbian" in out
    rows = list(csv.DictReader(table.open()))
    assert [(row["rule"], row["noise"]) for row in rows][:2] == [
        ("hebbian", "0.1"),
        ("hebbian", "0.2"),
    ]
    assert len(rows) == 8 and all(row["recalls"] == "6" for row in rows)
    report = json.loads(data.read_text())
    assert report["experiment"] == "rule-race" and report["trials_done"] == 2
    assert report["settings"]["rules"] == [{"rule": "hebbian"}, {"rule": "pseudo-inverse"}]
    assert Image.open(picture).size[0] > 400


def test_a_bad_rule_list_exits_with_the_usage(capsys):
    with pytest.raises(SystemExit) as exit:
        cli.main(["rule-race", "--rules", "hebbian"])
    assert exit.value.code == 2
    assert "a race has 2 to" in capsys.readouterr().err


async def test_the_lab_tab_races_the_rules_and_shows_the_table_and_plots(app):
    async with app.run_test(size=(100, 40)) as pilot:
        screen = LabScreen(seed=2)
        await pilot.app.push_screen(screen)
        await pilot.pause()
        screen.query_one(TabbedContent).active = "race"
        await pilot.pause()
        screen.query_one("#race-n", Input).value = "32"
        screen.query_one("#race-trials", Input).value = "1"
        await pilot.press("ctrl+r")
        waited = 0
        while screen.race_result is None and waited < 3000:
            await asyncio.sleep(0.02)
            waited += 1
        await pilot.pause()
        result = screen.race_result
        assert result is not None and result.complete and result.settings.seed == 2
        assert screen.query_one("#race-table", DataTable).row_count == 3 * 4
        chart = screen.query_one("#race-exact", ChartView).text()
        assert chart.startswith("share exact: N = 32") and "pseudo-inverse" in chart
        assert "the same cues for every rule" in str(screen.query_one("#race-status").render())
