"""Periodic autosave: an unsaved session goes to the autosave file, never the user's own."""

from __future__ import annotations

import pytest

import tui_hopfield.ui.autosave as autosave
from tests.conftest import wait_for_jobs
from tui_hopfield.model.paths import autosave_path
from tui_hopfield.model.store import load, save
from tui_hopfield.ui.app import HopfieldApp


@pytest.fixture
def data(tmp_path, monkeypatch):
    """An empty data folder of the app's own."""
    folder = tmp_path / "data"
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


async def until(pilot, condition, tries: int = 400) -> None:
    """Let the app run until ``condition()`` holds (bounded by pauses, not by time)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    assert condition()


def autosaved_names():
    """The names in the autosave file, or None when there is none (or it is being written)."""
    path = autosave_path()
    if not path.is_file():
        return None
    return load(path).names


async def test_the_timer_writes_the_unsaved_session_to_the_autosave(data, monkeypatch):
    monkeypatch.setattr(autosave, "AUTOSAVE_SECONDS", 0.05)
    app = HopfieldApp(16, 16, seed=1, autosave=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2")
        await until(pilot, lambda: autosaved_names() == list(app.network.names))
        assert len(app.network.names) == 2
        assert app.magnets.unsaved  # the user's session is still unsaved: quitting asks
        await pilot.press("3")
        await until(pilot, lambda: autosaved_names() == list(app.network.names))
        assert len(autosaved_names()) == 3
    assert not list(data.glob("autosave-*"))  # always the same file


async def test_an_autosave_is_written_only_when_something_changed(data):
    app = HopfieldApp(16, 16, seed=1, autosave=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        assert not screen.autosave_now()  # no memories: nothing unsaved
        await pilot.press("1")
        await pilot.pause()
        assert screen.autosave_now()
        await until(pilot, lambda: autosaved_names() == list(app.network.names))
        assert not screen.autosave_now()  # the same session again: not written again
        await pilot.press("m")
        await pilot.pause()
        assert screen.autosave_now()  # a setting changed
        await until(pilot, lambda: load(autosave_path()).mode == "sync")


async def test_no_autosave_without_the_autosave_setting(data):
    app = HopfieldApp(16, 16, seed=1, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert not app.magnets.autosave_now()
        await pilot.pause()
    assert not autosave_path().exists()


async def test_the_user_s_own_session_file_is_never_overwritten(data):
    data.mkdir()
    app = HopfieldApp(16, 16, seed=1, autosave=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await pilot.press("1")
        await pilot.pause()
        save(screen.workspace.session(), autosave_path())
        screen.workspace.path = autosave_path()  # the user saved as the autosave's name
        app.autosaved(autosave_path())
        before = autosave_path().read_bytes()
        await pilot.press("2")
        await pilot.pause()
        assert screen.unsaved
        assert not screen.autosave_now()
        await pilot.pause()
        assert autosave_path().read_bytes() == before


async def test_another_instance_s_autosave_is_left_alone_and_one_numbered_file_used(data):
    data.mkdir()
    app = HopfieldApp(16, 16, seed=1, autosave=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await pilot.press("1")
        autosave_path().write_bytes(b"the other instance's session")  # after our start
        await pilot.pause()
        numbered = data / "autosave-2.hopfield"
        assert screen.autosave_now()
        await until(pilot, lambda: numbered.is_file())
        await pilot.press("2")
        await pilot.pause()
        assert screen.autosave_now()
        await until(pilot, lambda: len(load(numbered).names) == 2)
    assert autosave_path().read_bytes() == b"the other instance's session"
    assert not (data / "autosave-3.hopfield").exists()


async def test_a_large_session_is_copied_and_written_as_a_job(data, monkeypatch):
    monkeypatch.setattr(autosave, "AUTOSAVE_COPY_BYTES", 0)
    app = HopfieldApp(16, 16, seed=1, autosave=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        await pilot.press("1", "2")
        await pilot.pause()
        kinds = []
        start_job = screen._start_job

        def recorded(kind, label, *args):
            kinds.append((kind, label))
            return start_job(kind, label, *args)

        monkeypatch.setattr(screen, "_start_job", recorded)
        assert screen.autosave_now()
        await wait_for_jobs(pilot)
        assert kinds == [("save", "autosaving autosave.hopfield")]
        await until(pilot, lambda: autosaved_names() == list(app.network.names))


async def test_a_periodic_autosave_waits_while_another_is_written(data):
    app = HopfieldApp(16, 16, seed=1, autosave=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        with autosave.WRITING:  # the quit's autosave, say, being written
            assert app.magnets.autosave_now()
            for _ in range(20):
                await pilot.pause()
            assert not autosave_path().exists()
        await until(pilot, lambda: autosaved_names() == list(app.network.names))
