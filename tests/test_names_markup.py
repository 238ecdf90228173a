"""Names are text, and nothing from a file or a user is read as markup.

A name full of terminal escapes must never reach the terminal as one (it set
the window title, wrote the clipboard and typed keys), and a name or a path
full of markup must show literally in toasts, the memory panel and its menu,
the command palette and the prompts, without crashing and without running any
action. The export path made from a name stays inside its folder.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from textual.app import App, ComposeResult
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import DataTable, Input, Label
from textual.widgets._toast import Toast

from tui_hopfield.cli import parser, prepare
from tui_hopfield.experiments.scenes import load_scenes
from tui_hopfield.model import Network
from tui_hopfield.model.changes import Snapshot
from tui_hopfield.model.names import clean_name, clean_names, safe_slug, visible
from tui_hopfield.model.paths import export_dir
from tui_hopfield.model.patterns import picture_name, random_spins
from tui_hopfield.model.store import Session, load, save
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.lab_screen import _fill
from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.memory_menu import MemoryMenu
from tui_hopfield.ui.memory_rows import MemoryRows, Pictures, Valleys
from tui_hopfield.ui.message_line import MessageLine
from tui_hopfield.ui.picture_prompt import PicturePrompt
from tui_hopfield.ui.prompts import ConfirmPrompt, PathPrompt, PathSuggester
from tui_hopfield.ui.status_bar import StatusBar
from tui_hopfield.ui.text_prompt import name_for
from tui_hopfield.ui.theme import PaletteApp

ESCAPES = {
    "window title": "pic\x1b]0;owned\x07",
    "clipboard": "pic\x1b]52;c;ZWNobyBvd25lZA==\x07",
    "cursor report": "pic\x1b[6n\x1b[c",
    "newline": "two\nlines\r\n",
    "delete": "rub\x7fout",
    "one-byte csi": "csi\x9b31m",
    "bidi override": "evil\u202etxt.exe\u202c",
    "bidi isolate": "iso\u2066x\u2069",
}
"""Names an attacker would give a memory, by what each did to the terminal."""

MARKUP = {
    "style": "[bold red]BOLD[/bold red]",
    "click": "[@click=app.simulate_key('ctrl+f')]click here[/]",
    "closing tag": "[/]",
    "link": "[link=x]y[/link]",
}
"""Names that Textual would read as markup."""


def dangerous(char: str) -> bool:
    """Whether a character may move the cursor, talk to the terminal or hide."""
    if char in "\u200c\u200d":
        return False
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")


def assert_clean(name: str) -> None:
    assert name, "a name must not become empty"
    assert not [char for char in name if dangerous(char)], repr(name)


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    """Keep every test's sessions and exports in its own folder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(folder))
    return folder


# -- the rule ---------------------------------------------------------------------


@pytest.mark.parametrize("attack", ESCAPES.values(), ids=ESCAPES.keys())
def test_a_name_is_one_line_of_visible_text(attack):
    name = clean_name(attack)
    assert_clean(name)
    assert clean_name(name) == name  # cleaning twice is cleaning once
    assert len(name) <= len(attack)


def test_controls_are_drawn_visibly_and_line_breaks_become_spaces():
    assert clean_name("a\x1b]0;t\x07") == "a\u241b]0;t\u2407"  # ␛ and ␇
    assert clean_name("\x00nul\x7f") == "\u2400nul\u2421"
    assert clean_name(" two\nlines\ttab\u2028 ") == "two lines tab"
    assert clean_name("c1\x9b31m") == "c1\ufffd31m"
    assert clean_name("a\u202eb") == "a\ufffdb"
    assert clean_name("emoji \U0001f469\u200d\U0001f4bb") == "emoji \U0001f469\u200d\U0001f4bb"
    assert len(clean_name("x" * 500)) == 200 and clean_name("x" * 500).endswith("\u2026")
    assert visible("two\nlines", newlines=True) == "two\nlines"


def test_names_that_clean_alike_stay_distinct():
    names = clean_names(["a\x1b", "a\u241b", "a\u241b 2", "   "])
    assert names == ["a\u241b", "a\u241b 3", "a\u241b 2", "memory"]


def test_numbered_names_stay_within_the_longest_name():
    network = Network(4, 4)
    long = "x" * 200
    network.imprint(random_spins(16, np.random.default_rng(0)), long)
    second = network.unique_name(long)
    assert second != long and len(second) <= 200 and second.endswith(" 2")


# -- every way a name is made or read ---------------------------------------------


@pytest.mark.parametrize("attack", ESCAPES.values(), ids=ESCAPES.keys())
def test_imprint_rename_and_unique_names_clean_a_name(attack):
    rng = np.random.default_rng(1)
    network = Network(4, 4)
    network.imprint(random_spins(16, rng), attack)
    network.imprint_many(np.stack([random_spins(16, rng)]), [attack + "many"])
    network.imprint(random_spins(16, rng), network.unique_name(attack))
    network.imprint(random_spins(16, rng), "plain")
    network.rename(3, attack + "renamed")
    assert len(network.names) == 4
    for name in network.names:
        assert_clean(name)
    assert network.unique_name(attack) not in network.names


def test_a_session_with_escapes_in_its_names_opens_with_them_cleaned(tmp_path):
    rng = np.random.default_rng(2)
    names = [*ESCAPES.values(), "a\x1b", "a\u241b"]  # the last two clean alike
    patterns = np.stack([random_spins(16, rng) for _ in names])
    session = Session(4, 4, names, patterns, np.ones(len(names)), random_spins(16, rng))
    path = save(session, tmp_path / "crafted.hopfield")
    opened = load(path)
    for name in opened.names:
        assert_clean(name)
    assert len(set(opened.names)) == len(names)
    network = opened.network()
    assert network.names == tuple(opened.names)


def image_named(folder: Path, name: bytes) -> Path:
    """A small picture whose file name is ``name`` (any bytes but ``/``)."""
    raw = os.path.join(os.fsencode(folder), name)
    Image.fromarray(np.full((8, 8), 200, dtype=np.uint8), "L").save(raw, format="PNG")
    return Path(os.fsdecode(raw))


def crafted_images(folder: Path) -> list[Path]:
    """One image named after each attack, and one whose name is not even UTF-8."""
    paths = [image_named(folder, f"{attack}.png".encode()) for attack in ESCAPES.values()]
    paths.append(image_named(folder, b"bad\xff\x1b[6n.png"))
    return paths


def test_image_file_names_give_clean_names_on_the_command_line(tmp_path):
    images = crafted_images(tmp_path)
    for path in images:
        assert_clean(picture_name(path))
    args = parser().parse_args(["--size", "8x8", "--imprint", *map(str, images)])
    start = prepare(args)
    assert start.network.count == len(images)
    for name in start.network.names:
        assert_clean(name)


def test_text_names_are_clean():
    assert_clean(name_for("hello \x1b]0;owned\x07 world"))
    assert_clean(name_for("\u202eevil\x9b"))


class PromptApp(PaletteApp):
    """Opens one prompt and keeps what it dismissed with."""

    def __init__(self, prompt) -> None:
        super().__init__()
        self.prompt = prompt
        self.result = None

    def on_mount(self) -> None:
        self.push_screen(self.prompt, self.keep)

    def keep(self, result) -> None:
        self.result = result


async def test_the_picture_prompt_names_a_crafted_file_cleanly(tmp_path):
    images = crafted_images(tmp_path)
    prompt = PicturePrompt(8, 8, tmp_path)
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        for path in images:
            prompt.query_one("#path", Input).value = str(path)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            name = prompt.query_one("#name", Input).value
            assert_clean(name)
        await pilot.press("enter")
        await pilot.pause()
        assert app.result is not None
        assert_clean(app.result[1])


# -- drawing: no Segment ever holds a control ------------------------------------


class PanelApp(PaletteApp):
    """The memory panel alone."""

    def compose(self) -> ComposeResult:
        yield MemoryList(id="memories")


async def test_the_panel_draws_any_control_left_in_a_name_visibly():
    network = Network(8, 8)
    rng = np.random.default_rng(3)
    raw = [*ESCAPES.values(), *MARKUP.values()]
    for k in range(len(raw)):
        network.imprint(random_spins(64, rng), f"memory {k}")
    app = PanelApp()
    async with app.run_test(size=(60, 80)) as pilot:
        panel = app.query_one(MemoryList)
        # Names straight from somewhere that skipped the model's cleaning.
        panel.rows = MemoryRows(
            raw, [1.0] * len(raw), np.zeros(len(raw)), Pictures(network), Valleys(network)
        )
        await pilot.pause()
        lines = ["".join(segment.text for segment in panel.render_line(y)) for y in range(80)]
        for line in lines:
            assert not [char for char in line if dangerous(char)], repr(line)
        drawn = "\n".join(lines)
        for name in MARKUP.values():
            assert name in drawn  # drawn literally, never as markup
        assert "pic\u241b]0;owned\u2407" in drawn


async def test_the_status_bar_draws_a_state_visibly():
    class BarApp(PaletteApp):
        def compose(self) -> ComposeResult:
            yield StatusBar()

    app = BarApp()
    async with app.run_test(size=(100, 3)) as pilot:
        bar = app.query_one(StatusBar)
        bar.snapshot = Snapshot(state="recalled pic\x1b]52;c;AAAA\x07")
        await pilot.pause()
        text = bar.render().plain
        assert "recalled pic\u241b]52;c;AAAA\u2407" in text
        assert not [char for char in text if dangerous(char)]


# -- markup: shown literally, never run ----------------------------------------------


async def toasts(pilot, containing: str) -> list[Toast | MessageLine]:
    """The toasts on screen (the main screen's message line) that say ``containing``, waited for."""
    for _ in range(50):
        found = [
            toast
            for toast in pilot.app.screen.query("Toast, MessageLine")
            if containing in toast.render().plain
        ]
        if found:
            return found
        await pilot.pause()
    raise AssertionError(f"no toast says {containing!r}")


async def test_a_toast_shows_title_and_message_plain(tmp_path):
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.magnets.notify(
            "message [b]x[/b] \x1b]0;owned\x07", title="title \x1b[6n", severity="error"
        )
        (toast,) = await toasts(pilot, "message")
        text = toast.render().plain
        assert "title \u241b[6n" in text
        assert "message [b]x[/b] \u241b]0;owned\u2407" in text
        assert not [char for char in text if dangerous(char) and char != "\n"]


def markup_network(name: str) -> Network:
    network = Network(32, 32)
    network.imprint(random_spins(network.n, np.random.default_rng(4)), name)
    return network


def shows(app: App, kind: type) -> bool:
    """Whether the top screen is a ``kind`` with its path field composed."""
    return isinstance(app.screen, kind) and bool(app.screen.query("#path"))


async def wait_for(pilot, condition, what: str) -> None:
    for _ in range(100):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


@pytest.mark.parametrize("name", MARKUP.values(), ids=MARKUP.keys())
async def test_a_markup_name_shows_literally_and_runs_nothing(name):
    app = HopfieldApp(network=markup_network(name), seed=1)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = app.magnets
        assert app.network.names == (name,)
        # The toast: literal, and a click on it runs no action.
        screen.post_message(MemoryList.Action(0, "show", memory=name))
        (toast,) = await toasts(pilot, "Showing")
        assert toast.render().plain == f"Showing {name}."
        await pilot.click(toast, offset=(1 + len("Showing ") + 2, 1))
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmPrompt)
        assert app.network.names == (name,)
        # The memory's menu: its title is the name.
        screen.memory_list.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MemoryMenu), "the menu opened")
        title = app.screen.query_one("#menu")._border_title
        assert title is not None and title.plain == name
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "the menu closed")
        # The command palette, searched for part of the name.
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        palette = app.screen
        palette.query_one(CommandInput).value = f"export memory: {name[:3]}"
        commands = palette.query_one(CommandList)

        def shown() -> list[str]:
            return [
                str(commands.get_option_at_index(k).prompt) for k in range(commands.option_count)
            ]

        await wait_for(pilot, lambda: any("Export memory" in line for line in shown()), "a match")
        assert any(f"Export memory: {name}\nSave {name} as a PNG" in line for line in shown())
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "the palette closed")
        assert app.network.names == (name,)
        assert app.return_code is None


# -- paths with markup in them ----------------------------------------------------------


@pytest.fixture
def bracket_folder(tmp_path) -> Path:
    """A folder named ``[`` holding a folder named ``[x``: markup's ``[/[x/...]``."""
    folder = tmp_path / "["
    (folder / "[x").mkdir(parents=True)
    return folder


async def test_a_bracket_folder_in_the_open_prompt_is_shown_plainly(bracket_folder):
    app = HopfieldApp(seed=1, session_path=bracket_folder / "old.hopfield")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: shows(app, PathPrompt), "the open prompt")
        field = app.screen.query_one("#path", Input)
        assert field.value == f"{bracket_folder}/"
        missing = bracket_folder / "[x" / "none [b].hopfield"
        field.value = str(missing)
        await pilot.press("enter")
        (toast,) = await toasts(pilot, "no such file")
        assert str(missing) in toast.render().plain
        assert app.return_code is None


async def test_a_bracket_folder_in_the_picture_prompt_is_shown_plainly(bracket_folder):
    app = HopfieldApp(seed=1, session_path=bracket_folder / "old.hopfield")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: shows(app, PicturePrompt), "the image prompt")
        prompt = app.screen
        assert prompt.query_one("#path", Input).value == f"{bracket_folder}/"
        missing = bracket_folder / "[x" / "none.png"
        prompt.query_one("#path", Input).value = str(missing)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        message = prompt.query_one("#message", Label)
        assert str(missing) in message.render().plain
        assert message.has_class("-error")
        await pilot.press("escape")
        await pilot.pause()
        assert app.return_code is None


# -- the export path made from a name ----------------------------------------------


def test_safe_slug_is_a_file_name_and_never_a_path():
    for name in ("../../../../tmp/escaped", "..", ".hidden", "/", "a/b\\c", "", "\x1b[6n", "CON"):
        slug = safe_slug(name)
        assert slug and "/" not in slug and "\\" not in slug and ".." not in slug
        assert not slug.startswith(".") and slug.upper() != "CON"
        assert_clean(slug)
    assert safe_slug("drawing 2") == "drawing 2"
    assert safe_slug("café au lait") == "café au lait"


async def test_the_export_default_path_stays_inside_the_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = "../../outside/escaped"
    app = HopfieldApp(network=markup_network(name), seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        app.magnets.action_export(0)
        await wait_for(pilot, lambda: shows(app, PathPrompt), "the export prompt")
        default = Path(app.screen.query_one("#path", Input).value)
        folder = export_dir()
        assert folder == tmp_path
        assert default.parent == folder
        assert default.name == f"{safe_slug(name)}.png"
        await pilot.press("enter")
        await wait_for(pilot, default.is_file, "the export")
        written = [path for path in tmp_path.rglob("*.png")]
        assert written == [default]


# -- the lab: scene names come from file names ----------------------------------------


def test_scene_names_from_file_names_are_clean(tmp_path):
    for role in ("bg", "old", "new"):
        image_named(tmp_path, f"yard\x1b]0;owned\x07_{role}.png".encode())
    (scene,) = load_scenes(tmp_path, 8, 8)
    assert_clean(scene.name)


async def test_lab_tables_show_scene_names_plainly():
    class TableApp(PaletteApp):
        def compose(self) -> ComposeResult:
            yield DataTable()

    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(DataTable)
        _fill(table, (("scene", "old"), [(name, "0.5") for name in MARKUP.values()]))
        await pilot.pause()
        drawn = "\n".join(table.render_line(y).text for y in range(1 + len(MARKUP)))
        for name in MARKUP.values():
            assert name in drawn


# -- paths with controls in them ---------------------------------------------------------


async def test_completion_never_offers_a_file_name_with_controls(tmp_path):
    image_named(tmp_path, b"pic\x1b]52;c;AAAA\x07.png")  # sorts before pic.png
    image_named(tmp_path, b"pic.png")
    suggester = PathSuggester((".png",))
    assert await suggester.get_suggestion(f"{tmp_path}/p") == f"{tmp_path}/pic.png"


async def test_the_picture_prompt_shows_a_path_with_controls_visibly(tmp_path):
    prompt = PicturePrompt(8, 8, tmp_path)
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        missing = tmp_path / "x\x1b]0;owned\x07" / "none.png"
        prompt.query_one("#path", Input).value = str(missing)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        shown = prompt.query_one("#message", Label).render().plain
        assert "x\u241b]0;owned\u2407" in shown
        assert not [char for char in shown if dangerous(char) and char != "\n"]


async def test_renaming_in_the_memory_menu_cleans_the_name():
    app = HopfieldApp(network=markup_network("plain"), seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        screen.memory_list.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MemoryMenu), "the menu opened")
        menu = app.screen
        field = menu.query_one("#name", Input)
        field.value = ESCAPES["clipboard"] + ESCAPES["newline"]
        field.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen, "the menu closed")
        (name,) = app.network.names
        assert_clean(name)
        assert name.startswith("pic\u241b]52;c;")
        assert any(name in note.message for note in app._notifications)
