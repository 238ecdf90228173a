"""Links saved with the session, checked on the way in."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.test_store import good_members, write_members
from tui_hopfield.model import Network
from tui_hopfield.model.patterns import random_spins
from tui_hopfield.model.store import Session, SessionError, load, save


def linked() -> Network:
    rng = np.random.default_rng(3)
    network = Network(5, 6)
    for name in ("smile", "heart", "star"):
        network.imprint(random_spins(network.n, rng), name)
    network.link("smile", "heart", 0.5)
    network.link("heart", "star", 2.25)
    network.configure_links(1.75, 4, 0.6, 0.125)
    return network


def test_links_survive_a_round_trip(tmp_path):
    network = linked()
    path = save(Session.of(network), tmp_path / "links.hopfield")
    again = load(path).network()
    assert again.links == network.links
    assert again.links.items() == [("smile", "heart", 0.5), ("heart", "star", 2.25)]
    assert again.links.settings() == (1.75, 4, 0.6, 0.125)


def test_a_session_without_links_opens_with_none(tmp_path):
    path = write_members(tmp_path / "old.npz", **good_members())
    network = load(path).network()
    assert len(network.links) == 0 and network.links.strength == 0.0


def tampered(links=None, **settings) -> dict[str, np.ndarray]:
    members = good_members()
    meta = json.loads(members["meta"].tobytes())
    if links is not None:
        meta["links"] = links
    meta["settings"] = settings
    members["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    return members


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (tampered({"a": 1}), "the links are damaged"),
        (tampered([["memory 0", "memory 1"]]), "link 1 is damaged"),
        (tampered([["memory 0", "memory 1", "strong"]]), "link 1 is damaged"),
        (tampered([["memory 0", 7, 1.0]]), "link 1 is damaged"),
        (tampered([["memory 0", "nobody", 1.0]]), "does not hold \\('nobody'\\)"),
        (tampered([["memory 1", "memory 1", 1.0]]), "to itself"),
        (tampered([["memory 0", "memory 1", 0]]), "strength must be"),
        (tampered([["memory 0", "memory 1", 1e9]]), "strength must be"),
        (tampered([["memory 0", "memory 1", 1], ["memory 0", "memory 1", 2]]), "twice"),
        (tampered(link_lambda=-1), "lambda"),
        (tampered(link_hops=0), "hops"),
        (tampered(link_hops=2.5), "hops"),
        (tampered(link_hop_factor=1.5), "hop factor"),
        (tampered(link_step=99), "step from use"),
        (tampered(link_lambda="high"), "links' settings must be numbers"),
    ],
)
def test_bad_links_are_refused(tmp_path, members, message):
    path = write_members(tmp_path / "bad.npz", **members)
    with pytest.raises(SessionError, match=message):
        load(path)
