"""Texts that once said something false: Glauber's probability, the two error-free
capacities of McEliece et al. (1987), and how a picture becomes spins."""

from __future__ import annotations

import re
from pathlib import Path

from tui_hopfield.experiments import reinforce
from tui_hopfield.model import patterns
from tui_hopfield.ui.help_screen import HELP

README = (Path(__file__).parent.parent / "README.md").read_text()


def one_line(text: str) -> str:
    """The text with its line breaks and runs of spaces as single spaces."""
    return re.sub(r"\s+", " ", text)


def test_glauber_gives_the_chance_of_north_not_of_following_the_field():
    # 1 / (1 + exp(-2h/T)) is P(s = +1): for h < 0 it is below 1/2, so it is not the
    # chance that a spin points along its field.
    help_text = one_line(HELP)
    assert "points along its field with probability 1 / (1 + exp" not in help_text
    assert "a spin is north (s = +1) with probability 1 / (1 + exp(-2h/T))" in help_text


def test_the_help_says_which_error_free_capacity_is_which():
    help_text = one_line(HELP)
    assert (
        "N / (4 ln N) for error-free recall of all the pictures at once"
        " (N / (2 ln N) for a given picture recalled without error)"
    ) in help_text


def test_the_readme_says_which_error_free_capacity_is_which():
    readme = one_line(README)
    assert "the error-free capacity N / (2 ln N)" not in readme
    assert (
        "the capacity for a given pattern recalled without error, N / (2 ln N), about 72"
        " patterns here (all patterns without error at once: N / (4 ln N), about 36;"
    ) in readme


def test_pictures_become_spins_with_deliberate_departures_from_the_classic_code():
    for text in (one_line(patterns.__doc__ or ""), one_line(README)):
        assert "the way the classic Python code does it" not in text
        assert "EXIF orientation" in text
        assert "LANCZOS" in text
        assert "98-100 %" in text and "57-73 %" in text
    assert "deliberate departures" in one_line(patterns.__doc__ or "")
    assert "departures from the classic recipe" in one_line(README)
    assert "EXIF orientation" in one_line(patterns.image_to_spins.__doc__ or "")


def test_the_study_says_turning_points_come_mostly_at_equal_strength():
    doc = one_line(reinforce.__doc__ or "")
    assert "the new one wins once it has been lived more often than" not in doc
    assert "most turning points (55 of 72 in those 15 seeds" in doc
    assert "are ties at equal strength" in doc
    readme = one_line(README)
    assert "takes over once it has been lived about as often as the old one" not in readme
    assert "55 of 72 turning points came at equal strength" in readme
