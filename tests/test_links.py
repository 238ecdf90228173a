"""Links between memories: the hetero-associative field, chains, learning from use, decay."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_hopfield.model.chain import Chain
from tui_hopfield.model.dynamics import Asynchronous, Flip
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.links import MIN_LINK, Links, hetero_field
from tui_hopfield.model.network import Network
from tui_hopfield.model.patterns import library
from tui_hopfield.model.workspace import Workspace


def ring(rows: int = 24, cols: int = 48, strength: float = 2.0) -> Network:
    """smile -> heart -> star -> smile, on a grid of the built-in pictures."""
    network = Network(rows, cols)
    for picture in library(rows, cols)[:3]:
        network.imprint(picture.spins, picture.name)
    for source, target in (("smile", "heart"), ("heart", "star"), ("star", "smile")):
        network.link(source, target, 1.0)
    network.configure_links(strength, 3, 0.9, 0.0)
    return network


def broken(network: Network, index: int, fraction: float, seed: int) -> None:
    """Set the grid to memory ``index`` with ``fraction`` of its spins turned over."""
    rng = np.random.default_rng(seed)
    spins = network.patterns[index].copy()
    spins[rng.choice(network.n, int(fraction * network.n), replace=False)] *= -1
    network.set_state(spins)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 5),
    st.integers(1, 6),
    st.integers(2, 5),
    st.integers(0, 2**32 - 1),
    st.floats(0.1, 5.0),
)
def test_the_field_equals_a_dense_computation(rows, cols, count, seed, scale):
    """h = lambda W_hetero s_delayed, with W_hetero = sum w_AB xi_B xi_A^T / N built densely."""
    rng = np.random.default_rng(seed)
    n = rows * cols
    patterns = rng.choice(np.array([-1, 1], dtype=np.int8), size=(count, n))
    pairs = [(a, b) for a in range(count) for b in range(count) if a != b]
    chosen = [pairs[i] for i in rng.choice(len(pairs), rng.integers(1, len(pairs) + 1), False)]
    sources = np.array([a for a, _ in chosen], dtype=np.intp)
    targets = np.array([b for _, b in chosen], dtype=np.intp)
    weights = rng.uniform(0.01, 3.0, len(chosen))
    delayed = rng.choice(np.array([-1, 1], dtype=np.int8), size=n)
    overlaps = patterns.astype(np.float64) @ delayed / n
    dense = np.zeros((n, n))
    for a, b, w in zip(sources, targets, weights, strict=True):
        dense += w * np.outer(patterns[b], patterns[a]) / n
    expected = scale * dense @ delayed
    got = hetero_field(patterns, sources, targets, weights, overlaps, scale)
    np.testing.assert_allclose(got, expected, atol=1e-9)


def test_links_by_name_follow_the_memories():
    network = ring(8, 8)
    assert network.links.get("smile", "heart") == 1.0
    network.rename(0, "grin")
    assert network.links.get("grin", "heart") == 1.0 and network.links.get("smile", "heart") == 0
    network.forget(1)  # heart
    assert network.links.items() == [("star", "grin", 1.0)]
    with pytest.raises(ModelError, match="itself"):
        network.link("star", "star", 1.0)
    with pytest.raises(ModelError, match="no memory called"):
        network.link("star", "heart", 1.0)
    with pytest.raises(ModelError, match="strength"):
        network.link("star", "grin", 0.0)


@pytest.mark.parametrize("seed", range(4))
def test_lambda_zero_is_exactly_todays_recall(seed):
    """With lambda = 0 the chain's flips and energies are those of plain asynchronous recall."""
    runs = []
    for kind in ("plain", "chain"):
        network = ring(strength=0.0)
        broken(network, 0, 0.3, seed)
        rng = np.random.default_rng(seed)
        dynamics = Asynchronous(network, rng) if kind == "plain" else Chain(network, rng)
        events = [(e.index, e.spin, e.delta_energy) for e in dynamics.events()
                  if isinstance(e, Flip)]  # fmt: skip
        runs.append((events, network.energy(), network.state.copy(), dynamics.sweeps))
    assert runs[0][0] == runs[1][0] and runs[0][0]
    assert runs[0][1] == runs[1][1] and runs[0][3] == runs[1][3]
    assert np.array_equal(runs[0][2], runs[1][2])


@pytest.mark.parametrize("seed", range(3))
def test_a_ring_of_three_is_traversed_in_order(seed):
    network = ring()
    broken(network, 0, 0.2, seed)
    chain = Chain(network, np.random.default_rng(seed))
    energy = network.energy()
    visits = []
    for event in chain.events():
        if isinstance(event, Flip):
            energy += event.delta_energy
        if chain.chain and (not visits or visits[-1] != chain.chain[-1]):
            visits.append(chain.chain[-1])
    assert chain.chain == ["smile", "heart", "star", "smile"]
    assert visits == ["smile", "heart", "star", "smile"]
    assert chain.ended == "back at smile"
    assert np.array_equal(network.state, network.patterns[0])
    assert energy == pytest.approx(network.energy())  # the flips carry the symmetric energy
    assert chain.climbed > 0  # a hop climbs over a ridge


def test_a_weak_push_stays_and_hops_weaken():
    network = ring(strength=0.5)
    broken(network, 0, 0.2, 1)
    chain = Chain(network, np.random.default_rng(1))
    list(chain.events())
    assert chain.chain == ["smile"] and "too weak" in chain.ended
    # lambda 1.5 with a factor of 0.5: the first hop goes (1.5), the second (0.75) does not.
    network = ring(strength=1.5)
    network.configure_links(1.5, 3, 0.5, 0.0)
    broken(network, 0, 0.2, 1)
    chain = Chain(network, np.random.default_rng(1))
    list(chain.events())
    assert chain.chain == ["smile", "heart"]
    assert np.array_equal(network.state, network.patterns[1])


def test_the_hops_are_counted():
    network = ring()
    network.configure_links(2.0, 1, 0.9, 0.0)
    broken(network, 0, 0.2, 2)
    chain = Chain(network, np.random.default_rng(2))
    list(chain.events())
    assert chain.chain == ["smile", "heart"] and chain.ended == "1 hops made"


def recall(workspace: Workspace, index: int, seed: int) -> None:
    broken(workspace.network, index, 0.1, seed)
    workspace.start_recall()
    for _ in workspace.recall_events(workspace.dynamics):
        pass
    workspace.finish_recall(workspace.dynamics)
    workspace.learn_from_use()


def test_links_are_learned_only_from_co_use():
    network = Network(24, 48)
    for picture in library(24, 48)[:3]:
        network.imprint(picture.spins, picture.name)
    network.configure_links(0.0, 3, 0.7, 0.25)
    workspace = Workspace(network, np.random.default_rng(0))
    recall(workspace, 0, 1)  # smile: nothing before it
    assert len(network.links) == 0
    recall(workspace, 0, 2)  # smile again: no link to itself
    assert len(network.links) == 0
    recall(workspace, 1, 3)  # heart right after smile
    assert network.links.items() == [("smile", "heart", 0.25)]
    recall(workspace, 0, 4)  # smile after heart: the other way
    recall(workspace, 1, 5)  # heart after smile again
    assert network.links.get("smile", "heart") == 0.5
    assert network.links.get("heart", "smile") == 0.25
    assert network.links.get("heart", "star") == 0.0
    network.configure_links(0.0, 3, 0.7, 0.0)  # learning off: nothing more
    recall(workspace, 2, 6)
    assert network.links.get("heart", "star") == 0.0


def test_links_decay_with_the_memories():
    network = ring(8, 8)
    network.decay = 0.5
    network.imprint(library(8, 8)[3].spins, "house")
    assert network.links.get("smile", "heart") == 0.5
    network.decay_all(0.5)
    assert network.links.get("heart", "star") == 0.25
    network.imprint_many(np.stack([p.spins.ravel() for p in library(8, 8)[4:6]]), ["a", "b"])
    assert network.links.get("star", "smile") == pytest.approx(0.0625)
    links = Links()
    links.link("a", "b", MIN_LINK * 1.5)
    links.decay(0.5)
    assert len(links) == 0  # faded below MIN_LINK: gone


def test_the_workspace_names_the_chain_as_it_happens():
    network = ring()
    workspace = Workspace(network, np.random.default_rng(0))
    broken(network, 0, 0.2, 7)
    workspace.start_recall()
    named = []
    for _ in workspace.recall_events(workspace.dynamics):
        state = workspace.recall_moved()
        if not named or named[-1] != state:
            named.append(state)
    change = workspace.finish_recall(workspace.dynamics)
    assert named == [
        "recalling",
        "recalling smile",
        "recalling smile \u2192 heart",
        "recalling smile \u2192 heart \u2192 star",
        "recalling smile \u2192 heart \u2192 star \u2192 smile",
    ]
    assert workspace.state == "smile \u2192 heart \u2192 star \u2192 smile \u00b7 recalled smile"
    assert "back at smile" in change.message and "no energy of its own" in change.message


@pytest.mark.parametrize("seed", range(2))
def test_completing_a_sentence_leads_on_to_the_linked_one(seed):
    """The README's words: "user prefers dark mode" -> "user works at night"."""
    from tui_hopfield.model.text import text_to_spins

    network = Network(64, 64)
    first, second = "user prefers dark mode", "user works at night"
    for sentence in (first, second):
        network.imprint(text_to_spins(sentence, 64, 64), sentence)
    network.link(first, second, 1.0)
    workspace = Workspace(network, np.random.default_rng(seed))
    network.set_state(network.patterns[0])
    workspace.break_grid("wipe")  # w: the bottom half wiped
    workspace.start_recall()
    for _ in workspace.recall_events(workspace.dynamics):
        pass
    workspace.finish_recall(workspace.dynamics)
    assert workspace.state == "recalled user prefers dark mode"  # lambda 0: as before
    network.configure_links(2.0, 3, 0.7, 0.0)
    network.set_state(network.patterns[0])
    workspace.break_grid("wipe")
    workspace.start_recall()
    for _ in workspace.recall_events(workspace.dynamics):
        pass
    workspace.finish_recall(workspace.dynamics)
    assert workspace.state == f"{first} \u2192 {second} \u00b7 recalled {second}"


def test_sync_recall_says_it_ignores_the_links():
    network = ring(8, 8)
    workspace = Workspace(network, np.random.default_rng(0), mode="sync")
    change = workspace.start_recall()
    assert not isinstance(workspace.dynamics, Chain)
    assert "ignores them" in change.message
    workspace.stop_recall()
    workspace.set_mode("async")
    assert workspace.start_recall().message is None
    assert isinstance(workspace.dynamics, Chain)


def test_undo_takes_back_a_link_and_a_link_learned_from_use():
    network = Network(24, 48)
    for picture in library(24, 48)[:3]:
        network.imprint(picture.spins, picture.name)
    workspace = Workspace(network, np.random.default_rng(0))
    workspace.link(0, "heart", 0.5)
    workspace.link(1, "star", 1.0)
    assert network.links.items() == [("smile", "heart", 0.5), ("heart", "star", 1.0)]
    workspace.undo()
    assert network.links.items() == [("smile", "heart", 0.5)]
    workspace.redo()
    assert network.links.get("heart", "star") == 1.0
    workspace.link(0, "heart", 0)  # 0 unlinks
    assert network.links.get("smile", "heart") == 0
    workspace.undo()
    assert network.links.get("smile", "heart") == 0.5
    network.configure_links(0.0, 3, 0.7, 0.25)
    recall(workspace, 2, 1)  # star
    recall(workspace, 0, 2)  # smile after star: star -> smile learned
    assert network.links.get("star", "smile") == 0.25
    workspace.undo()  # the last recall, with what it learned
    assert network.links.get("star", "smile") == 0.0
