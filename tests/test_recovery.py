"""A crash never loses the session; the autosave never silently loses one; small terminals live."""

from __future__ import annotations

import os

import numpy as np
import pytest
from textual.command import CommandList, CommandPalette
from textual.content import Content

from tui_hopfield.model.paths import autosave_path, recovery_files
from tui_hopfield.model.store import Session, load, save
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.magnets_screen import MagnetsScreen
from tui_hopfield.ui.prompts import UnsavedPrompt
from tui_hopfield.ui.recovery_prompt import RecoveryPrompt
from tui_hopfield.ui.theme import PaletteApp


class Boom(RuntimeError):
    """The deliberate error of these tests."""


@pytest.fixture
def data(tmp_path, monkeypatch):
    """An empty data folder of the app's own."""
    folder = tmp_path / "data"
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


async def until(pilot, condition, tries: int = 200) -> None:
    """Let the app run until ``condition()`` holds (bounded)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    assert condition()


async def imprint_three(pilot) -> None:
    for key in "123":
        await pilot.press(key)
    await until(pilot, lambda: pilot.app.network.count == 3)


# -- a crash writes the session ------------------------------------------------


async def test_an_error_inside_an_action_saves_the_session_to_a_recovery_file(
    data, monkeypatch, capsys
):
    app = HopfieldApp(seed=1)

    def crash(screen: MagnetsScreen) -> None:
        raise Boom("deliberate")

    monkeypatch.setattr(MagnetsScreen, "action_clear", crash)
    with pytest.raises(Boom):
        async with app.run_test(size=(100, 32)) as pilot:
            await imprint_three(pilot)
            await pilot.press("t", "right_square_bracket")  # a setting that must come back too
            names = list(app.network.names)
            patterns = app.network.patterns.copy()
            temperature = app.magnets.temperature
            await pilot.press("c")
            await pilot.pause()
    assert app.recovered_to == data / "recovery.hopfield"
    assert recovery_files() == [app.recovered_to]
    session = load(app.recovered_to)
    assert session.names == names
    assert np.array_equal(session.patterns, patterns)
    assert session.temperature == pytest.approx(temperature)
    assert not list(data.glob(".*tmp*"))  # written atomically: no temporary left behind


async def test_the_crash_prints_one_line_saying_where(data):
    app = HopfieldApp(seed=1)
    app.recovered_to = data / "recovery.hopfield"
    lines = []
    app.error_console.print = lambda *args, **kwargs: None  # no traceback to print here

    import builtins

    real_print = builtins.print
    try:
        builtins.print = lambda *args, **kwargs: lines.append(" ".join(map(str, args)))
        app._print_error_renderables()
    finally:
        builtins.print = real_print
    assert len(lines) == 1
    assert str(data / "recovery.hopfield") in lines[0]
    assert "next start offers to reopen it" in lines[0]


async def test_a_second_crash_keeps_the_first_recovery(data, monkeypatch):
    data.mkdir()
    first = data / "recovery.hopfield"
    first.write_bytes(b"an earlier crash")
    app = HopfieldApp(seed=1)
    monkeypatch.setattr(MagnetsScreen, "action_clear", lambda screen: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        async with app.run_test() as pilot:
            await imprint_three(pilot)
            await pilot.press("c")
            await pilot.pause()
    assert first.read_bytes() == b"an earlier crash"
    assert app.recovered_to == data / "recovery-2.hopfield"
    assert load(app.recovered_to).names == ["smile", "heart", "star"][: len(app.network.names)]


async def test_no_memories_means_no_recovery_file(data, monkeypatch):
    app = HopfieldApp(seed=1)
    monkeypatch.setattr(MagnetsScreen, "action_clear", lambda screen: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        async with app.run_test() as pilot:
            await pilot.press("c")
            await pilot.pause()
    assert app.recovered_to is None and recovery_files() == []


# -- the next start offers it --------------------------------------------------


def crashed_session(data, names=("one", "two")) -> Session:
    """A recovery file as a crash leaves it, with memories ``names`` on an 8x8 grid."""
    rng = np.random.default_rng(3)
    from tui_hopfield.model import Network

    network = Network(8, 8)
    for name in names:
        network.imprint(rng.choice(np.array([-1, 1], dtype=np.int8), 64), name)
    session = Session.of(network, 0.25, "sync")
    save(session, data / "recovery.hopfield")
    return session


async def test_the_start_offers_the_recovered_session_and_reopens_it(data):
    crashed = crashed_session(data)
    app = HopfieldApp(seed=1, offer_recovery=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RecoveryPrompt))
        text = str(app.screen.query_one(".prompt-hint").render())
        assert "2 memories on a 8x8 grid" in text and str(data / "recovery.hopfield") in text
        await pilot.click("#reopen")
        await until(pilot, lambda: app.network.count == 2)
        assert list(app.network.names) == crashed.names
        assert np.array_equal(app.network.patterns, crashed.patterns)
        assert app.magnets.mode == "sync" and app.magnets.temperature == pytest.approx(0.25)
        assert app.magnets.unsaved  # in no session file yet: quitting asks
        assert (data / "recovery.hopfield").exists()  # kept until the app quits cleanly
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedPrompt))
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running)
    assert not (data / "recovery.hopfield").exists()


@pytest.mark.parametrize("key", ["d", "l", "escape"])
async def test_discard_removes_the_file_and_later_keeps_it(data, key):
    crashed_session(data)
    app = HopfieldApp(seed=1, offer_recovery=True)
    async with app.run_test() as pilot:
        await until(pilot, lambda: isinstance(app.screen, RecoveryPrompt))
        await pilot.press(key)
        await until(pilot, lambda: isinstance(app.screen, MagnetsScreen))
        assert app.network.count == 0
    assert (data / "recovery.hopfield").exists() == (key != "d")


async def test_an_unreadable_recovery_says_why_and_cannot_be_reopened(data):
    data.mkdir()
    (data / "recovery.hopfield").write_bytes(b"not a session")
    app = HopfieldApp(seed=1, offer_recovery=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RecoveryPrompt))
        assert app.screen.query_one("#reopen").disabled
        assert "cannot be opened" in str(app.screen.query_one(".prompt-hint").render())
        await pilot.press("r")  # refused: nothing to reopen
        await pilot.pause()
        assert isinstance(app.screen, RecoveryPrompt)


async def test_no_offer_without_a_recovery_file(data):
    app = HopfieldApp(seed=1, offer_recovery=True)
    async with app.run_test() as pilot:
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, MagnetsScreen)


async def test_the_command_offers_recovery(monkeypatch, data):
    from tui_hopfield import cli

    started = {}

    def run(app) -> None:
        started["offer"] = app.offer_recovery

    monkeypatch.setattr(HopfieldApp, "run", run)
    assert cli.main([]) == 0
    assert started["offer"] is True


# -- the autosave at quit ------------------------------------------------------


async def test_a_failed_autosave_keeps_the_app_open_and_offers_to_quit_without_saving(data):
    data.mkdir()
    autosave_path().mkdir()  # a folder where the autosave goes: saving it fails
    app = HopfieldApp(seed=1, autosave=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await imprint_three(pilot)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedPrompt))
        await pilot.press("q")  # quit: the autosave fails
        await until(
            pilot, lambda: isinstance(app.screen, UnsavedPrompt) and "failed" in app.screen.note
        )
        assert app.is_running and app.network.count == 3
        assert app.screen.go == "Quit without saving"
        await pilot.press("ctrl+q")  # ctrl+q in a quit question quits
        await until(pilot, lambda: not app.is_running)


async def test_another_instance_s_newer_autosave_is_not_overwritten(data, capsys):
    data.mkdir()
    app = HopfieldApp(seed=1, autosave=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await imprint_three(pilot)
        autosave_path().write_bytes(b"the other instance's session")  # written after our start
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedPrompt))
        assert "autosave-2.hopfield" in app.screen.note
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running)
    assert autosave_path().read_bytes() == b"the other instance's session"
    numbered = data / "autosave-2.hopfield"
    assert load(numbered).names == list(app.network.names)
    said = capsys.readouterr().err.replace("\n", "")
    assert "another tui-hopfield wrote" in said and str(numbered) in said


async def test_an_autosave_older_than_the_start_is_replaced(data):
    data.mkdir()
    autosave_path().write_bytes(b"from yesterday")
    os.utime(autosave_path(), (1, 1))
    app = HopfieldApp(seed=1, autosave=True)
    async with app.run_test() as pilot:
        await imprint_three(pilot)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedPrompt))
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running)
    assert load(autosave_path()).names == list(app.network.names)
    assert not (data / "autosave-2.hopfield").exists()


# -- small terminals and the palette (Textual guards) --------------------------


def test_guard_zero_width_text():
    assert Content("Quit").get_height({}, 0) >= 1
    assert Content("Quit").get_height({}, -3) >= 1
    # A button 2 cells wide with a line-pad of 1 (fuzz seed 2, drawing "Cancel").
    assert Content("Cancel")._wrap_and_format(2, line_pad=1)
    assert Content("Cancel")._wrap_and_format(2, "left", "fold", False, 1)


@pytest.mark.parametrize("width", [10, 17, 18, 20, 22, 24, 30])
async def test_quitting_with_unsaved_memories_at_any_narrow_width(width):
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("1")
        await until(pilot, lambda: app.network.count == 1)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedPrompt))
        await pilot.resize_terminal(width, 24)  # narrowed while the question is open
        await pilot.pause()
        await pilot.resize_terminal(width, 5)
        await pilot.pause()
        for size in [(100, 24), (width, 24), (100, 5), (width, 5)]:  # back and forth
            await pilot.resize_terminal(*size)
        await pilot.pause()
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MagnetsScreen))
        await pilot.press("ctrl+q")  # and opened on a narrow terminal
        await until(pilot, lambda: isinstance(app.screen, UnsavedPrompt))
        await pilot.resize_terminal(width, 24)
        await pilot.pause()
        buttons = list(app.screen.query("Button"))
        # The buttons stack, one line each, every one wide enough to read.
        assert len({button.region.y for button in buttons}) == 3
        assert all(button.region.width >= min(width - 6, 8) for button in buttons)


@pytest.mark.parametrize("height", [2, 3, 4, 5])
@pytest.mark.parametrize("keys", [["pageup"], ["down", "pagedown"], ["r", "e", "pageup"]])
async def test_palette_page_keys_on_a_few_rows(height, keys):
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(60, height)) as pilot:
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandList).option_count >= 0


async def test_a_late_click_on_a_covered_palette_leaves_the_screen_above_it():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        await pilot.press("ctrl+q")  # a priority key: the quit question opens over the palette
        await until(pilot, lambda: isinstance(app.screen, UnsavedPrompt))
        palette.dismiss()  # what a click queued for the palette did
        await pilot.pause()
        assert isinstance(app.screen, UnsavedPrompt)


async def test_a_palette_that_gave_its_result_is_not_dismissed_again():
    """Fuzz seed 6: a click on the background of Textual's own palette (the theme
    picker) dismissed it after it had given its result: InvalidStateError."""
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("change_theme")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette) and app.screen.is_mounted)
        await pilot.pause()
        palette = app.screen
        assert type(palette) is CommandPalette  # Textual's own, not ours
        palette._result_callbacks[-1](None)  # the result, given once already
        palette.dismiss()
        await until(pilot, lambda: isinstance(app.screen, MagnetsScreen))
        assert app.is_running and app._exception is None


async def test_a_late_button_press_in_a_dialog_under_the_palette_waits():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedPrompt))
        question = app.screen
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        question.query_one("#save").press()  # a press that was on its way
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette) and app.is_running
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is question)


async def test_the_palette_key_with_a_dialog_over_the_palette():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedPrompt))
        await pilot.press("ctrl+p")  # one palette is open already, under the question
        await pilot.pause()
        assert isinstance(app.screen, UnsavedPrompt)
        assert sum(isinstance(screen, CommandPalette) for screen in app.screen_stack) == 1


@pytest.mark.parametrize("search", ["zzqx", ""])
async def test_the_no_matches_countdown_after_the_list_is_gone(search, monkeypatch):
    monkeypatch.setattr(CommandPalette, "_NO_MATCHES_COUNTDOWN", 0.001)
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        await palette.query_one(CommandList).remove()  # as closing does, before the timer
        palette._start_no_matches_countdown(search)
        for _ in range(10):
            await pilot.pause()
        assert app.is_running


async def test_a_press_on_a_widget_being_removed():
    from textual.geometry import Offset
    from textual.widgets import Label

    from tests.conftest import Terminal

    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: not isinstance(app.screen, MagnetsScreen))
        orphan = Label("going")  # what Textual finds there: a widget whose parent is gone
        app.screen.get_widget_and_offset_at = lambda x, y: (orphan, Offset(0, 0))
        from textual import events

        Terminal(app).mouse(events.MouseDown, 5, 5, 1)
        for _ in range(3):
            await pilot.pause()
        assert app.is_running


async def test_a_click_on_a_palette_row_that_is_gone():
    from rich.style import Style
    from textual import events

    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", "down")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        commands = app.screen.query_one(CommandList)
        await until(pilot, lambda: commands.option_count > 0)
        gone = commands.option_count + 5  # drawn before the list narrowed
        click = events.Click(commands, 1, 1, 0, 0, 1, False, False, False,
                             style=Style(meta={"option": gone}))  # fmt: skip
        await commands._on_click(click)
        assert app.is_running


async def test_page_keys_in_an_option_list_with_no_room():
    from textual.widgets import OptionList

    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: not isinstance(app.screen, MagnetsScreen))
        options = OptionList("one", "two", "three")
        options.styles.height = 0  # no room: the lines are never laid out
        await app.screen.mount(options)
        await pilot.pause()
        options.highlighted = 1
        options.action_page_up()
        options.action_page_down()
        assert app.is_running and options.highlighted == 1


async def test_the_unsaved_question_is_grammatical_for_one_memory() -> None:
    """'Changes to 1 memory have not been saved', never 'has'."""
    app = PaletteApp()
    async with app.run_test() as pilot:
        app.push_screen(UnsavedPrompt(1, "note", "Quit"))
        await until(pilot, lambda: bool(app.screen.query(".prompt-title")))
        titles = [str(label.content) for label in app.screen.query(".prompt-title")]
        assert titles == ["Changes to 1 memory have not been saved."]
