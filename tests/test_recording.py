"""Recordings of recalls: replayed forwards and backwards, exact at every position."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_hopfield.model import Network
from tui_hopfield.model import recording as recording_module
from tui_hopfield.model.patterns import random_patterns
from tui_hopfield.model.recording import (
    Cursor,
    Recording,
    apply_backward,
    apply_forward,
    decode,
    encode,
)
from tui_hopfield.model.workspace import Workspace


def recalled(
    rows: int, cols: int, seed: int, mode: str = "async", count: int = 3, temperature=0.0
) -> tuple[Workspace, Recording]:
    """A workspace that recalled a broken memory, and its recording."""
    rng = np.random.default_rng(seed)
    network = Network(rows, cols)
    network.imprint_many(random_patterns(count, rows * cols, rng), [f"m{k}" for k in range(count)])
    workspace = Workspace(network, rng, mode=mode, temperature=temperature)
    workspace.network.set_state(network.patterns[0])
    workspace.break_grid("scramble")
    workspace.start_recall()
    dynamics = workspace.dynamics
    for step, _ in enumerate(workspace.recall_events(dynamics)):
        if temperature and step > 3 * rows * cols:
            break
    if temperature:
        workspace.stop_recall()
    else:
        workspace.finish_recall(dynamics)
    return workspace, workspace.recordings[-1]


def dense_energy(network: Network, spins: np.ndarray) -> float:
    """E = -s W s / 2 with Hebb's W = sum xi xi^T / N, zero diagonal, built in full."""
    xi = network.patterns.astype(np.float64)
    w = (xi.T * network.strengths) @ xi / network.n
    np.fill_diagonal(w, 0.0)
    s = spins.astype(np.float64)
    return float(-0.5 * s @ w @ s)


def test_codes_carry_index_and_value():
    indices = np.array([0, 5, 7, 0])
    values = np.array([1, -1, 1, -1])
    got_indices, got_values = decode(encode(indices, values))
    assert got_indices.tolist() == indices.tolist() and got_values.tolist() == values.tolist()


def test_forward_and_backward_take_the_last_and_the_first_flip_of_a_spin():
    state = np.array([1, 1, -1], dtype=np.int8)
    codes = encode(np.array([0, 2, 0]), np.array([-1, 1, 1]))
    after = state.copy()
    apply_forward(after, codes)
    assert after.tolist() == [1, 1, 1]
    apply_backward(after, codes)
    assert after.tolist() == state.tolist()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    side=st.sampled_from([(4, 4), (5, 9), (12, 12), (20, 17)]),
    seed=st.integers(0, 10_000),
    mode=st.sampled_from(["async", "sync"]),
)
def test_replayed_forwards_it_ends_in_the_final_grid_and_backwards_in_the_start(side, seed, mode):
    workspace, recording = recalled(*side, seed, mode)
    final = workspace.network.state.copy()
    assert recording.closed and len(recording) > 0
    assert recording.unit == ("flip" if mode == "async" else "step")
    cursor = Cursor(recording)
    assert np.array_equal(cursor.state, recording.start)
    while cursor.position < len(recording):
        cursor.forward()
    assert np.array_equal(cursor.state, final)
    while cursor.position > 0:
        cursor.back()
    assert np.array_equal(cursor.state, recording.start)
    assert np.array_equal(recording.grid_at(len(recording)), final)
    assert np.array_equal(recording.grid_at(0), recording.start)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    side=st.sampled_from([(4, 4), (6, 7), (9, 9)]),
    seed=st.integers(0, 10_000),
    mode=st.sampled_from(["async", "sync"]),
    temperature=st.sampled_from([0.0, 0.6]),
)
def test_energy_and_overlaps_at_every_position_match_a_dense_computation(
    side, seed, mode, temperature
):
    workspace, recording = recalled(*side, seed, mode, temperature=temperature)
    network = workspace.network
    xi = network.patterns.astype(np.float64)
    cursor = Cursor(recording)
    for position in range(len(recording) + 1):
        if position:
            cursor.forward()
        spins = cursor.state
        assert recording.energy_at(position) == pytest.approx(
            dense_energy(network, spins), abs=1e-9
        )
        assert np.allclose(cursor.overlaps, xi @ spins / network.n, atol=1e-12)
        assert np.array_equal(recording.grid_at(position), spins)


def test_a_large_recall_seeks_exactly_from_the_checkpoints_and_is_small(monkeypatch):
    monkeypatch.setattr(recording_module, "CHECKPOINT_FLIPS", 256)
    _, recording = recalled(128, 128, 3, count=8)
    flips = recording.flips
    assert flips > 8 * 256 and len(recording._checkpoints) > 8  # several kept grids
    cursor = Cursor(recording)
    rng = np.random.default_rng(0)
    positions = sorted(rng.integers(0, len(recording) + 1, 12).tolist())
    for position in positions:
        while cursor.position < position:
            cursor.forward()
        assert np.array_equal(recording.grid_at(position), cursor.state)
    kept = len(recording._checkpoints) + 1
    # 4 bytes of code and 8 of energy a flip (room to grow by doubling), the kept grids
    # and memories at a bit a spin, the start at a byte
    assert recording.nbytes <= 2 * 12 * flips + 24 * 1024 + (kept + 8) * 2048 + 16384


def test_a_workspace_keeps_the_last_five_recordings():
    workspace, first = recalled(8, 8, 1)
    for _ in range(6):
        workspace.break_grid("scramble")
        workspace.start_recall()
        for _ in workspace.recall_events(workspace.dynamics):
            pass
        workspace.finish_recall(workspace.dynamics)
    assert len(workspace.recordings) == 5 and first not in workspace.recordings


def test_replay_moves_the_grid_and_an_edit_from_a_past_point_branches():
    workspace, recording = recalled(12, 12, 5)
    final = workspace.network.state.copy()
    change = workspace.replay_move(-1)
    assert workspace.replay is not None and workspace.replay.position == len(recording) - 1
    assert np.array_equal(workspace.network.state, recording.grid_at(len(recording) - 1))
    assert len(change.changed) == 1 and change.state.startswith("replay ")
    assert workspace.energy() == pytest.approx(recording.energy_at(len(recording) - 1))
    workspace.replay_move(marks=-100)  # back to the start
    assert np.array_equal(workspace.network.state, recording.start)
    workspace.replay_move(marks=1)
    assert workspace.replay.position == recording.marks()[1]
    workspace.replay_move(10**9)
    assert np.array_equal(workspace.network.state, final)
    workspace.replay_move(-3)
    change = workspace.paint([0], -int(workspace.network.state[0]))
    assert change.message is not None and change.message.startswith("New branch from flip")
    assert workspace.replay is None and len(workspace.recordings) == 1
    assert workspace.recordings[0] is recording  # the recorded recall stays as it was
    assert np.array_equal(recording.grid_at(len(recording)), final)


def test_replay_refuses_when_the_memories_changed():
    workspace, _ = recalled(8, 8, 2)
    workspace.reinforce(0, 1.0)
    change = workspace.replay_move(-1)
    assert workspace.replay is None and "changed" in change.message
