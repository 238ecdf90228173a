"""Saving, opening, exporting and quitting in the app; small and colourless terminals."""

from __future__ import annotations

import inspect
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from rich.color import ColorSystem
from textual import events
from textual.color import Color

from tests.conftest import Terminal, wait_for_jobs
from tui_hopfield.model import Network
from tui_hopfield.model.patterns import random_spins
from tui_hopfield.model.store import Session, load, save
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.prompts import PathPrompt, UnsavedPrompt
from tui_hopfield.ui.theme import PALETTES, MagnetPalette


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    """Keep every test's sessions in its own folder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(folder))
    return folder


async def answer_prompt(pilot, text: str) -> None:
    """Replace the text of the open path prompt and press enter."""
    assert isinstance(pilot.app.screen, PathPrompt)
    field = pilot.app.screen.query_one("#path")
    field.value = text
    await pilot.press("enter")
    await wait_for_jobs(pilot)


async def test_save_then_open_restores_memories_and_grid(tmp_path):
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "2", "b")
        grid = app.network.state.copy()
        await pilot.press("ctrl+s")
        await answer_prompt(pilot, str(tmp_path / "mine"))
        assert (tmp_path / "mine.hopfield").is_file()
        assert not app.magnets.unsaved
        await pilot.press("3", "ctrl+f", "y", "x")
        assert app.network.count == 0
        await pilot.press("ctrl+o")
        await answer_prompt(pilot, str(tmp_path / "mine.hopfield"))
        assert app.network.names == ("smile", "heart")
        assert np.array_equal(app.network.state, grid)
        assert app.magnets.state == "drawing"


async def test_opening_a_bad_file_changes_nothing(tmp_path):
    bad = tmp_path / "bad.hopfield"
    bad.write_bytes(b"definitely not a session")
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        before = app.network.state.copy()
        await pilot.press("ctrl+o", "g")  # open anyway: the memory was never saved
        await answer_prompt(pilot, str(bad))
        assert app.network.names == ("smile",)
        assert np.array_equal(app.network.state, before)
        assert any("not a readable session" in n.message for n in app._notifications)


def saved_session(tmp_path, rows: int, cols: int, name: str) -> Path:
    """A session file with one random memory called ``name``."""
    network = Network(rows, cols)
    network.imprint(random_spins(rows * cols, np.random.default_rng(0)), name)
    return save(Session.of(network), tmp_path / f"{name}.hopfield")


async def test_opening_a_session_of_another_size_resizes_the_grid(tmp_path):
    path = saved_session(tmp_path, 12, 20, "wide")
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await answer_prompt(pilot, str(path))
        assert (app.network.rows, app.network.cols) == (12, 20)
        assert app.magnets.grid.spins.shape == (12, 20)
        assert app.magnets.pictures[0].spins.shape == (12, 20)
        await pilot.press("1")  # the pictures follow the new size
        assert app.network.names == ("wide", "smile")


async def test_cancel_a_prompt_with_escape(tmp_path):
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "ctrl+s", "escape")
        assert not isinstance(app.screen, PathPrompt)
        assert app.magnets.unsaved


async def wait_for(pilot, condition, what: str) -> None:
    """Let the app run until ``condition()`` holds (a bounded number of turns)."""
    for _ in range(100):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


def as_seen(values: np.ndarray, palette: MagnetPalette, scale: int) -> np.ndarray:
    """The picture of ``values`` a person sees in ``palette``, each magnet a square."""
    north, south = (Color.parse(c) for c in (palette.north, palette.south))
    colours = np.where(values[..., None] > 0, north.rgb, south.rgb).astype(np.uint8)
    return np.repeat(np.repeat(colours, scale, axis=0), scale, axis=1)


def png_pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        assert image.format == "PNG"
        return np.asarray(image.convert("RGB"))


async def test_export_writes_the_grid_as_seen_into_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "2", "b")
        app.apply_palette("okabe-ito")
        await pilot.pause()
        await pilot.press("e")
        assert isinstance(app.screen, PathPrompt)
        assert app.screen.query_one("#path").value == str(tmp_path / "grid.png")
        await pilot.press("enter")
        await wait_for(pilot, (tmp_path / "grid.png").is_file, "the export")
        picture = png_pixels(tmp_path / "grid.png")
        assert picture.shape == (512, 512, 3)  # 16 px a magnet
        assert np.array_equal(picture, as_seen(app.network.grid(), PALETTES["okabe-ito"], 16))
        shown = [n.message for n in app._notifications]
        assert any(str(tmp_path / "grid.png") in message for message in shown), shown
        await pilot.press("e")  # the default is free: nothing is asked, nothing replaced
        assert app.screen.query_one("#path").value == str(tmp_path / "grid-2.png")
        await pilot.press("escape")
        app.magnets.action_export(1)
        await pilot.pause()
        await answer_prompt(pilot, "heart")  # a relative name: the current folder
        heart = png_pixels(tmp_path / "heart.png")
        assert np.array_equal(
            heart, as_seen(app.network.memory(1).pattern, PALETTES["okabe-ito"], 16)
        )
        assert any(str(tmp_path / "heart.png") in n.message for n in app._notifications)


async def test_export_of_shades_writes_them_as_shown(tmp_path, monkeypatch):
    """The modern rule's continuous state is exported in the shades the grid shows."""
    monkeypatch.chdir(tmp_path)
    app = HopfieldApp(4, 4, seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        values = np.linspace(-1, 1, 16).reshape(4, 4)
        app.magnets.grid.show_values(values)
        await pilot.press("e")
        await answer_prompt(pilot, str(tmp_path / "shades.png"))
        picture = png_pixels(tmp_path / "shades.png")
        assert picture.shape == (512, 512, 3)  # 128 px a magnet
        palette = PALETTES["red-blue"]
        north, south = (np.array(Color.parse(c).rgb) for c in (palette.north, palette.south))
        for (row, col), value in np.ndenumerate(values):
            expected = np.rint(south + (north - south) * (value + 1) / 2)
            assert picture[row * 128 + 64, col * 128 + 64].tolist() == expected.tolist()


async def test_export_goes_to_the_pictures_folder_when_the_current_one_is_read_only(
    tmp_path, monkeypatch
):
    from tui_hopfield.model import paths

    pictures = tmp_path / "Pictures"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paths.os, "access", lambda path, mode: False)
    monkeypatch.setattr(paths, "user_pictures_path", lambda: pictures)
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "e")
        assert app.screen.query_one("#path").value == str(pictures / "grid.png")
        await pilot.press("enter")
        await wait_for(pilot, (pictures / "grid.png").is_file, "the export")
        picture = png_pixels(pictures / "grid.png")
        assert np.array_equal(picture, as_seen(app.network.grid(), PALETTES["red-blue"], 16))


async def test_a_bad_export_path_is_refused_and_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "b")
        grid = app.network.grid().copy()
        (tmp_path / "shots").mkdir()
        before = sorted(tmp_path.rglob("*"))
        await pilot.press("e")
        await answer_prompt(pilot, str(tmp_path / "missing" / "folder" / "grid.png"))
        await pilot.pause()
        errors = [n for n in app._notifications if n.title == "Not exported"]
        assert errors and "no such folder" in errors[-1].message
        assert sorted(tmp_path.rglob("*")) == before  # no folder made, no file written
        assert np.array_equal(app.network.grid(), grid) and app.magnets.unsaved
        await pilot.press("e")  # a folder typed: the picture goes inside, by its name
        await answer_prompt(pilot, str(tmp_path / "shots"))
        await wait_for(pilot, (tmp_path / "shots" / "grid.png").is_file, "the export")


async def test_quit_with_unsaved_memories_asks_first(data_folder):
    app = HopfieldApp(seed=2, autosave=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "ctrl+q")
        assert isinstance(app.screen, UnsavedPrompt)
        await pilot.press("escape")
        assert not isinstance(app.screen, UnsavedPrompt)
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.click("#go")
        await pilot.pause()
    assert app.return_code == 0
    autosaved = load(data_folder / "autosave.hopfield")
    assert autosaved.names == ["smile"]


async def test_quit_prompt_can_save_first(tmp_path):
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "ctrl+q", "s")
        await answer_prompt(pilot, str(tmp_path / "before-quit.hopfield"))
    assert load(tmp_path / "before-quit.hopfield").names == ["smile"]


async def test_quit_without_memories_does_not_ask(data_folder):
    app = HopfieldApp(seed=2, autosave=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x", "ctrl+q")
        await pilot.pause()
    assert not (data_folder / "autosave.hopfield").exists()


async def test_too_small_terminal_says_so_and_recovers():
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.magnets
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        assert screen.has_class("-too-small")
        message = str(screen.query_one("#too-small").render())
        assert "30\u00d78" in message and "at least" in message
        assert not screen.query_one("#body").display
        await pilot.resize_terminal(10, 5)
        await pilot.pause()
        await pilot.press("1", "b", "r")  # keys still work, nothing breaks
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not screen.has_class("-too-small")
        assert screen.query_one("#body").display


async def test_glyph_mode_by_key_and_no_color(monkeypatch):
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "g")
        assert app.magnets.grid.glyphs
        text = "".join(app.magnets.grid.render_line(y).text for y in range(24))
        assert set(text) <= {" ", "\u2580", "\u2584", "\u2588"}
        assert "\u2588" in text and " " in text  # the smile's north and south, by shape
        await pilot.press("g")
        assert not app.magnets.grid.glyphs
    monkeypatch.setenv("NO_COLOR", "1")
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)):
        assert app.magnets.grid.glyphs


async def test_north_and_south_stay_apart_in_256_and_16_colours():
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)):
        grid = app.magnets.grid
        colours = {
            name: grid.get_component_rich_style(f"spin-grid--{name}").color
            for name in ("north", "south", "cursor-north", "cursor-south")
        }
    for system in (ColorSystem.EIGHT_BIT, ColorSystem.STANDARD):
        downgraded = {name: colour.downgrade(system) for name, colour in colours.items()}
        assert downgraded["north"] != downgraded["south"]
        assert downgraded["cursor-north"] not in (downgraded["north"], downgraded["south"])


class KeyCountingApp(HopfieldApp):
    """The app, counting the keys it has taken from the terminal (not those bubbled back)."""

    CSS_PATH = Path(inspect.getfile(HopfieldApp)).with_name(HopfieldApp.CSS_PATH)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.keys_taken = 0
        """How many keys the app has handled or forwarded."""

    async def on_event(self, event: events.Event) -> None:
        taken = isinstance(event, events.Key) and not event.is_forwarded
        await super().on_event(event)  # forwarding marks the event as forwarded
        self.keys_taken += taken


async def keys_handled(pilot, total: int) -> None:
    """Wait until the app has taken ``total`` keys, then until what they started is done."""
    for _ in range(1000):
        if pilot.app.keys_taken >= total:
            break
        await pilot.pause()
    assert pilot.app.keys_taken == total
    await pilot.pause()


async def test_a_burst_of_enters_closes_a_prompt_once(tmp_path):
    """Two enters queued before the first is handled must not pop the main screen."""
    app = KeyCountingApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        terminal = Terminal(app)
        await pilot.press("x", "i", "ctrl+s")
        app.screen.query_one("#path").value = str(tmp_path / "burst.hopfield")
        terminal.key("enter")
        terminal.key("enter")
        await keys_handled(pilot, 5)
        assert app.screen is app.magnets
        await wait_for_jobs(pilot)  # the save runs in a worker
        assert (tmp_path / "burst.hopfield").is_file()
        for key in ("question_mark", "escape", "escape", "escape"):
            terminal.key(key)
        await keys_handled(pilot, 9)
        assert app.screen is app.magnets


async def test_input_still_queued_when_the_app_shuts_down_is_dropped():
    """A key or click that reaches the app after it began to shut down is ignored.

    Textual's ``run_test`` shuts the app down from outside its message loop:
    ``App._shutdown`` empties the screen stacks and only then closes the app's
    queue, so input still queued (a key bubbled back from a widget) is handled
    with no screen and raised ``ScreenStackError: No screens on stack``.
    """
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)):
        close_all = app._close_all

        async def close_all_then_input() -> None:
            await close_all()  # the screens are gone, the app's queue still open
            bubbled = events.Key("escape", None)
            bubbled._set_forwarded()  # as a key comes back to the app from a widget
            for event in (
                events.Key("escape", None),
                bubbled,
                events.MouseDown(None, 1, 1, 0, 0, 1, False, False, False, 1, 1),
            ):
                app.post_message(event)

        app._close_all = close_all_then_input
    assert not app.screen_stack


async def test_a_screen_dismissed_twice_keeps_the_app():
    """Textual's own dialogs (the command palette) may dismiss twice in a burst of clicks."""
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert palette is not app.magnets
        palette.dismiss()
        palette.dismiss()  # unguarded in Textual: would pop the main screen
        await pilot.pause()
        assert app.screen is app.magnets
        assert app.is_running


async def test_a_palette_asked_for_while_the_last_one_is_removed_is_not_doubled():
    """Fuzz seed 3: ctrl+p right after the palette closed, while Textual still held it."""
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert palette is not app.magnets
        app.pop_screen()  # off the stack; still the app's until it is removed
        app.action_command_palette()
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+p")  # once it is gone, the palette opens again
        for _ in range(20):
            await pilot.pause()
            if app.screen is not app.magnets:
                break
        assert app.screen is not app.magnets


async def test_an_unwritable_autosave_still_lets_the_user_quit(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(blocker / "data"))
    app = HopfieldApp(seed=2, autosave=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "ctrl+q", "q")
        await pilot.pause()
        # The autosave failed: the app stays open and says so (more in test_recovery.py).
        assert app.is_running and isinstance(app.screen, UnsavedPrompt)
        assert app.screen.go == "Quit without saving"
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_typing_an_unknown_home_in_a_prompt_does_not_crash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # "~zz" is then a plain relative name, saved here
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "ctrl+s")
        app.screen.query_one("#path").value = ""
        await pilot.press("~", "z", "z")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await wait_for_jobs(pilot)
        assert app.is_running
        assert app.screen is app.magnets
        assert (tmp_path / "~zz.hopfield").is_file()


async def test_open_asks_before_replacing_unsaved_memories(tmp_path):
    path = saved_session(tmp_path, 32, 32, "other")
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4", "ctrl+o")
        assert isinstance(app.screen, UnsavedPrompt)
        await pilot.press("escape")
        assert app.network.names == ("house",)
        await pilot.press("ctrl+o", "g")
        assert isinstance(app.screen, PathPrompt)
        assert app.screen.query_one("#path").value.endswith("/")
        await answer_prompt(pilot, str(path))
        assert app.network.names == ("other",)
        assert not app.magnets.unsaved


@pytest.mark.parametrize("change", ["m", "right_square_bracket", "decay"])
async def test_a_changed_setting_is_unsaved_and_open_asks_first(tmp_path, change):
    """A changed mode, temperature or decay is part of the session: ctrl+o asks."""
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "ctrl+s")
        await answer_prompt(pilot, str(tmp_path / "mine"))
        assert not app.magnets.unsaved
        if change == "decay":
            screen = app.magnets
            screen.apply_learning(replace(screen.learning, decay=0.9))
            await pilot.pause()
            assert app.network.decay == 0.9
        else:
            await pilot.press(change)
        assert app.magnets.unsaved
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, UnsavedPrompt)
        setting = {"m": "The update mode", "right_square_bracket": "The temperature"}
        assert app.screen.title_text == (
            f"{setting.get(change, 'The decay')} changed since the last save; the memories did not."
        )


async def test_ctrl_q_in_the_quit_question_quits_and_in_the_open_question_asks_to_quit():
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "ctrl+o")
        assert isinstance(app.screen, UnsavedPrompt) and app.screen.go == "Open anyway"
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, UnsavedPrompt) and app.screen.go == "Quit"
        assert app.network.names == ("smile",)  # nothing was opened
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_saving_or_exporting_over_an_existing_file_asks_first(tmp_path):
    from tui_hopfield.ui.prompts import ConfirmPrompt

    taken = tmp_path / "taken.hopfield"
    taken.write_bytes(b"precious")
    png = tmp_path / "grid.png"
    png.write_bytes(b"also precious")
    app = HopfieldApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "ctrl+s")
        await answer_prompt(pilot, str(taken))
        assert isinstance(pilot.app.screen, ConfirmPrompt)
        await pilot.press("n")
        assert taken.read_bytes() == b"precious" and app.magnets.unsaved
        await pilot.press("e")
        await answer_prompt(pilot, str(png))
        await pilot.press("escape")
        assert png.read_bytes() == b"also precious"
        await pilot.press("ctrl+s")
        await answer_prompt(pilot, str(taken))
        await pilot.press("y")
        await wait_for_jobs(pilot)
        assert not app.magnets.unsaved
        assert taken.read_bytes() != b"precious"
