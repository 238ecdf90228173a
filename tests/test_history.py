"""The laws of undo and redo (hypothesis): undo restores exactly, redo is its inverse, bounded."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tui_hopfield.model import Network
from tui_hopfield.model.history import (
    HISTORY_BYTES,
    HISTORY_STEPS,
    GridMemento,
    History,
    MemoriesMemento,
    Step,
)
from tui_hopfield.model.patterns import random_patterns
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.workspace import Workspace

RULES = [Rule("hebbian"), Rule("storkey"), Rule("pseudo-inverse"), Rule("dense", 3)]


def picture(ws: Workspace) -> tuple:
    """Everything undo must bring back: the grid, the memories, the learning, the landscape."""
    network = ws.network
    landscape = network.landscape
    weights = getattr(landscape, "weights", None)
    return (
        network.state.copy(),
        None if network.values is None else network.values.copy(),
        network.patterns.copy(),
        network.strengths.copy(),
        network.names,
        network.rule,
        ws.mode,
        network.decay,
        network.use_boost,
        network.energy(),
        network.fields(),
        None if weights is None else weights.copy(),
        ws.state,
    )


DERIVED = (9, 10)
"""The energy and the fields in a picture: computed from the rest, in the rule's float32
(Storkey) either incrementally or afresh, so equal to float32 rounding, not bit for bit."""


def same(a: tuple, b: tuple) -> bool:
    """Whether two pictures are equal: arrays exactly, the energy and fields to rounding."""
    for k, (x, y) in enumerate(zip(a, b, strict=True)):
        if k in DERIVED:
            if not np.allclose(x, y, rtol=1e-5, atol=1e-6):
                return False
        elif isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if x is None or y is None or not np.array_equal(x, y):
                return False
        elif x != y:
            return False
    return True


def overload(ws: Workspace, added: int, seed: int) -> None:
    """What the overload's worker and its landing do: a copy with random memories, swapped in."""
    old = ws.network
    copy = old.copy()
    rng = np.random.default_rng(seed)
    copy.imprint_many(random_patterns(added, old.n, rng), copy.unique_names("random", added))
    ws.replace(copy, grew_from=old)


def relearn(ws: Workspace, rule: Rule) -> None:
    """What the rule's worker and its landing do: a copy re-learned, swapped in, recorded."""
    before = ws.learning_point()
    copy = ws.network.copy()
    copy.rule = rule
    copy.prepare()
    ws.replace(copy, kept=True)
    ws.record_learning(before)


def recall(ws: Workspace) -> None:
    """A recall to its end, then learning from use."""
    ws.start_recall()
    dynamics = ws.dynamics
    if dynamics is None:
        return
    for _ in zip(range(2000), dynamics.events(), strict=False):
        pass
    ws.finish_recall(dynamics)
    ws.learn_from_use()


spots = st.lists(st.integers(0, 35), max_size=5)
operations = st.one_of(
    st.tuples(st.just("paint"), spots, st.sampled_from([1, -1])),
    st.tuples(st.just("stroke"), spots, st.sampled_from([1, -1])),
    st.tuples(st.just("clear")),
    st.tuples(st.just("random")),
    st.tuples(st.just("break"), st.sampled_from(["scramble", "flip", "wipe", "invert"])),
    st.tuples(st.just("picture"), st.integers(0, 9)),
    st.tuples(st.just("drawing")),
    st.tuples(st.just("forget"), st.integers(0, 8)),
    st.tuples(st.just("forget all")),
    st.tuples(st.just("reinforce"), st.integers(0, 8), st.sampled_from([0.5, 1.0, 2.0])),
    st.tuples(st.just("rename"), st.integers(0, 8)),
    st.tuples(st.just("show"), st.integers(0, 8)),
    st.tuples(st.just("mode")),
    st.tuples(st.just("plasticity"), st.sampled_from([1.0, 0.9]), st.sampled_from([0.0, 0.5])),
    st.tuples(st.just("rule"), st.integers(0, len(RULES) - 1)),
    st.tuples(st.just("relearn"), st.integers(0, len(RULES) - 1)),
    st.tuples(st.just("recall")),
    st.tuples(st.just("overload"), st.integers(1, 4), st.integers(0, 99)),
)


def run(ws: Workspace, operation: tuple, stroke: int) -> None:
    """Make one operation on the workspace."""
    kind, *args = operation
    count = ws.network.count
    if kind == "paint":
        ws.paint(args[0], args[1], stroke=None)
    elif kind == "stroke":
        ws.paint(args[0], args[1], stroke=stroke)
    elif kind == "clear":
        ws.clear()
    elif kind == "random":
        ws.randomize()
    elif kind == "break":
        ws.break_grid(args[0], 0.3)
    elif kind == "picture":
        ws.picture(args[0] % len(ws.pictures))
    elif kind == "drawing":
        ws.imprint_drawing()
    elif kind == "forget" and count:
        ws.forget(args[0] % count)
    elif kind == "forget all":
        ws.forget_all()
    elif kind == "reinforce" and count:
        ws.reinforce(args[0] % count, args[1])
    elif kind == "rename" and count:
        ws.rename(args[0] % count, f"renamed {args[0]}")
    elif kind == "show" and count:
        ws.show(args[0] % count)
    elif kind == "mode":
        ws.set_mode("sync" if ws.mode == "async" else "async")
    elif kind == "plasticity":
        ws.set_plasticity(args[0], args[1])
    elif kind == "rule":
        ws.set_rule(RULES[args[0]])
    elif kind == "relearn":
        relearn(ws, RULES[args[0]])
    elif kind == "recall":
        recall(ws)
    elif kind == "overload":
        overload(ws, args[0], args[1])


@settings(max_examples=60, deadline=None)
@example(  # Storkey's energy after a redo: computed afresh, equal to float32 rounding
    ops=[("rule", 1), ("overload", 1, 0), ("paint", [0], 1)], seed=0, in_worker=[False] * 14
)
@example(  # a recall that named the state, then a new rule that named it again
    ops=[("mode",), ("picture", 0), ("recall",), ("relearn", 1)], seed=0, in_worker=[False] * 14
)
@given(
    st.lists(operations, min_size=1, max_size=14),
    st.integers(0, 2**32 - 1),
    st.lists(st.booleans(), min_size=14, max_size=14),
)
def test_undo_restores_every_state_and_redo_is_its_inverse(ops, seed, in_worker):
    ws = Workspace(Network(6, 6), np.random.default_rng(seed))
    states = [picture(ws)]
    stroke = 0
    last_kind = None
    for operation in ops:
        if operation[0] == "stroke" and last_kind != "stroke":
            stroke += 1  # a new stroke; strokes in a row join
        before = len(ws.history.undo_steps)
        run(ws, operation, stroke)
        ws.peek()  # a recall's change is kept as a step at the next edit: now
        after = len(ws.history.undo_steps)
        now = picture(ws)
        if after == before + 1:
            states.append(now)
        elif after == before + 2:  # a recall's step, then the edit's
            pytest.fail("one operation made two steps")
        else:
            assert after == before
            if operation[0] == "stroke" and last_kind == "stroke":
                states[-1] = now  # the stroke went on: the same step
            else:
                # Nothing changed but perhaps the state's name (``clear`` on a clear grid).
                assert same(now[:-1], states[-1][:-1]), f"{operation} changed it unrecorded"
                states[-1] = now
        last_kind = operation[0]
    # Undo all the way back, each time to exactly the state before the step.
    for k in range(len(states) - 1, 0, -1):
        if in_worker[k % len(in_worker)]:
            copy = ws.network.copy()
            ws.preview(copy)
            copy.prepare()
            change = ws.undo(learned=copy)
        else:
            change = ws.undo()
        assert change.message.startswith("Undid: ")
        assert same(picture(ws), states[k - 1]), f"undo {k} ({change.message})"
    assert ws.undo().message == "Nothing to undo."
    # Redo all the way forward: undo then redo is the identity.
    for k in range(1, len(states)):
        change = ws.redo()
        assert change.message.startswith("Redid: ")
        assert same(picture(ws), states[k]), f"redo {k} ({change.message})"
    assert ws.redo().message == "Nothing to redo."


@settings(max_examples=30, deadline=None)
@given(st.lists(operations, min_size=1, max_size=10), st.integers(0, 2**32 - 1))
def test_a_new_edit_after_undo_drops_the_redo_branch(ops, seed):
    ws = Workspace(Network(6, 6), np.random.default_rng(seed))
    ws.picture(0)
    for operation in ops:
        run(ws, operation, 0)
    ws.undo()
    assert ws.history.redo_steps
    ws.paint([0], -int(ws.network.state[0]))
    assert not ws.history.redo_steps
    assert ws.redo().message == "Nothing to redo."


def test_undo_after_a_recall_restores_the_grid_before_it():
    ws = Workspace(Network(16, 16), np.random.default_rng(3))
    ws.picture(0)
    ws.break_grid("flip", 0.3)
    broken = ws.network.state.copy()
    recall(ws)
    assert not np.array_equal(ws.network.state, broken)
    assert ws.undo().message == "Undid: recall."
    assert np.array_equal(ws.network.state, broken)
    assert ws.undo().message == "Undid: break: flip 30%."
    assert np.array_equal(ws.network.state, ws.pictures[0].spins.reshape(-1))


def test_learning_from_use_is_undone_with_its_recall():
    ws = Workspace(Network(16, 16), np.random.default_rng(4))
    ws.picture(0)
    ws.set_plasticity(1.0, 0.5)
    ws.break_grid("flip", 0.1)
    recall(ws)
    assert ws.network.strengths[0] == 1.5
    ws.undo()
    assert ws.network.strengths[0] == 1.0


def test_a_brush_stroke_is_one_step():
    ws = Workspace(Network(8, 8), np.random.default_rng(5))
    for k in range(10):
        ws.paint([k], 1, stroke=7)
    ws.paint([20], 1, stroke=8)
    assert [step.label for step in ws.history.undo_steps] == ["brush stroke", "brush stroke"]
    ws.undo()
    ws.undo()
    assert (ws.network.state == -1).all()


def grid_step(n: int) -> Step:
    network = Network(1, n)
    return Step("grid", [GridMemento.of(network)])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(1, 4000), min_size=1, max_size=60),
    st.integers(2000, 40_000),
    st.integers(1, 30),
)
def test_the_history_stays_within_its_bytes_and_steps(sizes, max_bytes, max_steps):
    history = History(max_bytes=max_bytes, max_steps=max_steps)
    for size in sizes:
        step = grid_step(8 * size)
        kept = history.push(step)
        assert kept == (step.nbytes <= max_bytes)
        assert history.nbytes <= max_bytes
        assert len(history.undo_steps) <= max_steps
        if kept:
            assert history.undo_steps[-1] is step  # the newest is never the one dropped
        else:
            assert not history.undo_steps


def test_the_default_bound_at_256x256_holds_and_drops_the_oldest():
    ws = Workspace(Network(256, 256), np.random.default_rng(6))
    for k in range(HISTORY_STEPS + 50):
        ws.paint([k], 1, stroke=k)
    history = ws.history
    assert len(history.undo_steps) == HISTORY_STEPS
    assert history.nbytes <= HISTORY_BYTES
    # One grid step at 256x256 is its spins as bits: about 8 KiB.
    assert history.undo_steps[0].nbytes < 9000
    assert ws.network.state[49] == 1 and ws.network.state[50] == 1
    while ws.history.undo_steps:
        ws.undo()
    assert (ws.network.state[:50] == 1).all()  # the 50 oldest strokes cannot be undone
    assert (ws.network.state[50:] == -1).all()


def test_forgetting_more_than_the_history_holds_says_it_cannot_be_undone():
    ws = Workspace(Network(32, 32), np.random.default_rng(7))
    ws.history.max_bytes = 4 * 1024
    ws.picture(0)
    ws.network.imprint_many(random_patterns(8, 1024, ws.rng), ws.network.unique_names("r", 8))
    change = ws.forget_all()
    assert "cannot be undone" in change.message
    assert ws.undo().message == "Nothing to undo."


def test_a_memories_memento_of_an_imprint_holds_no_pattern():
    network = Network(64, 64)
    network.imprint(np.ones(network.n, dtype=np.int8), "up")
    memento = MemoriesMemento.of(network, ("truncate", network.count))
    assert memento.nbytes < 1000  # the names and strengths only, not N spins


def test_undoing_an_overload_too_large_to_redo_copies_nothing_and_says_so():
    ws = Workspace(Network(32, 32), np.random.default_rng(8))
    ws.history.max_bytes = 64 * 1024  # the 100 random memories take 100 KiB
    ws.picture(0)
    overload(ws, 100, 1)
    assert ws.network.count == 101
    change = ws.undo()
    assert change.message == (
        "Undid: overload 100 random memories."
        " It cannot be redone: more than the undo history holds."
    )
    assert ws.network.count == 1
    assert not ws.history.redo_steps
    assert ws.history.nbytes <= ws.history.max_bytes
    assert ws.undo().message == "Undid: imprint smile."


def test_patterns_cut_off_past_the_limit_are_not_copied():
    network = Network(8, 8)
    rng = np.random.default_rng(9)
    network.imprint_many(random_patterns(10, 64, rng), network.unique_names("r", 10))
    names, strengths = network.names[:2], network.strengths[:2].copy()
    assert network.restore_memories(("truncate", 2), names, strengths, limit=64) == ("lost",)
    assert network.count == 2
    assert MemoriesMemento(("lost",), names, strengths).nbytes > HISTORY_BYTES
