"""The config file in the app: keys moved by id, theme and speed applied, problems shown
with their lines, a theme chosen remembered, and the first start's intro, once."""

from __future__ import annotations

import pytest

from tui_hopfield import cli
from tui_hopfield.config import read
from tui_hopfield.model.changes import SPEEDS
from tui_hopfield.model.paths import config_path
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.intro_screen import IntroScreen
from tui_hopfield.ui.magnets_screen import MagnetsScreen


def configured(text: str, **options) -> HopfieldApp:
    """An app started with ``text`` as its config file (in the test's config folder)."""
    path = config_path()
    path.write_text(text)
    return HopfieldApp(seed=1, config=read(path), **options)


async def settle(pilot, condition, count: int = 50) -> None:
    """Pause until ``condition()`` holds (bounded)."""
    for _ in range(count):
        if condition():
            return
        await pilot.pause()


def toasts(app: HopfieldApp) -> list[str]:
    """The text of every notification shown."""
    return [f"{n.title}\n{n.message}" for n in app._notifications]


async def test_keys_move_by_action_id_and_the_old_key_is_free():
    app = configured('[keys]\n"magnets.clear" = "y"\n')
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert toasts(app) == [], "a good config says nothing"
        await pilot.press("1", "c")
        assert (app.network.grid() == 1).any(), "c no longer clears"
        await pilot.press("y")
        assert (app.network.grid() == -1).all(), "y clears"


async def test_a_bad_config_starts_with_defaults_and_says_which_line():
    app = configured(
        'theme = "no-such-theme"\nspeed = 300\n'
        '[keys]\n"magnets.clear" = "r"\n"magnets.nope" = "q"\n'
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.magnets.speed_index == SPEEDS.index(300))
        assert app.theme == "textual-dark"
        assert app.magnets.speed_index == SPEEDS.index(300), "the good line still counts"
        [toast] = toasts(app)
        path = config_path()
        assert "3 problems in the config file" in toast
        assert f"{path} line 1: no theme 'no-such-theme'" in toast
        assert f"{path} line 4: 'r' for magnets.clear is already magnets.recall's" in toast
        assert f"{path} line 5: no action 'magnets.nope'" in toast
        await pilot.press("1", "r")
        assert app.magnets.recalling or app.magnets.state.startswith("recalled"), "r recalls"


async def test_a_config_that_is_not_toml_still_starts():
    app = configured("speed = [\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MagnetsScreen)
        [toast] = toasts(app)
        assert f"{config_path()} line 1: not TOML" in toast
        assert "1 problem in the config file" in toast


async def test_the_theme_and_speed_of_the_config_are_applied():
    app = configured('theme = "nord"\nspeed = "instant"\n')
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.magnets.speed_index == SPEEDS.index(0))
        assert app.theme == "nord"
        assert app.magnets.speed_index == SPEEDS.index(0)
        assert str(app.magnets.speed_text.render()) == "instant"
    assert config_path().read_text() == 'theme = "nord"\nspeed = "instant"\n', "not rewritten"


async def test_a_theme_chosen_in_the_palette_is_remembered_for_the_next_start():
    app = configured("# my comment\nspeed = 10\n")
    async with app.run_test(size=(80, 24)) as pilot:
        app.search_themes()
        await settle(pilot, lambda: app.screen.id != "_default")
        await pilot.press(*"dracula")
        await pilot.pause()
        for _ in range(50):
            await pilot.press("enter")
            if app.theme == "dracula":
                break
        assert app.theme == "dracula"
    text = config_path().read_text()
    assert text.startswith("# my comment\nspeed = 10\n") and 'theme = "dracula"' in text
    again = HopfieldApp(seed=1, config=read(config_path()))
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "dracula"


async def test_a_magnet_palette_chosen_is_remembered_and_the_configs_is_applied():
    app = configured("# mine\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.apply_palette("okabe-ito")
        await settle(pilot, lambda: "okabe-ito" in config_path().read_text())
    assert config_path().read_text().startswith("# mine\n")
    assert 'palette = "okabe-ito"' in config_path().read_text()
    again = HopfieldApp(seed=1, config=read(config_path()))
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.magnet_palette == "okabe-ito"
    assert config_path().read_text().count("palette") == 1, "the config's own is not rewritten"


async def test_a_theme_that_cannot_be_remembered_is_said_and_kept():
    path = config_path()
    path.write_text("theme = nord\n")  # not TOML: the user's to mend, never overwritten
    app = HopfieldApp(seed=1, config=read(path))
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "dracula"
        await settle(pilot, lambda: any("Not remembered" in t for t in toasts(app)))
        assert any("Not remembered" in t for t in toasts(app))
        assert app.theme == "dracula"
    assert path.read_text() == "theme = nord\n"


async def test_no_intro_unless_asked():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MagnetsScreen)


@pytest.mark.parametrize("close", ["enter", "escape", "click"])
async def test_the_first_start_shows_the_intro_once(close):
    app = HopfieldApp(seed=1, intro=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, IntroScreen))
        assert isinstance(app.screen, IntroScreen)
        if close == "click":
            await pilot.click("#intro-close")
        else:
            await pilot.press(close)
        await settle(pilot, lambda: isinstance(app.screen, MagnetsScreen))
        assert isinstance(app.screen, MagnetsScreen)
    config = read(config_path())
    assert config.intro is False and config.problems == []


async def test_the_intro_is_in_the_palette():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        app.call_later(commands["What am I looking at"].callback)
        await settle(pilot, lambda: isinstance(app.screen, IntroScreen))
        assert isinstance(app.screen, IntroScreen)
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MagnetsScreen))
        assert isinstance(app.screen, MagnetsScreen)
    assert not config_path().exists(), "asked again, nothing to remember"


async def test_the_intro_comes_before_a_crashed_session_is_offered(tmp_path, monkeypatch):
    from tui_hopfield.model import Network
    from tui_hopfield.model.paths import DATA_ENV, recovery_path
    from tui_hopfield.model.store import Session, save
    from tui_hopfield.ui.recovery_prompt import RecoveryPrompt

    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    network = Network(32, 32)
    network.imprint(network.grid().copy(), "south")
    save(Session.of(network, 0.0, "async"), recovery_path())
    app = HopfieldApp(seed=1, intro=True, offer_recovery=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, IntroScreen))
        assert isinstance(app.screen, IntroScreen)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, RecoveryPrompt))
        assert isinstance(app.screen, RecoveryPrompt)


def test_the_command_starts_the_app_with_the_config_and_the_intro(monkeypatch):
    config_path().write_text('size = "12x14"\ntheme = "nord"\n')
    started = []
    monkeypatch.setattr(HopfieldApp, "run", lambda self: started.append(self))
    assert cli.main(["--no-autosave"]) == 0
    [app] = started
    assert (app.network.rows, app.network.cols) == (12, 14)
    assert app.config.theme == "nord" and app.intro is True
    config_path().write_text("intro = false\n")
    assert cli.main(["--no-autosave", "--size", "8x8"]) == 0
    assert started[1].intro is False and started[1].network.rows == 8


def test_the_intro_names_the_keys_that_do_what_it_says():
    """The intro stays true: each key it names is bound to the action it describes."""
    import re

    from tui_hopfield.ui.actions import BY_ID, key_label
    from tui_hopfield.ui.intro_screen import INTRO

    said = {
        "1": "magnets.picture-1",
        "b": "magnets.break",
        "r": "magnets.recall",
        "?": "app.help",
        "ctrl+p": "textual.palette",
        "ctrl+q": "app.quit",
    }
    named = [key for key in re.findall(r"\[b\]([^\[]+)\[/b\]", INTRO) if key in said]
    assert sorted(named) == sorted(said), "the intro names these keys, in bold"
    for key, action_id in said.items():
        assert key in [key_label(k) for k in BY_ID[action_id].key_names], (key, action_id)


async def test_the_help_lists_the_keys_the_config_moved():
    app = configured('[keys]\n"magnets.clear" = ["y", "?"]\n"magnets.recall" = "enter"\n')
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")  # "?" stays the help's: the clash was left out
        await settle(pilot, lambda: app.screen.query("#moved-keys"))
        text = str(app.screen.query_one("#moved-keys").render())
        assert "magnets.recall: enter" in text
        assert "magnets.clear" not in text
