"""Heavy work runs in workers: saving, opening and re-learning leave the app live.

Each test holds the worker at a gate (a ``threading.Event``) so that the job
is certainly running while keys are pressed; nothing waits on the clock (the
gate's timeout only keeps a broken build from hanging the suite).
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

import tui_hopfield.ui.session_actions as session_actions
from tests.conftest import wait_for_jobs
from tui_hopfield.model import Network
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.store import Session, load, save
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.learning_prompt import Learning
from tui_hopfield.ui.status_bar import StatusBar

GATE_SECONDS = 30
"""A safety net only: how long a held worker waits before going on by itself."""


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    """Keep every test's sessions in its own folder."""
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(tmp_path / "data"))


class Gate:
    """Holds a worker at a model call until ``open``; says when it got there."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.opened = threading.Event()

    def wrap(self, function):
        def held(*args, **kwargs):
            self.reached.set()
            self.opened.wait(GATE_SECONDS)
            return function(*args, **kwargs)

        return held

    async def until_reached(self, pilot) -> None:
        """Let the loop turn until the worker is at the gate (bounded by count)."""
        for _ in range(10_000):
            if self.reached.is_set():
                return
            await pilot.pause()
        raise AssertionError("the worker never reached the gate")

    def open(self) -> None:
        self.opened.set()


def notes(app) -> list[str]:
    return [str(note.message) for note in app._notifications]


def status(app) -> str:
    return str(app.magnets.query_one(StatusBar).render())


async def key_is_handled(pilot) -> None:
    """Press ``+`` (faster) while the job runs: the screen answers it at once."""
    screen = pilot.app.magnets
    before = screen.speed_index
    await pilot.press("plus")
    assert screen.speed_index == before + 1


async def test_a_save_runs_in_a_worker_while_keys_are_handled(tmp_path, monkeypatch):
    gate = Gate()
    monkeypatch.setattr(session_actions, "save", gate.wrap(save))
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2")
        screen = app.magnets
        path = tmp_path / "kept.hopfield"
        screen.save_to(path)
        await gate.until_reached(pilot)
        assert screen.running is not None and screen.running.kind == "save"
        assert "saving kept.hopfield" in status(app)
        await key_is_handled(pilot)
        await pilot.press("x")  # the grid may change meanwhile: the copy was taken
        assert screen.unsaved and not path.exists()
        gate.open()
        await wait_for_jobs(pilot)
        assert screen.running is None and "saving" not in status(app)
        assert not screen.unsaved and screen.session_path == path
        assert load(path).names == ["smile", "heart"]


async def test_an_open_runs_in_a_worker_and_lands_whole(tmp_path, monkeypatch):
    network = Network(16, 16)
    rng = np.random.default_rng(3)
    for k in range(3):
        network.imprint(rng.choice(np.array([-1, 1], dtype=np.int8), 256), f"m{k}", k + 1.0)
    path = save(Session.of(network, 0.25, "sync"), tmp_path / "other.hopfield")
    gate = Gate()
    monkeypatch.setattr(session_actions, "load", gate.wrap(load))
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.magnets
        before = screen.network
        screen.open_from(path)
        await gate.until_reached(pilot)
        assert "opening other.hopfield" in status(app)
        await key_is_handled(pilot)
        await pilot.press("1")  # an edit to the memories waits for the job
        assert before.count == 0 and any("waits for the work" in n for n in notes(app))
        assert screen.network is before
        gate.open()
        await wait_for_jobs(pilot)
        assert screen.network is not before and app.network is screen.network
        assert screen.network.names == ("m0", "m1", "m2")
        assert np.array_equal(screen.network.strengths, [1.0, 2.0, 3.0])
        assert (screen.network.rows, screen.mode, screen.temperature) == (16, "sync", 0.25)
        assert not screen.unsaved and screen.session_path == path


async def test_a_rule_change_runs_in_a_worker_on_a_copy(monkeypatch):
    gate = Gate()
    monkeypatch.setattr(Network, "prepare", gate.wrap(Network.prepare))
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2")
        screen = app.magnets
        before = screen.network
        screen.apply_learning(Learning(Rule("storkey"), "sync", 0.5, 0.0))
        await gate.until_reached(pilot)
        assert screen.running is not None and screen.running.kind == "rule"
        assert "rule storkey: learning" in status(app)
        assert before.rule == Rule() and screen.mode == "async"  # nothing changed yet
        await key_is_handled(pilot)
        await pilot.press("c")  # the grid goes on; the new network takes it
        gate.open()
        await wait_for_jobs(pilot)
        network = screen.network
        assert network is not before and network.rule == Rule("storkey")
        assert (network.decay, screen.mode) == (0.5, "sync")
        assert network.names == ("smile", "heart")
        assert np.all(network.state == -1)  # the cleared grid
        assert before.rule == Rule()  # the old network was never touched


@pytest.mark.parametrize("how", ["escape", "replaced"])
async def test_a_cancelled_rule_change_leaves_everything_as_it_was(monkeypatch, how):
    gate = Gate()
    monkeypatch.setattr(Network, "prepare", gate.wrap(Network.prepare))
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "2")
        screen = app.magnets
        network = screen.network
        revision, unsaved, state = network.revision, screen.unsaved, network.state.copy()
        screen.apply_learning(Learning(Rule("pseudo-inverse"), "async", 1.0, 0.0))
        await gate.until_reached(pilot)
        if how == "escape":
            await pilot.press("escape")
            assert any("Cancelled rule pseudo-inverse" in n for n in notes(app))
        else:  # the same rule as before chosen again: the running job is dropped
            screen.apply_learning(Learning(Rule(), "async", 1.0, 0.0))
        assert screen.running is None and "escape cancels" not in status(app)
        gate.open()
        for worker in [w for w in app.workers if w.group == "job"]:
            await worker.wait()
        await pilot.pause()
        assert screen.network is network and network.rule == Rule()
        assert network.revision == revision and screen.unsaved == unsaved
        assert np.array_equal(network.state, state)


async def test_a_cancelled_save_writes_nothing_and_stays_unsaved(tmp_path, monkeypatch):
    gate = Gate()
    monkeypatch.setattr(session_actions, "save", gate.wrap(save))
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        screen = app.magnets
        path = tmp_path / "never.hopfield"
        screen.save_to(path)
        await gate.until_reached(pilot)
        await pilot.press("escape")
        assert screen.running is None
        gate.open()
        for worker in [w for w in app.workers if w.group == "job"]:
            await worker.wait()
        await pilot.pause()
        assert screen.unsaved and screen.session_path is None
        assert list(tmp_path.iterdir()) == []  # no file, no temporary left behind


@pytest.mark.parametrize("how", ["bad file", "out of memory"])
async def test_a_failing_open_leaves_everything_as_it_was(tmp_path, monkeypatch, how):
    if how == "bad file":
        path = tmp_path / "bad.hopfield"
        path.write_bytes(b"not a session at all")
        reason = "not a readable session"
    else:
        path = save(Session.of(Network(8, 8)), tmp_path / "fine.hopfield")

        def no_room(self, *args, **kwargs):
            raise MemoryError

        monkeypatch.setattr(Session, "network", no_room)
        reason = "MemoryError"
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "x")
        screen = app.magnets
        network = screen.network
        revision, state = network.revision, network.state.copy()
        screen.open_from(path)
        await wait_for_jobs(pilot)
        assert screen.running is None
        assert screen.network is network and app.network is network
        assert network.revision == revision and np.array_equal(network.state, state)
        assert screen.unsaved and screen.session_path is None
        assert any(reason in n for n in notes(app))


async def test_escape_does_nothing_new_without_a_job(tmp_path: Path):
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "escape")
        assert not any("Cancelled" in n for n in notes(app))
        assert app.network.count == 1


def a_session(count: int = 40, side: int = 8) -> Session:
    rng = np.random.default_rng(5)
    patterns = rng.choice(np.array([-1, 1], dtype=np.int8), (count, side * side))
    strengths = np.linspace(0.5, 3.0, count)
    state = rng.choice(np.array([-1, 1], dtype=np.int8), side * side)
    return Session(side, side, [f"m{k}" for k in range(count)], patterns, strengths, state)


def test_a_session_builds_its_network_reporting_progress_and_stops_when_asked(monkeypatch):
    from tui_hopfield.model import store
    from tui_hopfield.model.errors import Cancelled

    monkeypatch.setattr(store, "OPEN_BLOCK_BYTES", 64 * 7)  # 7 memories a block
    session = a_session()
    reports: list[float] = []
    network = session.network(reports.append)
    assert reports == sorted(reports) and reports[0] == 0 and reports[-1] == 1
    assert len(reports) == 6 + 1  # one before each block of 7, and one at the end
    one_by_one = Network(8, 8)
    one_by_one.set_state(session.state)
    memories = zip(session.names, session.patterns, session.strengths, strict=True)
    for name, pattern, strength in memories:
        one_by_one.imprint(pattern, name, float(strength))
    assert network.names == one_by_one.names
    assert np.array_equal(network.strengths, one_by_one.strengths)
    assert np.array_equal(network.overlaps(), one_by_one.overlaps())
    assert network.energy() == pytest.approx(one_by_one.energy())
    asked: list[int] = []
    with pytest.raises(Cancelled):
        session.network(cancelled=lambda: asked.append(1) or len(asked) > 2)
    assert len(asked) == 3


def test_storkey_learns_reporting_progress_and_a_cancel_leaves_the_network_unlearned():
    from tui_hopfield.model.errors import Cancelled

    network = a_session(count=6).network()
    network.rule = Rule("storkey")
    revision = network.revision
    with pytest.raises(Cancelled):
        network.learn(cancelled=lambda: True)
    assert network.revision == revision
    reports: list[float] = []
    landscape = network.learn(reports.append)
    assert landscape is not None and landscape.count == 6
    assert reports == [k / 6 for k in range(6)] + [1.0]
