"""Pinned magnets: no recall, by any rule or schedule, ever turns one over."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_hopfield.model import batch
from tui_hopfield.model.descent import descend
from tui_hopfield.model.dynamics import Asynchronous, Flip
from tui_hopfield.model.network import ModelError, Network
from tui_hopfield.model.patterns import random_spins
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.steps import Retrieval, Synchronous
from tui_hopfield.model.workspace import Workspace

RULES = [
    Rule("hebbian"),
    Rule("storkey"),
    Rule("pseudo-inverse"),
    Rule("dense", 3),
    Rule("dense", None),
    Rule("modern", beta=20.0),
]


def pinned_network(rule: Rule, seed: int, count: int, share: float) -> Network:
    """A 6x7 network of ``count`` random memories, a random grid and random pins."""
    rng = np.random.default_rng(seed)
    network = Network(6, 7, rule)
    for k in range(count):
        network.imprint(random_spins(network.n, rng), f"m{k}")
    network.set_state(random_spins(network.n, rng))
    network.set_pins(rng.random(network.n) < share)
    return network


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(RULES),
    st.integers(0, 2**32 - 1),
    st.integers(1, 6),
    st.floats(0.0, 1.0),
    st.sampled_from(["async", "async-hot", "sync", "sync-hot", "descend"]),
)
def test_recall_never_turns_a_pinned_spin(rule, seed, count, share, how):
    network = pinned_network(rule, seed, count, share)
    start = network.state.copy()
    pinned = network.pinned.copy()
    rng = np.random.default_rng(seed)
    if rule.continuous:
        dynamics = Retrieval(network)
    elif how == "descend":
        descend(network, rng)
        dynamics = None
    elif how.startswith("sync"):
        dynamics = Synchronous(network, rng, 0.5 if how.endswith("hot") else 0.0)
    else:
        dynamics = Asynchronous(network, rng, 0.5 if how.endswith("hot") else 0.0)
    if dynamics is not None:
        for k, event in enumerate(dynamics.events()):
            if isinstance(event, Flip):
                assert not pinned[event.index]
            if k > 2000:
                break
    assert np.array_equal(network.state[pinned], start[pinned])
    assert np.array_equal(network.pinned, pinned)  # recall leaves the pins themselves alone
    if rule.continuous:
        assert np.array_equal(network.values[pinned], start[pinned].astype(np.float32))
    elif how in ("async", "descend"):
        # A clamped fixed point: every free spin is stable, pinned ones may not be.
        assert network.settled()
        assert not np.any(np.isin(network.unstable(), np.flatnonzero(pinned)))


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(RULES), st.integers(0, 2**32 - 1), st.floats(0.0, 1.0), st.integers(1, 5))
def test_batch_recall_keeps_the_pins(rule, seed, share, cues):
    network = pinned_network(rule, seed, 4, share)
    rng = np.random.default_rng(seed + 1)
    starts = np.stack([random_spins(network.n, rng) for _ in range(cues)])
    result = batch.recall(
        network.landscape, starts, continuous=rule.continuous, pinned=network.pinned
    )
    pinned = network.pinned
    assert np.array_equal(result.states[:, pinned], starts[:, pinned])
    if result.values is not None:
        assert np.array_equal(result.values[:, pinned], starts[:, pinned].astype(np.float32))


def test_no_pins_changes_nothing():
    network = pinned_network(Rule("hebbian"), 3, 3, 0.0)
    cues = np.stack([random_spins(network.n, np.random.default_rng(k)) for k in range(3)])
    free = batch.recall(network.landscape, cues)
    none = batch.recall(network.landscape, cues, pinned=np.zeros(network.n, dtype=bool))
    assert np.array_equal(free.states, none.states) and np.array_equal(free.steps, none.steps)
    # The same seed, the same visiting order: an unpinned network recalls as before.
    a, b = network.copy(), network.copy()
    b.set_pins(np.zeros(b.n, dtype=bool))
    a.pinned = np.zeros(a.n, dtype=bool)
    for net in (a, b):
        list(Asynchronous(net, np.random.default_rng(9)).events())
    assert np.array_equal(a.state, b.state)


def test_pinned_half_completes_the_picture():
    """Half of a memory pinned, the other half scrambled: recall brings the picture back."""
    rng = np.random.default_rng(5)
    network = Network(12, 12)
    memories = [random_spins(network.n, rng) for _ in range(3)]
    for k, pattern in enumerate(memories):
        network.imprint(pattern, f"m{k}")
    top = np.arange(network.n) < network.n // 2
    cue = np.where(top, memories[0], random_spins(network.n, rng)).astype(np.int8)
    network.set_state(cue)
    network.pin(np.flatnonzero(top))
    list(Asynchronous(network, rng).events())
    assert np.array_equal(network.state, memories[0])


def test_pin_edits_and_their_checks():
    network = Network(3, 4)
    assert list(network.pin([5, 1, 5])) == [1, 5]
    assert list(network.pin([1, 2])) == [2]
    assert network.pin_count == 3
    assert list(network.pin([1, 7], pinned=False)) == [1]
    assert network.copy().pin_count == 2
    with pytest.raises(ModelError):
        network.pin([12])
    with pytest.raises(ModelError):
        network.set_pins(np.zeros(12, dtype=np.int8))
    # The user may still paint a pinned magnet: it stays pinned with its new value.
    network.set_spin(2, 1)
    assert network.state[2] == 1 and network.pinned[2]


# -- the workspace, undo, the session file --------------------------------------


def pinned_workspace():
    from tui_hopfield.model.workspace import Workspace

    network = Network(6, 7)
    rng = np.random.default_rng(1)
    for k in range(2):
        network.imprint(random_spins(network.n, rng), f"m{k}")
    return Workspace(network, np.random.default_rng(2))


def test_workspace_pins_toggle_strokes_and_undo():
    workspace = pinned_workspace()
    network = workspace.network
    change = workspace.pin([3])
    assert list(change.changed) == [3] and network.pinned[3]
    assert "1 magnet pinned" in change.message and workspace.snapshot().pinned == 1
    workspace.pin([3])  # the toggle: it was pinned
    assert network.pin_count == 0
    for cells in ([1, 2], [8], [9, 10]):  # one brush stroke
        workspace.pin(cells, True, stroke=7)
    assert network.pin_count == 5
    workspace.undo()
    assert network.pin_count == 0  # the whole stroke at once
    workspace.redo()
    assert sorted(np.flatnonzero(network.pinned)) == [1, 2, 8, 9, 10]
    change = workspace.unpin_all()
    assert network.pin_count == 0 and "Unpinned 5 magnets" in change.message
    workspace.undo()
    assert network.pin_count == 5
    # A paint of a pinned magnet changes it and keeps it pinned.
    value = -int(network.state[1])
    workspace.paint([1], value)
    assert network.state[1] == value and network.pinned[1]


def test_pins_saved_with_the_session_and_a_tampered_file_refused(tmp_path):
    import io
    import zipfile

    from tui_hopfield.model.store import Session, SessionError, load, save

    workspace = pinned_workspace()
    network = workspace.network
    workspace.pin([0, 5, 41], True)
    path = save(workspace.session(), tmp_path / "pins.hopfield")
    opened = load(path)
    assert np.array_equal(opened.network().pinned, network.pinned)
    network.set_pins(np.zeros(network.n, dtype=bool))
    plain = save(Session.of(network), tmp_path / "plain.hopfield")
    with zipfile.ZipFile(plain) as archive:
        assert "pinned.npy" not in archive.namelist()  # no pins: the file is as before
    assert load(plain).pinned is None and load(plain).network().pin_count == 0

    def tampered(array: np.ndarray):
        target = tmp_path / "tampered.hopfield"
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
            for name in source.namelist():
                if name != "pinned.npy":
                    out.writestr(name, source.read(name))
            buffer = io.BytesIO()
            np.save(buffer, array, allow_pickle=False)
            out.writestr("pinned.npy", buffer.getvalue())
        return target

    for array, words in (
        (np.ones(41, dtype=np.uint8), "shape"),
        (np.ones(42, dtype=np.int8), "pinned must be"),
        (np.full(42, 2, dtype=np.uint8), r"0 \(free\) and 1"),
        (np.ones((6, 7), dtype=np.uint8), "shape"),
    ):
        with pytest.raises(SessionError, match=words):
            load(tampered(array))


def test_pins_decide_a_recall_that_would_end_spurious():
    """The smile's top half with the heart's bottom: free, a spurious state; the top
    pinned, the smile (the app's pilot test does this on the screen)."""
    from tui_hopfield.model.analysis import classify
    from tui_hopfield.model.patterns import library

    pictures = library(32, 32)[:6]
    cue = pictures[1].spins.copy()
    cue[:16] = pictures[0].spins[:16]
    verdicts = []
    for pinned in (False, True):
        network = Network(32, 32)
        for picture in pictures:
            network.imprint(picture.spins, picture.name)
        network.set_state(cue)
        if pinned:
            network.pin(np.arange(16 * 32))
        list(Asynchronous(network, np.random.default_rng(0)).events())
        verdicts.append(classify(network).label)
    assert verdicts == ["spurious", "recalled smile"]


@pytest.mark.parametrize("how", ["scramble", "flip", "wipe", "invert"])
def test_a_break_spares_the_pinned_magnets(how):
    """Pin half a picture, break it: the pinned half is the part of the cue trusted."""
    network = Network(8, 8)
    rng = np.random.default_rng(4)
    network.set_state(random_spins(network.n, rng))
    workspace = Workspace(network, np.random.default_rng(5))
    top = np.zeros((8, 8), dtype=bool)
    top[:, :4] = True  # the left half: every break reaches into it
    workspace.pin(np.flatnonzero(top))
    before = network.grid().copy()
    workspace.break_grid(how, 0.5)
    after = network.grid()
    assert np.array_equal(after[top], before[top])
    assert not np.array_equal(after[~top], before[~top])
