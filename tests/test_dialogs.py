"""Pilot tests of the dialogs as a new user meets them at 80x24: focus, keys, paths, help."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.color import Color
from textual.content import Content
from textual.widgets import Button, Input, Select
from textual.widgets._select import SelectCurrent
from textual.widgets._toast import Toast

from tests.conftest import wait_for_jobs
from tui_hopfield.model.paths import DATA_ENV
from tui_hopfield.model.rules import Rule
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.learning_prompt import Learning, LearningPrompt
from tui_hopfield.ui.magnets_screen import MagnetsScreen
from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.memory_menu import MemoryMenu
from tui_hopfield.ui.memory_rows import MemoryRow
from tui_hopfield.ui.path_text import fold_content, fold_paths
from tui_hopfield.ui.picture_prompt import ImprintDialog, PicturePrompt
from tui_hopfield.ui.prompts import (
    ConfirmPrompt,
    Dialog,
    DialogHelp,
    NumberPrompt,
    PathPrompt,
    UnsavedPrompt,
)
from tui_hopfield.ui.race_screen import RacePrompt
from tui_hopfield.ui.recovery_prompt import RecoveryPrompt
from tui_hopfield.ui.text_prompt import TextPrompt


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    """The app's data folder (sessions, autosave) in a temporary folder."""
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    return tmp_path / "data"


def shows(app, kind) -> bool:
    """Whether the top screen is a ``kind`` with its widgets mounted."""
    return isinstance(app.screen, kind) and app.screen.is_mounted and bool(app.screen.children)


async def until(pilot, condition, what: str, tries: int = 200) -> None:
    """Let the app run until ``condition()`` holds (a bounded number of pauses)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never: {what}")


def shown(widget) -> str:
    """The text a one-line widget draws now (what scrolled out of view is not there)."""
    return "".join(segment.text for segment in widget.render_line(0))


def on_screen(app, widget) -> bool:
    """Whether ``widget`` is drawn, whole, where the user can see it (not scrolled away)."""
    region = widget.region
    if not region or not app.screen.region.contains_region(region):
        return False
    hit, _ = app.screen.get_widget_at(region.x + region.width // 2, region.y)
    return hit is widget or widget in hit.ancestors


# -- the learning dialog ---------------------------------------------------------


async def open_learning(pilot) -> LearningPrompt:
    await pilot.app.screen.run_action("learning")
    await until(pilot, lambda: shows(pilot.app, LearningPrompt), "the dialog")
    await pilot.pause()
    return pilot.app.screen


async def test_the_learning_dialog_opens_on_its_first_field_with_apply_in_view(app):
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_learning(pilot)
        rule = dialog.query_one("#rule", Select)
        assert dialog.focused is rule
        assert on_screen(app, dialog.query_one("#apply", Button))
        await pilot.press("enter")  # enter on the rule opens its list
        await until(pilot, lambda: rule.expanded, "the rule's list open")
        await pilot.press("escape")
        await until(pilot, lambda: not rule.expanded, "the list closed")
        # The dense rule shows one field more: the buttons stay in view.
        rule.value = "dense"
        await pilot.pause()
        await pilot.press("tab", "tab")
        assert dialog.focused is dialog.query_one("#mode", Select)
        assert on_screen(app, dialog.query_one("#apply", Button))
        assert on_screen(app, dialog.focused)


@pytest.mark.parametrize("size", [(60, 16), (200, 60)])
async def test_the_learning_dialog_shows_its_buttons_at_any_size_and_only_the_room_it_needs(
    app, size
):
    async with app.run_test(size=size) as pilot:
        dialog = await open_learning(pilot)
        apply = dialog.query_one("#apply", Button)
        await until(pilot, lambda: on_screen(app, apply), "Apply in view")
        assert dialog.focused is dialog.query_one("#rule", Select)
        fields = dialog.query_one("#fields")
        if size[1] == 60:  # room to spare: the dialog is as tall as its fields, not the screen
            assert fields.max_scroll_y == 0
            assert dialog.query_one("#dialog").outer_size.height < 40
        else:
            assert fields.max_scroll_y > 0  # the fields scroll, the buttons stay
            dialog.query_one("#decay", Input).value = "2"
            await pilot.click("#apply")
            await until(pilot, lambda: "decay" in str(dialog.query_one("#error").render()), "why")
            await pilot.pause()
            assert on_screen(app, apply)  # a message of two lines: the buttons still show


async def test_a_focused_select_in_the_learning_dialog_takes_the_cursor_colours(app):
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_learning(pilot)
        cursor = Color.parse(app.theme_variables["block-cursor-background"])
        rule = dialog.query_one("#rule", Select).query_one(SelectCurrent)
        mode = dialog.query_one("#mode", Select).query_one(SelectCurrent)
        assert rule.styles.background == cursor
        assert mode.styles.background != cursor
        dialog.query_one("#mode", Select).focus()
        await pilot.pause()
        assert mode.styles.background == cursor and rule.styles.background != cursor


# -- the path prompts ------------------------------------------------------------


async def test_right_arrow_completes_the_prefilled_folder_at_once(data_folder):
    sessions = data_folder / "sessions"
    sessions.mkdir(parents=True)
    (sessions / "alpha.hopfield").write_bytes(b"")
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.screen.run_action("open")
        await until(pilot, lambda: shows(app, PathPrompt), "the open prompt")
        path = app.screen.query_one("#path", Input)
        assert path.value == f"{sessions}/"
        await until(pilot, lambda: path._suggestion, "a completion")
        await pilot.press("right")
        assert path.value == str(sessions / "alpha.hopfield")


async def test_the_prefilled_path_is_selected_so_typing_replaces_it(data_folder):
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.screen.run_action("save")
        await until(pilot, lambda: shows(app, PathPrompt), "the save prompt")
        path = app.screen.query_one("#path", Input)
        assert path.selected_text == path.value != ""
        await pilot.press(*"mine")
        assert path.value == "mine"


async def test_the_proposed_file_name_shows_at_80_columns(data_folder):
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.screen.run_action("save")
        await until(pilot, lambda: shows(app, PathPrompt), "the save prompt")
        path = app.screen.query_one("#path", Input)
        name = path.value.rsplit("/", 1)[1]
        assert len(path.value) > path.content_size.width  # the whole path does not fit
        await until(pilot, lambda: name in shown(path), "the file name in view")


@pytest.mark.parametrize(("keys", "typed"), [(["right"], "ramp.png"), (["~", "/"], None)])
async def test_the_picture_prompt_completes_its_folder_at_once_and_typing_replaces_it(
    tmp_path, keys, typed
):
    (tmp_path / "ramp.png").write_bytes(b"")
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PicturePrompt(32, 32, tmp_path))
        await until(pilot, lambda: shows(app, PicturePrompt), "the picture prompt")
        path = app.screen.query_one("#path", Input)
        assert app.screen.focused is path and path.selected_text == f"{tmp_path}/"
        await until(pilot, lambda: path._suggestion, "a completion")
        await pilot.press(*keys)
        assert path.value == (str(tmp_path / typed) if typed else "~/")


async def test_only_the_prefilled_path_is_selected_not_what_was_typed(tmp_path):
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PicturePrompt(32, 32, tmp_path))
        await until(pilot, lambda: shows(app, PicturePrompt), "the picture prompt")
        path = app.screen.query_one("#path", Input)
        await until(pilot, lambda: path.selected_text, "the folder selected")
        await pilot.press("end", *"ca")
        await pilot.press("tab", "shift+tab")  # to the next field and back
        assert app.screen.focused is path
        await pilot.pause()
        await pilot.press("t")
        assert path.value == f"{tmp_path}/cat"


# -- the safe answer on enter ----------------------------------------------------


async def test_an_enter_in_the_overwrite_question_keeps_the_file(data_folder, tmp_path):
    target = tmp_path / "old.hopfield"
    target.write_bytes(b"keep me")
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await app.screen.run_action("save")
        await until(pilot, lambda: shows(app, PathPrompt), "the save prompt")
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: shows(app, ConfirmPrompt), "the overwrite question")
        assert app.screen.focused is app.screen.query_one("#no", Button)
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, ConfirmPrompt), "its answer")
        await wait_for_jobs(pilot)
        assert target.read_bytes() == b"keep me"


async def test_an_enter_in_the_quit_question_neither_quits_nor_loses_anything(data_folder):
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "ctrl+q")
        await until(pilot, lambda: shows(app, UnsavedPrompt), "the quit question")
        assert app.screen.focused is app.screen.query_one("#save", Button)
        await pilot.press("enter")
        await until(pilot, lambda: shows(app, PathPrompt), "the save prompt")
        assert app.is_running and app.network.count == 1


async def test_an_unreadable_crash_session_puts_the_focus_on_later_not_discard(tmp_path):
    choices = []
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(
            RecoveryPrompt("a crash left x, which cannot be read", False), choices.append
        )
        await until(pilot, lambda: shows(app, RecoveryPrompt), "the recovery question")
        assert app.screen.focused is app.screen.query_one("#later", Button)
        await pilot.press("enter")
        await until(pilot, lambda: choices, "an answer")
        assert choices == ["later"]


# -- the quit question's keys ----------------------------------------------------


@pytest.mark.parametrize(("key", "answer"), [("s", "save"), ("g", "go"), ("escape", "cancel")])
async def test_the_quit_question_says_which_key_does_what_and_the_keys_answer(key, answer):
    choices = []
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(UnsavedPrompt(3, "Quitting loses them.", "Quit"), choices.append)
        await until(pilot, lambda: shows(app, UnsavedPrompt), "the quit question")
        keys = str(app.screen.query_one("#keys").render())
        assert "s: save first" in keys and "g: quit" in keys and "escape: stay" in keys
        assert on_screen(app, app.screen.query_one("#keys"))
        await pilot.press(key)
        await until(pilot, lambda: choices, "an answer")
        assert choices == [answer]


# -- forgetting one memory from the panel ----------------------------------------


async def open_menu_of_first_memory(pilot) -> MemoryMenu:
    app = pilot.app
    app.magnets.query_one(MemoryList).focus()
    await pilot.pause()
    await pilot.press("enter")
    await until(pilot, lambda: shows(app, MemoryMenu), "the memory's menu")
    return app.screen


async def test_forgetting_one_memory_asks_first_naming_it(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2")
        screen = app.magnets
        screen._apply(screen.workspace.rename(0, "[b]smile[/b]"))  # user text, shown as it is
        await pilot.pause()
        await open_menu_of_first_memory(pilot)
        await pilot.press("f")
        await until(pilot, lambda: shows(app, ConfirmPrompt), "the question")
        question = str(app.screen.query_one(".prompt-title").render())
        assert question == "Forget [b]smile[/b]?"
        assert app.screen.focused is app.screen.query_one("#no", Button)
        await pilot.press("enter")  # the safe answer
        await until(pilot, lambda: isinstance(app.screen, MagnetsScreen), "the main screen")
        assert app.network.count == 2
        await open_menu_of_first_memory(pilot)
        await pilot.press("f")
        await until(pilot, lambda: shows(app, ConfirmPrompt), "the question")
        await pilot.press("y")
        await until(pilot, lambda: app.network.count == 1, "the memory forgotten")
        assert list(app.network.names) == ["heart"]


# -- f1: every dialog's own help -------------------------------------------------


HELP_ITSELF = {"HelpScreen", "IntroScreen"}
"""Dialogs that are a help themselves (the keys' help, the first start's "what am I looking
at"): f1 adds nothing there."""


def every_dialog_class() -> set[type]:
    found, todo = set(), [Dialog]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub)
            todo.append(sub)
    return {kind for kind in found - {ImprintDialog} if kind.__name__ not in HELP_ITSELF}


def some_dialogs(tmp_path) -> list[Dialog]:
    row = MemoryRow("smile", 1.0, -500.0, 0.5, np.ones((32, 32), dtype=np.int8))
    return [
        PathPrompt("Save the session as", tmp_path / "x.hopfield"),
        UnsavedPrompt(2, "Quitting loses them.", "Quit"),
        NumberPrompt("Overload", "Imprints random patterns.", 0.1, 0.0, 1.0),
        ConfirmPrompt("Forget smile?", "It goes.", "Forget"),
        LearningPrompt(Learning(Rule(), "async", 1.0, 0.0)),
        MemoryMenu(row),
        PicturePrompt(32, 32, tmp_path),
        TextPrompt(32, 32),
        RecoveryPrompt("A crash left a session.", True),
        RacePrompt(Rule(), "async"),
    ]


def test_every_dialog_has_a_help_and_the_test_opens_each():
    dialogs = some_dialogs(Path("/nonexistent"))
    assert {type(dialog) for dialog in dialogs} == every_dialog_class()
    for dialog in dialogs:
        assert len(dialog.help_text) > 40, type(dialog).__name__


async def check_help(pilot, dialog: Dialog) -> None:
    """Open ``dialog``, press f1, find its help, go back with escape, close it."""
    app = pilot.app
    app.push_screen(dialog)
    await until(pilot, lambda: app.screen is dialog and bool(dialog.children), "the dialog")
    await pilot.pause()
    focused = dialog.focused
    await pilot.press("f1")
    await until(pilot, lambda: shows(app, DialogHelp), f"the help of {dialog}")
    help_screen = app.screen
    assert help_screen.text == dialog.help_text
    assert str(help_screen.query_one("#help-text").render()) == dialog.help_text
    await pilot.press("escape")
    await until(pilot, lambda: app.screen is dialog, f"back to {dialog}")
    assert dialog.focused is focused
    dialog.dismiss(None)
    await until(pilot, lambda: isinstance(app.screen, MagnetsScreen), "closed")


async def test_f1_in_every_dialog_shows_its_help_and_escape_goes_back(tmp_path):
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        for dialog in some_dialogs(tmp_path):
            await check_help(pilot, dialog)


# -- paths in messages wrap at their separators ----------------------------------

LONG = "/home/someone/.local/share/tui-hopfield/sessions/a-rather-long-session-name.hopfield"


@given(
    st.lists(st.text("abcxyz-._é界", min_size=1, max_size=12), min_size=1, max_size=9),
    st.integers(14, 60),
)
def test_a_folded_path_breaks_only_after_separators_and_loses_nothing(parts, width):
    path = "/" + "/".join(parts)
    lines = fold_paths(path, width).split("\n")
    assert "".join(lines) == path
    assert all(cell_len(line) <= width for line in lines)
    if all(cell_len(part) < width for part in parts):  # each part fits on a line
        assert all(line.endswith("/") for line in lines[:-1])


def test_words_wrap_at_spaces_and_a_path_after_its_separators():
    text = f"Saved 3 memories to {LONG}."
    styled = Content.assemble(("Saved", "bold"), f" 3 memories to {LONG}.")
    folded = fold_content(styled, 37)
    assert folded.plain == fold_paths(text, 37) and folded.spans == styled.spans
    assert fold_paths(text, 37).split("\n") == [
        "Saved 3 memories to",
        "/home/someone/.local/share/",
        "tui-hopfield/sessions/",
        "a-rather-long-session-name.hopfield.",
    ]


def drawn_lines(widget) -> list[str]:
    return [shown_line(widget, y) for y in range(widget.size.height)]


def shown_line(widget, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y)).strip()


def broken_mid_word(lines: list[str]) -> list[str]:
    """The lines that end inside a piece of ``LONG`` (not after a separator or its end)."""
    pieces = [line for line in lines if line and line.split()[-1] in LONG]
    return [line for line in pieces[:-1] if not line.endswith("/")]


async def test_a_long_path_in_a_toast_wraps_at_its_separators(app):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        # Over a dialog messages are toasts (the main screen has its message line).
        app.push_screen(ConfirmPrompt("x.hopfield exists. Replace it?", "", "Replace"))
        await until(pilot, lambda: shows(app, ConfirmPrompt), "the question")
        app.notify(f"Saved 3 memories to {LONG}.", timeout=30)
        await until(pilot, lambda: app.screen.query(Toast), "the toast")
        await pilot.pause()
        toast = app.screen.query_one(Toast)
        lines = drawn_lines(toast)
        assert LONG in "".join(lines)  # all of it, nothing cut off
        assert not broken_mid_word(lines), lines


async def test_a_long_path_in_the_overwrite_question_wraps_at_its_separators(app):
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConfirmPrompt("x.hopfield exists. Replace it?", LONG, "Replace"))
        await until(pilot, lambda: shows(app, ConfirmPrompt), "the question")
        await pilot.pause()
        note = app.screen.query_one(".prompt-hint")
        lines = drawn_lines(note)
        assert len(lines) > 1 and "".join(lines) == LONG
        assert not broken_mid_word(lines), lines


async def test_a_dialog_shows_no_toasts_of_what_the_main_screen_said_before_it_opened():
    """The imprints' notices stay on the main screen's line; the dialog's own are toasts."""
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("1", "2", "3")
        await until(pilot, lambda: len(app._notifications) >= 3, "the imprints' notices")
        await pilot.press("ctrl+l")
        await until(pilot, lambda: shows(app, LearningPrompt), "the learning dialog")
        for _ in range(5):
            await pilot.pause()
        assert not app.screen.query(Toast)
        app.notify("Learned with Storkey's rule.")
        await until(pilot, lambda: app.screen.query(Toast), "the dialog's own toast")
        assert [toast._notification.message for toast in app.screen.query(Toast)] == [
            "Learned with Storkey's rule."
        ]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MagnetsScreen), "the main screen")
        assert not app.screen.query(Toast)
