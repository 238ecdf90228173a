"""Screenshots: ctrl+d and the palette write the screen as SVG, atomically, or say why not."""

from __future__ import annotations

import tempfile

from textual.command import CommandPalette

from tui_hopfield.ui.app import HopfieldApp


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def wait_for(pilot, condition) -> None:
    for _ in range(500):
        if condition():
            return
        await pilot.pause()
    assert condition()


async def test_ctrl_d_saves_the_screen_as_svg_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: (tmp_path / "screenshot.svg").exists())
        svg = (tmp_path / "screenshot.svg").read_text()
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
        assert "energy" in svg and "memories" in svg  # the status bar, as on screen
        assert any(str(tmp_path / "screenshot.svg") in message for message in messages(app))
        await pilot.press("ctrl+d")  # a second one never replaces the first
        await wait_for(pilot, lambda: (tmp_path / "screenshot-2.svg").exists())
        assert sorted(path.name for path in tmp_path.iterdir()) == [
            "screenshot-2.svg",
            "screenshot.svg",
        ]


async def test_the_palette_command_shoots_the_screen_under_the_palette(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Screenshot of the screen")
        await wait_for(pilot, lambda: app.screen.query("CommandList").first().option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: (tmp_path / "screenshot.svg").exists())
        svg = (tmp_path / "screenshot.svg").read_text()
        assert "energy" in svg
        assert "Screenshot&#160;of" not in svg and "Screenshot of" not in svg  # no palette


async def test_a_folder_that_cannot_be_written_is_refused_with_a_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        monkeypatch.setattr(tempfile, "mkstemp", refuse)
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: messages(app))
        assert any(
            message.startswith(f"cannot write in {tmp_path}") and "Permission denied" in message
            for message in messages(app)
        )
        assert list(tmp_path.iterdir()) == []


async def test_a_current_folder_gone_is_refused_with_a_message(tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: messages(app))
        assert any("the current folder is gone" in message for message in messages(app))


async def test_textuals_own_screenshot_command_writes_atomically_here_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")  # the help screen: Textual's Screenshot command
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        (command,) = [c for c in app.get_system_commands(app.screen) if c.title == "Screenshot"]
        command.callback()
        await wait_for(pilot, lambda: (tmp_path / "screenshot.svg").exists())
        assert "Red is north" in (tmp_path / "screenshot.svg").read_text().replace("&#160;", " ")
        assert any("Saved the screen to" in message for message in messages(app))
        titles = [c.title for c in app.get_system_commands(app.magnets)]
        assert "Screenshot" not in titles and "Screenshot of the screen as SVG" in titles
