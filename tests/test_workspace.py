"""The workspace without Textual: every edit, what it says changed, the state, unsaved."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_hopfield.model import Kind, ModelError, Network, classify
from tui_hopfield.model.changes import NOTHING, SPEEDS, Change, Snapshot, clamp_temperature
from tui_hopfield.model.overload import overloaded, plan
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.store import Session
from tui_hopfield.model.workspace import Workspace


def make(rows: int = 16, cols: int = 16, seed: int = 1, **kwargs) -> Workspace:
    return Workspace(Network(rows, cols), np.random.default_rng(seed), **kwargs)


def apply_edit(workspace: Workspace, edit, *args) -> tuple[Change, np.ndarray]:
    """Run ``edit`` and return its change with the spins that really changed."""
    before = workspace.network.state.copy()
    change = edit(*args)
    return change, np.flatnonzero(before != workspace.network.state)


def assert_exact(change: Change, really: np.ndarray) -> None:
    """The change names exactly the spins that differ (None may cover any)."""
    if change.changed is not None:
        assert sorted(change.changed.tolist()) == really.tolist()


def test_grid_edits_return_exactly_the_spins_they_changed():
    workspace = make()
    change, really = apply_edit(workspace, workspace.clear)
    assert_exact(change, really)
    assert change.state == "empty"  # no memories: every state is empty
    for edit, args in [
        (workspace.randomize, ()),
        (workspace.clear, ()),
        (workspace.paint, ([0, 1, 2, 1], 1)),
        (workspace.paint, ([1, 2, 3], 1)),
        (workspace.paint, ([5], -1)),
        (workspace.break_grid, ("flip", 0.3)),
        (workspace.break_grid, ("invert",)),
        (workspace.break_grid, ("wipe",)),
        (workspace.break_grid, ("scramble",)),
    ]:
        change, really = apply_edit(workspace, edit, *args)
        assert change.changed is not None
        assert_exact(change, really)


def test_painting_reports_only_the_spins_that_flipped():
    workspace = make()
    workspace.clear()
    change = workspace.paint([3, 4, 5], 1)
    assert change.changed.tolist() == [3, 4, 5]
    change = workspace.paint([4, 5, 6], 1)
    assert change.changed.tolist() == [6]  # 4 and 5 were north already


def test_the_states_are_named_as_the_status_bar_says_them():
    workspace = make()
    assert workspace.state == "empty"
    picture = workspace.picture(0)
    name = workspace.pictures[0].name
    assert picture.state == f"recalled {name}" == workspace.snapshot().state
    assert picture.message == f"Imprinted {name}: memory 1."
    assert workspace.break_grid("scramble").state == "broken"
    assert workspace.paint([0], 1).state == "drawing"
    assert workspace.break_grid("invert").state == "broken"
    assert workspace.imprint_drawing().state  # named from the grid
    workspace.show(0)
    assert workspace.state == f"recalled {name}"
    workspace.break_grid("invert")
    assert workspace.name_state("drawing") == f"recalled inverse of {name}"
    workspace.randomize()
    assert workspace.name_state("drawing") in ("drawing", "spurious")
    assert workspace.forget_all().state == "empty" == workspace.state


def test_a_picture_stored_twice_is_named_not_imprinted_again():
    workspace = make()
    workspace.picture(1)
    change = workspace.picture(1)
    assert workspace.network.count == 1
    assert change.message == f"{workspace.pictures[1].name} is already a memory."


def test_a_busy_workspace_shows_the_picture_but_stores_nothing():
    workspace = make()
    change, really = apply_edit(workspace, workspace.picture, 2, False)
    assert workspace.network.count == 0 and change.message is None
    assert_exact(change, really)
    assert np.array_equal(workspace.network.grid(), workspace.pictures[2].spins)


def test_recall_ends_on_the_memory_and_says_so():
    workspace = make()
    workspace.picture(0)
    workspace.break_grid("flip", 0.1)
    start = workspace.start_recall()
    assert start.state == "recalling" and workspace.recalling
    dynamics = workspace.dynamics
    for _ in dynamics.events():
        pass
    end = workspace.finish_recall(dynamics)
    assert not workspace.recalling
    assert end.state == f"recalled {workspace.pictures[0].name}"
    assert "flip" in workspace.recall_summary(dynamics, 3)


def test_synchronous_recall_says_how_many_steps_it_took():
    workspace = make(mode="sync")
    workspace.picture(0)
    workspace.break_grid("flip", 0.1)
    workspace.start_recall()
    dynamics = workspace.dynamics
    for _ in dynamics.events():
        pass
    state = workspace.finish_recall(dynamics).state
    steps = dynamics.steps
    assert state == f"recalled {workspace.pictures[0].name} in {steps} step" + "s" * (steps != 1)


def test_recall_with_no_memories_says_what_to_do():
    workspace = make()
    change = workspace.start_recall()
    assert not workspace.recalling and "Imprint a picture first" in change.message


def test_any_grid_edit_stops_the_recall():
    workspace = make()
    workspace.picture(0)
    for edit, args in [
        (workspace.paint, ([0], 1)),
        (workspace.clear, ()),
        (workspace.randomize, ()),
        (workspace.break_grid, ("scramble",)),
        (workspace.show, (0,)),
        (workspace.forget_all, ()),
    ]:
        workspace.picture(0)
        workspace.start_recall()
        edit(*args)
        assert not workspace.recalling, edit


def test_learning_from_use_strengthens_the_recalled_memory():
    workspace = make()
    workspace.picture(0)
    workspace.set_plasticity(1.0, 0.5)
    change = workspace.learn_from_use()
    assert workspace.network.strengths[0] == 1.5
    assert change.message == f"{workspace.pictures[0].name} was used: strength 1.5."


def test_memory_menu_edits():
    workspace = make()
    workspace.picture(0)
    workspace.picture(1)
    first = workspace.network.names[0]
    assert (
        workspace.holds(0, first)
        and not workspace.holds(0, "nobody")
        and not workspace.holds(5, first)
    )
    assert workspace.reinforce(0, 2).message == f"Reinforced {first} 2\u00d7: strength 3."
    assert workspace.rename(0, "mine").message == f"Renamed {first} to mine."
    change, really = apply_edit(workspace, workspace.show, 0)
    assert_exact(change, really)
    assert change.message == "Showing mine." and change.state == "recalled mine"
    assert workspace.forget(0).message == "Forgot mine."
    assert workspace.network.count == 1
    bad = workspace.reinforce(0, -100)
    assert bad.severity == "error" and bad.title == "Not done"


def test_every_kind_of_edit_counts_as_unsaved_until_saved():
    workspace = make()
    workspace.picture(0)
    assert workspace.unsaved
    edits = [
        lambda: workspace.picture(1),
        lambda: workspace.reinforce(0, 1),
        lambda: workspace.rename(0, "renamed"),
        lambda: workspace.forget(workspace.network.count - 1),
        lambda: workspace.set_temperature(0.5),
        lambda: workspace.set_mode("sync" if workspace.mode == "async" else "async"),
        lambda: workspace.set_plasticity(0.9, 0.0),
        lambda: workspace.set_plasticity(0.9, 0.25),
        lambda: workspace.set_rule(Rule("storkey")),
        lambda: workspace.imprint_drawing() if workspace.randomize() else None,
    ]
    for edit in edits:
        workspace.mark_saved()
        assert not workspace.unsaved
        edit()
        assert workspace.unsaved, edit


def test_grid_edits_and_the_speed_are_not_unsaved_changes():
    workspace = make()
    workspace.picture(0)
    workspace.mark_saved()
    workspace.paint([0, 1], 1)
    workspace.break_grid("scramble")
    workspace.set_speed(0)
    assert not workspace.unsaved


def test_a_save_point_taken_before_a_change_leaves_it_unsaved():
    workspace = make()
    workspace.picture(0)
    point = workspace.save_point()
    workspace.set_mode("sync")  # changed while the save was written
    workspace.mark_saved(point)
    assert workspace.unsaved
    workspace.set_mode("async")
    assert not workspace.unsaved


def test_an_opened_session_counts_as_saved_with_its_settings():
    workspace = make()
    workspace.picture(0)
    session = Session.of(workspace.network, 0.4, "sync")
    network = session.network()
    change = workspace.open(session, network, None)
    assert change.changed is None  # another network: every spin is new
    assert workspace.network is network and not workspace.unsaved
    assert (workspace.mode, workspace.temperature) == ("sync", 0.4)
    workspace.mark_unsaved()
    assert workspace.unsaved


def test_settings_are_kept_in_range():
    workspace = make()
    workspace.set_temperature(9)
    assert workspace.temperature == 2.0
    workspace.set_temperature(0.333)
    assert workspace.temperature == 0.35 == clamp_temperature(0.35)
    workspace.set_speed(99)
    assert workspace.speed == SPEEDS[-1]
    workspace.set_speed(-3)
    assert workspace.speed_index == 0
    with pytest.raises(ModelError):
        workspace.set_mode("sideways")


def test_the_temperature_reaches_a_running_recall():
    workspace = make()
    workspace.picture(0)
    workspace.start_recall()
    workspace.set_temperature(0.5)
    assert workspace.dynamics.temperature == 0.5


def test_the_snapshot_follows_the_workspace():
    workspace = make(temperature=0.25, mode="sync")
    workspace.picture(0)
    shown = workspace.snapshot()
    assert isinstance(shown, Snapshot)
    network = workspace.network
    assert shown.memories == 1 and shown.energy == network.energy()
    assert (shown.temperature, shown.mode, shown.rule) == (0.25, "sync", "hebbian")
    assert shown.load == network.load and not shown.over_capacity
    workspace.job = "saving 10%"
    assert workspace.snapshot().job == "saving 10%"
    assert workspace.learning_label() == "hebbian \u00b7 sync" == shown.learning
    workspace.set_plasticity(0.9, 0.5)
    assert workspace.snapshot().learning == "hebbian \u00b7 sync \u00b7 decay 0.9 \u00b7 use +0.5"
    workspace.set_rule(Rule("modern", beta=40.0))
    assert workspace.snapshot().learning.startswith("modern \u03b2=40 \u00b7 decay")  # no mode


def test_replacing_the_network_with_another_size_gives_its_pictures():
    workspace = make(16, 16)
    change = workspace.replace(Network(8, 12))
    assert change.changed is None
    assert workspace.pictures[0].spins.shape == (8, 12)


def test_an_overload_is_planned_built_and_named():
    workspace = make()
    added, refusal = plan(workspace.network, 0.05, workspace.state)
    assert refusal is None and added == round(0.05 * 256)
    built = overloaded(workspace.network, workspace.network.state, added, 7, lambda: False)
    assert built is not None
    copy, verdict = built
    assert copy.count == added and workspace.network.count == 0
    assert verdict == classify(copy)
    assert overloaded(workspace.network, workspace.network.state, added, 7, lambda: True) is None
    workspace.replace(copy, verdict)
    _, refusal = plan(workspace.network, 0.01, workspace.state)
    assert refusal is not None and "already" in refusal.message
    _, refusal = plan(workspace.network, 10**9, workspace.state)
    assert refusal is not None and refusal.severity == "error"


def test_nothing_cannot_be_changed_by_accident():
    with pytest.raises(ValueError):
        NOTHING.resize(3)
    assert not NOTHING.flags.writeable


EDITS = st.one_of(
    st.tuples(st.just("picture"), st.integers(0, 9)),
    st.tuples(st.just("paint"), st.lists(st.integers(0, 63), max_size=6), st.sampled_from([-1, 1])),
    st.tuples(st.just("break"), st.sampled_from(["scramble", "flip", "wipe", "invert"])),
    st.tuples(st.just("clear")),
    st.tuples(st.just("randomize")),
    st.tuples(st.just("drawing")),
    st.tuples(st.just("reinforce"), st.integers(0, 5), st.floats(0.5, 3)),
    st.tuples(st.just("rename"), st.integers(0, 5), st.sampled_from(["a", "b", "smile", ""])),
    st.tuples(st.just("forget"), st.integers(0, 5)),
    st.tuples(st.just("forget all")),
    st.tuples(st.just("temperature"), st.floats(0, 2)),
    st.tuples(st.just("mode"), st.sampled_from(["async", "sync"])),
    st.tuples(st.just("decay"), st.sampled_from([1.0, 0.9, 0.5])),
    st.tuples(st.just("save")),
)


def run(workspace: Workspace, edit: tuple) -> Change | None:
    kind, *args = edit
    count = workspace.network.count
    if kind in ("reinforce", "rename", "forget") and args[0] >= count:
        return None
    return {
        "picture": lambda: workspace.picture(args[0] % len(workspace.pictures)),
        "paint": lambda: workspace.paint(*args),
        "break": lambda: workspace.break_grid(args[0]),
        "clear": workspace.clear,
        "randomize": workspace.randomize,
        "drawing": workspace.imprint_drawing,
        "reinforce": lambda: workspace.reinforce(*args),
        "rename": lambda: workspace.rename(*args),
        "forget": lambda: workspace.forget(args[0]),
        "forget all": workspace.forget_all,
        "temperature": lambda: workspace.set_temperature(args[0]),
        "mode": lambda: workspace.set_mode(args[0]),
        "decay": lambda: workspace.set_plasticity(args[0], workspace.network.use_boost),
        "save": lambda: workspace.mark_saved() or Change(),
    }[kind]()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDITS, max_size=25), st.integers(0, 2**16))
def test_any_sequence_of_edits_keeps_the_workspace_consistent(edits, seed):
    workspace = make(8, 8, seed)
    saved_at = None
    for edit in edits:
        before = workspace.network.state.copy()
        change = run(workspace, edit)
        if change is None:
            continue
        network = workspace.network
        really = np.flatnonzero(before != network.state)
        assert_exact(change, really)
        assert len(set(network.names)) == network.count  # names stay unique
        assert network.patterns.shape[0] == network.strengths.shape[0] == network.count
        shown = workspace.snapshot()
        assert shown.memories == network.count and shown.state == workspace.state
        if not network.count:
            assert workspace.state == "empty"
        if edit[0] == "save":
            assert not workspace.unsaved
            saved_at = workspace.save_point()
        elif network.count and saved_at is not None:
            # Unsaved exactly when memories or settings differ from the save's (a setting
            # changed and changed back is saved again).
            assert workspace.unsaved == (saved_at != workspace.save_point())
        if workspace.state.startswith("recalled inverse of "):
            assert classify(network).kind is Kind.INVERSE
        elif workspace.state.startswith("recalled "):
            assert classify(network).kind is Kind.RECALLED


@settings(max_examples=30, deadline=None)
@given(st.lists(EDITS, min_size=1, max_size=15), st.integers(0, 2**16))
def test_after_a_save_only_a_change_of_memories_or_settings_makes_it_unsaved(edits, seed):
    workspace = make(8, 8, seed)
    workspace.picture(0)
    workspace.mark_saved()
    point = workspace.save_point()
    for edit in edits:
        if edit[0] == "save":
            continue
        run(workspace, edit)
    changed = workspace.save_point() != point
    assert workspace.unsaved == (changed and workspace.network.count > 0)
