"""The Boltzmann machine saved with the session: round trip, and tampered machines refused."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_store import good_members, sample, write_members
from tui_hopfield.model.boltzmann import MAX_HIDDEN, Boltzmann
from tui_hopfield.model.store import SessionError, load, save
from tui_hopfield.model.workspace import Workspace


def trained(n: int = 42, hidden: int = 5) -> Boltzmann:
    machine = Boltzmann.new(n, hidden, seed=3)
    machine.train(sample().patterns, epochs=20, seed=1)
    return machine


def machine_members(machine: Boltzmann) -> dict[str, np.ndarray]:
    return dict(
        good_members(),
        boltzmann_weights=machine.weights,
        boltzmann_visible=machine.visible_bias,
        boltzmann_hidden=machine.hidden_bias,
    )


def test_the_machine_survives_a_round_trip(tmp_path):
    session, machine = sample(), trained()
    session.boltzmann = machine
    opened = load(save(session, tmp_path / "s.hopfield"))
    assert opened.boltzmann is not None
    assert np.array_equal(opened.boltzmann.weights, machine.weights)
    assert np.array_equal(opened.boltzmann.visible_bias, machine.visible_bias)
    assert np.array_equal(opened.boltzmann.hidden_bias, machine.hidden_bias)
    assert load(save(sample(), tmp_path / "none.hopfield")).boltzmann is None


def test_a_hand_made_machine_opens_and_the_workspace_keeps_it(tmp_path):
    machine = trained()
    session = load(write_members(tmp_path / "ok.npz", **machine_members(machine)))
    assert np.array_equal(session.boltzmann.weights, machine.weights)
    workspace = Workspace(session.network(), np.random.default_rng(0))
    workspace.open(session, session.network(), None)
    assert workspace.boltzmann is session.boltzmann
    assert workspace.session().boltzmann is session.boltzmann


def test_tampered_machines_are_refused(tmp_path):
    members = machine_members(trained())
    weights = members["boltzmann_weights"]
    nan = weights.copy()
    nan[0, 0] = np.nan
    cases = {
        "only weights": {k: v for k, v in members.items() if k != "boltzmann_hidden"},
        "weights of another grid": dict(members, boltzmann_weights=weights[:, :-1]),
        "too many hidden units": dict(
            members,
            boltzmann_weights=np.zeros((MAX_HIDDEN + 1, 42)),
            boltzmann_hidden=np.zeros(MAX_HIDDEN + 1),
        ),
        "hidden biases of another size": dict(members, boltzmann_hidden=np.zeros(4)),
        "visible biases of another size": dict(members, boltzmann_visible=np.zeros(41)),
        "float32 weights": dict(members, boltzmann_weights=weights.astype(np.float32)),
        "nan weight": dict(members, boltzmann_weights=nan),
        "infinite bias": dict(members, boltzmann_visible=np.full(42, np.inf)),
        "weights not a matrix": dict(members, boltzmann_weights=weights.reshape(-1)),
    }
    for label, bad in cases.items():
        path = write_members(tmp_path / f"{label.replace(' ', '_')}.npz", **bad)
        with pytest.raises(SessionError, match=r"[Bb]oltzmann"):
            load(path)


def test_save_refuses_a_machine_load_would_refuse(tmp_path):
    session = sample()
    machine = trained()
    machine.weights = machine.weights[:, :-1]  # another grid's machine
    session.boltzmann = machine
    with pytest.raises(SessionError, match="Boltzmann"):
        save(session, tmp_path / "s.hopfield")
    assert not (tmp_path / "s.hopfield").exists()
