"""Recordings of recalls: replayed forwards and backwards, exact at every position."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tui_hopfield.model import Flip, Network
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
from tui_hopfield.model.replay_export import (
    ExportError,
    sampled_positions,
    write_csv,
    write_gif,
    write_json,
)
from tui_hopfield.model.rules import Rule
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
    assert np.array_equal(
        recording.energies(), [recording.energy_at(p) for p in range(len(recording) + 1)]
    )


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
    # 4 bytes of code and 8 of energy a flip (trimmed when closed), the kept grids
    # and memories at a bit a spin, the start at a byte
    assert recording.nbytes <= 12 * flips + (kept + 8) * 2048 + 16384


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


# -- export ------------------------------------------------------------------


def cell_colours(image: Image.Image, rows: int, cols: int, cell: int) -> np.ndarray:
    """The colour at the centre of each cell of a GIF frame, (rows, cols, 3)."""
    rgb = np.asarray(image.convert("RGB"))
    centres = np.arange(rows) * cell + cell // 2, np.arange(cols) * cell + cell // 2
    return rgb[np.ix_(*centres)]


def expected_colours(spins: np.ndarray, rows: int, cols: int, north, south) -> np.ndarray:
    grid = spins.reshape(rows, cols)[..., None] > 0
    return np.where(grid, np.array(north), np.array(south))


@pytest.mark.parametrize("mode", ["async", "sync"])
def test_a_gif_has_a_frame_per_sampled_position_and_shows_the_start_and_the_end(tmp_path, mode):
    workspace, recording = recalled(10, 14, 7, mode)
    north, south = (250, 200, 0), (0, 60, 30)
    path = write_gif(
        recording, tmp_path / "recall.gif", cell=5, max_frames=9, north=north, south=south
    )
    with Image.open(path) as image:
        count = image.n_frames
        assert count == len(sampled_positions(len(recording), 9)) == min(9, len(recording) + 1)
        assert image.size[0] == 14 * 5 and image.size[1] > 10 * 5  # a caption line below
        first = cell_colours(image, 10, 14, 5)
        image.seek(count - 1)
        last = cell_colours(image, 10, 14, 5)
    assert np.array_equal(first, expected_colours(recording.start, 10, 14, north, south))
    final = workspace.network.state
    assert np.array_equal(last, expected_colours(final, 10, 14, north, south))


def test_a_long_recall_is_sampled_down_to_the_frame_cap():
    positions = sampled_positions(10_000, 50)
    assert len(positions) == 50 and positions[0] == 0 and positions[-1] == 10_000
    assert sampled_positions(3, 50) == [0, 1, 2, 3]


def test_the_path_as_csv_and_json_matches_the_recording(tmp_path):
    workspace, recording = recalled(9, 9, 11, "sync")
    network = workspace.network
    xi = network.patterns.astype(np.float64)
    csv_path = write_csv(recording, tmp_path / "path.csv")
    json_path = write_json(recording, tmp_path / "path.json")
    with open(csv_path, newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    document = json.loads(json_path.read_text())
    assert rows[0][:4] == ["flip", "spin", "value", "energy"]
    assert rows[0][4:] == [f"overlap {name}" for name in network.names]
    assert len(rows) == 2 + recording.flips == 2 + len(document["flips"])
    spins = recording.start.copy()
    for row, entry in zip(rows[2:], document["flips"], strict=True):
        index, value = int(row[1]), int(row[2])
        assert (index, value) == (entry["spin"], entry["value"])
        assert spins[index] == -value
        spins[index] = value
        assert np.allclose([float(x) for x in row[4:]], xi @ spins / network.n)
        assert np.allclose(entry["overlaps"], xi @ spins / network.n)
        assert float(row[3]) == entry["energy"]
    assert np.array_equal(spins, network.state)
    assert float(rows[-1][3]) == pytest.approx(dense_energy(network, network.state), abs=1e-9)
    assert document["rows"] == 9 and document["unit"] == "step"


def test_bad_export_paths_are_refused_with_a_message(tmp_path):
    _, recording = recalled(6, 6, 1)
    with pytest.raises(ExportError, match=r"\.gif"):
        write_gif(recording, tmp_path / "recall.png")
    with pytest.raises(ExportError, match="no such folder"):
        write_gif(recording, tmp_path / "missing" / "recall.gif")
    (tmp_path / "taken.csv").mkdir()
    with pytest.raises(ExportError, match="folder"):
        write_csv(recording, tmp_path / "taken.csv")
    with pytest.raises(ExportError, match="frame rate"):
        write_gif(recording, tmp_path / "recall.gif", fps=0)
    assert list(tmp_path.iterdir()) == [tmp_path / "taken.csv"]


def test_a_hot_recall_past_the_cap_stops_being_recorded_there_and_stays_exact(monkeypatch):
    monkeypatch.setattr(recording_module, "MAX_FLIPS", 50)
    rng = np.random.default_rng(4)
    network = Network(8, 8)
    network.imprint_many(random_patterns(2, 64, rng), ["a", "b"])
    workspace = Workspace(network, rng, temperature=1.5)
    workspace.start_recall()
    states = []
    for step, event in enumerate(workspace.recall_events(workspace.dynamics)):
        if isinstance(event, Flip):
            states.append(workspace.network.state.copy())
        if step > 2000:
            break
    recording = workspace.recordings[-1]
    assert recording.truncated and recording.closed and recording.flips == 50
    workspace.stop_recall()  # the grid moved on: the recording keeps its own end
    cursor = Cursor(recording)
    while cursor.position < len(recording):
        cursor.forward()
    assert np.array_equal(cursor.state, recording.grid_at(50))
    assert len(states) > 50 and np.array_equal(states[49], cursor.state)


def test_another_network_drops_the_recordings_and_says_nothing_of_a_branch():
    workspace, _ = recalled(8, 8, 3)
    workspace.replay_move(-1)
    workspace.replace(Network(8, 8))
    assert not workspace.recordings and workspace.replay is None
    assert workspace.clear().message is None


def test_the_modern_networks_retrieval_is_recorded_step_by_step():
    rng = np.random.default_rng(8)
    network = Network(10, 10, Rule("modern"))
    network.imprint_many(random_patterns(3, 100, rng), ["a", "b", "c"])
    workspace = Workspace(network, rng)
    workspace.network.set_state(network.patterns[1])
    workspace.break_grid("scramble")
    workspace.start_recall()
    energies = [workspace.energy()]
    for _ in workspace.recall_events(workspace.dynamics):
        energies.append(workspace.dynamics.energy())
    workspace.finish_recall(workspace.dynamics)
    recording = workspace.recordings[-1]
    assert recording.unit == "step" and recording.mode == "modern" and len(recording) >= 1
    assert np.array_equal(recording.grid_at(len(recording)), workspace.network.state)
    assert np.allclose(recording.energies(), energies)
    workspace.replay_move(-len(recording))
    assert np.array_equal(workspace.network.state, recording.start)
    assert workspace.energy() == pytest.approx(energies[0])


def test_memories_given_packed_are_shared_not_copied():
    """A landscape's packed patterns (uint64 words, padded) make the same recording."""
    from tui_hopfield.model.errors import ModelError
    from tui_hopfield.model.rules.kernels import pack_spins

    rng = np.random.default_rng(3)
    patterns = np.where(rng.random((5, 7 * 11)) < 0.5, -1, 1).astype(np.int8)  # 77 bits
    start = patterns[0]
    words = pack_spins(patterns)
    packed = Recording(start, 7, 11, 0.0, packed=words)
    plain = Recording(start, 7, 11, 0.0, patterns=patterns)
    assert np.array_equal(packed.patterns, patterns)
    assert np.array_equal(plain.patterns, patterns)
    assert np.shares_memory(packed._patterns, words)  # no copy of 9,833 memories
    assert not packed._patterns.flags.writeable
    with pytest.raises(ModelError, match="77 bits"):
        Recording(start, 7, 11, 0.0, packed=words[:, :0])


def test_a_recall_records_the_landscapes_packed_memories_without_packing_them_again():
    from tui_hopfield.model.workspace import Workspace

    network = Network(8, 8)
    for k, pattern in enumerate(random_patterns(3, 64, np.random.default_rng(2))):
        network.imprint(pattern, f"p{k}")
    network.prepare()
    workspace = Workspace(network, np.random.default_rng(1))
    workspace.start_recall()
    recorded = workspace.recordings[-1]
    assert np.shares_memory(recorded._patterns, network.landscape.packed())
    assert np.array_equal(recorded.patterns, network.patterns)
