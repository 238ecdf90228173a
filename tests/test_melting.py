"""Where memories melt, rule by rule: measured with the app's Glauber dynamics, and said."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import wait_for_jobs
from tui_hopfield.model.dynamics import MAX_TEMPERATURE, Asynchronous, SweepDone
from tui_hopfield.model.melting import (
    EXP_LIMIT,
    dense_critical_temperature,
    melting_temperature,
    temperature_limit,
    temperature_note,
)
from tui_hopfield.model.network import Network
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.workspace import Workspace
from tui_hopfield.ui.help_screen import HELP as HELP_TEXT
from tui_hopfield.ui.memory_list import MemoryList

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def hot_overlap(rule: Rule, strength: float, temperature: float, seed: int = 3) -> float:
    """The mean overlap with a lone memory of ``strength``, started on it, under Glauber."""
    rng = np.random.default_rng(seed)
    network = Network(16, 16, rule)
    pattern = np.where(rng.random(network.n) < 0.5, 1, -1).astype(np.int8)
    network.imprint(pattern, "p", strength)
    network.set_state(pattern)
    samples = []
    for event in Asynchronous(network, rng, temperature).events():
        if isinstance(event, SweepDone):
            if event.sweep > 8:
                samples.append(network.overlaps()[0])
            if event.sweep == 24:
                break
    return float(np.mean(samples))


@pytest.mark.parametrize(
    "rule",
    [Rule("hebbian"), Rule("storkey"), Rule("pseudo-inverse"), Rule("dense", 3), Rule("dense", 4)],
    ids=lambda rule: rule.label,
)
@pytest.mark.parametrize("strength", [1.0, 3.0])
def test_a_memory_holds_below_its_melting_point_and_melts_above(rule, strength):
    melting = melting_temperature(rule, strength)
    assert hot_overlap(rule, strength, 0.6 * melting) > 0.75
    assert abs(hot_overlap(rule, strength, 1.4 * melting)) < 0.2


def test_a_strong_memory_keeps_its_picture_at_twice_the_old_limit():
    # The figure: strength 3 keeps m = 0.86 at T = 2 (measured 0.83 at N = 400).
    assert hot_overlap(Rule("hebbian"), 3.0, 2.0) > 0.7
    assert abs(hot_overlap(Rule("hebbian"), 1.0, 2.0)) < 0.2


@pytest.mark.parametrize("strength", [1.0, 5.0])
@pytest.mark.parametrize("temperature", [1.0, 2.0, 4.0])
def test_dense_exp_never_melts_its_overlap_is_tanh_of_one_over_t(strength, temperature):
    measured = hot_overlap(Rule("dense", None), strength, temperature)
    assert measured == pytest.approx(math.tanh(1.0 / temperature), abs=0.07)
    assert measured > 0.15


def test_the_critical_temperatures_of_dense_memories():
    assert dense_critical_temperature(2) == 1.0
    assert dense_critical_temperature(3) == pytest.approx(0.5826, abs=1e-3)
    # At t_n the mean-field equation m = tanh(m^(n-1) / t) has just one solution left.
    m = np.linspace(0.01, 0.999, 10_000)
    for degree in (3, 4, 6):
        t = dense_critical_temperature(degree)
        gap = np.tanh(m ** (degree - 1) / t) - m
        assert gap.max() == pytest.approx(0.0, abs=1e-3)
        assert (np.tanh(m ** (degree - 1) / (1.02 * t)) - m).max() < 0
        assert (np.tanh(m ** (degree - 1) / (0.98 * t)) - m).max() > 0


def test_the_modern_rule_and_dense_exp_have_no_melting_point():
    assert melting_temperature(Rule("modern")) is None
    assert melting_temperature(Rule("dense", None)) is None


@pytest.mark.parametrize(
    ("rule", "strengths", "limit"),
    [
        (Rule("hebbian"), [], 2.0),
        (Rule("hebbian"), [1.0, 1.0], 2.0),
        (Rule("hebbian"), [1.0, 3.0], 6.0),
        (Rule("storkey"), [2.5], 5.0),
        (Rule("hebbian"), [0.2], 1.0),
        (Rule("hebbian"), [1000.0], MAX_TEMPERATURE),
        (Rule("dense", 3), [1.0], 1.2),
        (Rule("dense", 3), [3.0], 3.5),
        (Rule("dense", None), [7.0], EXP_LIMIT),
        (Rule("modern"), [7.0], 2.0),
    ],
)
def test_the_slider_reaches_past_the_strongest_memorys_melting_point(rule, strengths, limit):
    assert temperature_limit(rule, np.array(strengths)) == limit


def test_the_notes_say_what_the_temperature_does():
    assert "near T = 3.00" in temperature_note(Rule("hebbian"), np.array([1.0, 3.0]))
    assert "0.58 c" in temperature_note(Rule("dense", 3), np.array([1.0]))
    assert "never melts" in temperature_note(Rule("dense", None), np.array([1.0]))
    assert "no temperature" in temperature_note(Rule("modern"), np.array([1.0]))
    assert "past the slider's end (50)" in temperature_note(Rule("hebbian"), np.array([80.0]))


def test_the_workspace_clamps_to_the_strongest_memorys_limit():
    network = Network(8, 8)
    network.imprint(np.ones(64, dtype=np.int8), "p")
    workspace = Workspace(network=network, rng=np.random.default_rng(1))
    workspace.set_temperature(5.0)
    assert workspace.temperature == 2.0
    workspace.reinforce(0, 2.0)
    workspace.set_temperature(5.0)
    assert workspace.temperature == 5.0
    assert workspace.snapshot().temperature_limit == 6.0
    workspace.forget(0)  # the limit drops, the temperature set stays
    workspace.set_temperature(workspace.temperature + 0.05)
    assert workspace.temperature == 5.0


def test_the_texts_no_longer_say_every_memory_melts_at_one():
    for text in (HELP_TEXT, README):
        flat = " ".join(text.split())
        assert "Past T = 1" not in flat and "past T = 1 the picture melts" not in flat
        assert "dense exp never melts" in flat
        assert "the modern rule has no temperature" in flat
        assert "1 / (1 + exp(-2|h|/T))" in flat or "near T = c" in flat
    flat = " ".join(HELP_TEXT.split())
    assert "it points along its field h with probability 1 / (1 + exp(-2|h|/T))" in flat
    assert "near T = 0.58 c under dense n = 3" in flat


async def test_the_slider_follows_the_strongest_memory_and_is_off_for_modern(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        slider = screen.slider
        assert slider.maximum == 2.0
        await pilot.press("1")
        screen.post_message(
            MemoryList.Action(0, "reinforce", times=2.0, memory=app.network.names[0])
        )
        for _ in range(50):
            await pilot.pause()
            if slider.maximum != 2.0:
                break
        assert app.network.strengths[0] == 3.0
        assert slider.maximum == 6.0
        assert "c = 3" in str(slider.tooltip)
        slider.focus()
        await pilot.press("end")
        assert screen.temperature == 6.0
        screen.apply_learning(screen.learning.__class__(Rule("modern"), "async", 1, 0))
        await wait_for_jobs(pilot)
        assert slider.disabled
        assert "no temperature" in str(slider.tooltip)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert any("no temperature" in str(n.message) for n in pilot.app._notifications)


def test_a_modern_recall_at_a_set_temperature_is_never_called_melting():
    rng = np.random.default_rng(2)
    network = Network(8, 8, Rule("modern"))
    for k in range(3):
        network.imprint(np.where(rng.random(64) < 0.5, 1, -1).astype(np.int8), f"p{k}")
    workspace = Workspace(network=network, rng=rng, temperature=1.5)
    network.set_state(np.where(rng.random(64) < 0.5, 1, -1).astype(np.int8))
    workspace.start_recall()
    assert workspace.name_state("recalling") != "melting"
