"""The dense memory demo of the README and the help, run step by step as written.

Each step is a key of the text and the action it runs (the keys are the table of
actions' after the remap: ``o`` overloads, ``ctrl+l`` opens the learning dialog);
the test runs the actions by name, so it holds whatever key a keymap gives them,
and checks that the README and the help name the same keys in the same order.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Button, Select

from tests.conftest import finish_recall, set_instant, wait_for_jobs
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.help_screen import HELP
from tui_hopfield.ui.learning_prompt import LearningPrompt
from tui_hopfield.ui.prompts import NumberPrompt

README = Path(__file__).resolve().parent.parent / "README.md"

KEYS = ["1", "o", "enter", "f", "r", "ctrl+l", "dense", "apply", "1", "f", "r"]
"""The demo's keys and choices, in the order the text gives them."""


def in_order(text: str, words: list[str]) -> bool:
    """Whether ``words`` appear in ``text`` in this order (each a backquoted key or a word)."""
    position = 0
    for word in words:
        match = re.compile(rf"`{re.escape(word)}`|\b{re.escape(word)}\b").search(text, position)
        if match is None:
            return False
        position = match.end()
    return True


def test_the_readme_and_the_help_give_the_demos_steps_in_order():
    readme = README.read_text(encoding="utf-8")
    paragraph = readme[readme.index("**The dense memory demo**") :].split("\n\n")[0]
    assert in_order(paragraph, KEYS), paragraph
    sentence = HELP[HELP.index("Try it") :].split("\n- ")[0]
    assert in_order(sentence, KEYS), sentence


async def run(screen, pilot, action: str) -> None:
    """Run the screen's ``action`` as its key would, and let the screen catch up."""
    await screen.run_action(action)
    await pilot.pause()


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_dense_demo_does_what_the_text_says(seed):
    app = HopfieldApp(32, 32, seed=seed, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        set_instant(screen)
        await run(screen, pilot, "picture(0)")  # 1: the smiley
        assert app.network.names == ("smile",)
        await run(screen, pilot, "overload")  # o, then enter: the offered load 0.3
        assert isinstance(app.screen, NumberPrompt)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.network.count == 307
        await run(screen, pilot, "break('flip')")  # f
        await run(screen, pilot, "recall")  # r
        await finish_recall(pilot, timeout=120)
        assert screen.state.startswith("spurious")  # the classic network fails

        await run(screen, pilot, "learning")  # ctrl+l: the learning dialog
        dialog = app.screen
        assert isinstance(dialog, LearningPrompt)
        dialog.query_one("#rule", Select).value = "dense"  # choose dense
        await pilot.pause()
        dialog.query_one("#apply", Button).press()  # apply
        await pilot.pause()
        await wait_for_jobs(pilot)
        assert app.network.rule.name == "dense" and app.screen is screen
        memories = app.network.names
        await run(screen, pilot, "picture(0)")  # 1 again: the smiley back, nothing imprinted
        assert app.network.names == memories
        assert any("smile is already a memory" in str(n.message) for n in app._notifications)
        assert screen.state == "recalled smile"  # the grid is the smiley itself
        await run(screen, pilot, "break('flip')")  # f
        assert screen.state != "recalled smile"
        await run(screen, pilot, "recall")  # r
        await finish_recall(pilot, timeout=120)
        assert screen.state == "recalled smile"  # the smiley comes back
