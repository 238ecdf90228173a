"""Pilot tests of the dialogs as a new user meets them at 80x24: focus, keys, paths, help."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.widgets import Button, Input, Select
from textual.widgets._select import SelectCurrent

from tui_hopfield.model.paths import DATA_ENV
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.learning_prompt import LearningPrompt
from tui_hopfield.ui.picture_prompt import PicturePrompt
from tui_hopfield.ui.prompts import PathPrompt


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
