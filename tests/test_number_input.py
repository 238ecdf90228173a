"""Number fields take partial numbers, refuse the rest, and never make the app wait."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.learning_prompt import LearningPrompt
from tui_hopfield.ui.number_input import (
    MAX_NUMBER_LENGTH,
    NUMBER_PATTERN,
    NumberInput,
    WholeNumberInput,
)
from tui_hopfield.ui.prompts import NumberPrompt

UI = Path(__file__).parents[1] / "tui_hopfield" / "ui"


@pytest.mark.parametrize(
    "text", ["", "-", "+", "1", "12", "1.", ".5", "-0.25", "1e", "1e-", "1e+06", "2.5E3"]
)
def test_what_a_user_types_on_the_way_to_a_number_is_taken(text):
    assert re.fullmatch(NUMBER_PATTERN, text)


@pytest.mark.parametrize("text", ["a", "1a", "1..2", "--1", "1e5e", "1_000", " 1", "nan", "inf"])
def test_what_is_no_number_is_refused(text):
    assert re.fullmatch(NUMBER_PATTERN, text) is None


def test_no_field_uses_textuals_number_types():
    """Textual's number and integer types backtrack for minutes on 22 digits and a letter."""
    offenders = []
    for path in UI.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Input":
                for keyword in node.keywords:
                    if keyword.arg == "type" and getattr(keyword.value, "value", "") != "text":
                        offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders


async def test_forty_digits_and_a_letter_in_the_overload_prompt_leave_the_app_answering():
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("o")
        dialog = pilot.app.screen
        assert isinstance(dialog, NumberPrompt)
        field = dialog.query_one("#number", NumberInput)
        field.value = ""
        await pilot.press(*"1" * 40, "a", "x")  # Textual's own pattern: hours for this
        assert field.value == "1" * MAX_NUMBER_LENGTH
        await pilot.press("enter")
        assert "Give a number from 0 to 1." in str(dialog.query_one("#error").render())
        await pilot.press("escape")
        assert app.network.count == 0


async def test_the_learning_prompt_fields_refuse_letters_and_read_numbers():
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+l")
        dialog = pilot.app.screen
        assert isinstance(dialog, LearningPrompt)
        fields = list(dialog.query(NumberInput))
        assert {field.id for field in fields} >= {"decay", "use"}
        decay = dialog.query_one("#decay", NumberInput)
        decay.focus()
        decay.value = ""
        await pilot.press(*"0.5", "z", *"1" * 40, "q")
        assert decay.value == "0.5" + "1" * (MAX_NUMBER_LENGTH - 3)
        assert float(decay.value) == pytest.approx(0.51111111111)


async def test_the_boltzmann_fields_take_digits_only_and_answer_at_once():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await pilot.press("ctrl+k")
        for _ in range(50):
            await pilot.pause()
            if app.screen.query("#bm-hidden"):
                break
        field = app.screen.query_one("#bm-hidden", WholeNumberInput)
        field.focus()
        await pilot.press("end", *("backspace" for _ in range(5)))
        await pilot.press(*"4" * 40, "a", "x")  # letters refused, digits capped
        await pilot.pause()
        assert field.value == "4" * MAX_NUMBER_LENGTH
