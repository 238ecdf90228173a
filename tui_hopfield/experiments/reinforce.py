"""The "letting go" study: when does a place bring back the new companion?

Every scene's old memory (its place beside the old companion) is stored
first, with strength ``old_strength``: years spent together. Then, round
after round, one scene chosen at random is lived again with the new
companion: its new memory is imprinted the first time (strength 1) and
reinforced by 1 every time after (``Network.reinforce``). After each round
(and once before the first, round 0) every scene is probed: recall starts
from its place, with ``noise`` of it flipped and random spins where the
companion would be, and runs to a fixed point (``dynamics.descend``, the
app's asynchronous zero-temperature recall; the modern network's retrieval
for the modern rule).

Each probe records the cosine similarity of the recalled state to the old
and to the new memory, which one won, and the energy of both valleys
(``Network.energy_of``); it also names the stored memory nearest to the
result, which may be another scene's. Under Hebb's rule the two memories of a scene pull
on the companion's spins with their strengths, so the new one wins once it
has been lived more often than ``old_strength``: the turning point.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from tui_hopfield.experiments.progress import Progress, Stop, report, stopping
from tui_hopfield.experiments.scenes import Scene
from tui_hopfield.model.dynamics import Retrieval, descend
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.network import Network
from tui_hopfield.model.rules import Rule

MAX_ROUNDS = 10_000
"""The most rounds a study runs."""
TIE = 1e-9
"""Similarities closer than this are a tie."""
RECALLED = 0.6
"""A recall that ends with a smaller overlap than this with every memory found none of them."""


@dataclass(frozen=True)
class ReinforceSettings:
    """What the study does; the constructor checks every value (``ModelError``)."""

    rule: Rule = field(default_factory=Rule)
    """The learning rule."""
    rounds: int = 40
    """Rounds of reinforcement (a random scene each)."""
    old_strength: float = 3.0
    """The strength every old memory is stored with."""
    noise: float = 0.1
    """The fraction of the place's spins flipped in a probe's cue."""
    seed: int | None = None
    """Seed of the scene choices, the cues and the recall order (None: a fresh one)."""

    def __post_init__(self) -> None:
        if not 1 <= self.rounds <= MAX_ROUNDS:
            raise ModelError(f"rounds are from 1 to {MAX_ROUNDS}, not {self.rounds}")
        if not (np.isfinite(self.old_strength) and 0 < self.old_strength <= 1000):
            raise ModelError(
                f"the old strength is above 0 and at most 1000, not {self.old_strength}"
            )
        if not 0.0 <= self.noise <= 0.5:
            raise ModelError(f"the noise is from 0 to 0.5, not {self.noise:g}")

    def to_dict(self) -> dict[str, object]:
        """The settings as plain values, for JSON."""
        return {
            "rule": self.rule.name,
            **self.rule.settings(),
            "rounds": self.rounds,
            "old_strength": self.old_strength,
            "noise": self.noise,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class Probe:
    """One scene probed after one round."""

    round: int
    """The round (0: before any reinforcement)."""
    scene: str
    """The scene probed."""
    chosen: bool
    """Whether this scene was the one reinforced in this round."""
    reinforcements: int
    """How many times the scene's new memory has been lived so far."""
    similarity_old: float
    """Cosine similarity of the recalled state to place + old companion."""
    similarity_new: float
    """Cosine similarity of the recalled state to place + new companion."""
    winner: str
    """``old`` or ``new``: the one the recall came closer to, when the nearest stored
    memory is one of the two; ``tie`` when it is equally close to both; ``other``
    when it ended nearer another scene's memory, or near none (overlap below
    ``RECALLED`` with every memory: a spurious state)."""
    nearest: str
    """The stored memory with the largest overlap with the recalled state."""
    energy_old: float
    """The energy of place + old companion (the old valley's depth)."""
    energy_new: float
    """The energy of place + new companion."""

    COLUMNS = (
        "round",
        "scene",
        "chosen",
        "reinforcements",
        "similarity_old",
        "similarity_new",
        "winner",
        "nearest",
        "energy_old",
        "energy_new",
    )
    """The field names, in CSV order."""

    def values(self) -> tuple[object, ...]:
        """The fields in ``COLUMNS`` order."""
        return tuple(getattr(self, name) for name in self.COLUMNS)


@dataclass(frozen=True)
class SceneSummary:
    """How one scene's story ended."""

    scene: str
    """The scene."""
    reinforcements: int
    """How many times its new memory was lived."""
    turning_point: int | None
    """The first round in which the new companion won, or None."""
    settled: int | None
    """The round from which the new companion won every probe, or None."""
    stays: bool
    """Whether the new companion won every probe from the turning point on."""
    winner: str
    """Who won the last probe."""
    energy_old: float
    """The old valley's energy at the end."""
    energy_new: float
    """The new valley's energy at the end."""

    COLUMNS = (
        "scene",
        "reinforcements",
        "turning_point",
        "settled",
        "stays",
        "winner",
        "energy_old",
        "energy_new",
    )
    """The field names, in table order."""

    def values(self) -> tuple[object, ...]:
        """The fields in ``COLUMNS`` order."""
        return tuple(getattr(self, name) for name in self.COLUMNS)


@dataclass(frozen=True)
class ReinforceResult:
    """The study's settings, every probe and each scene's summary."""

    settings: ReinforceSettings
    """What was asked."""
    scenes: tuple[str, ...]
    """The scenes, in order."""
    size: tuple[int, int]
    """Rows and columns of each picture (a memory is two side by side)."""
    chosen: tuple[str, ...]
    """The scene reinforced in each round done (round 1 first)."""
    probes: tuple[Probe, ...]
    """Every probe, by round then scene."""
    summaries: tuple[SceneSummary, ...]
    """One per scene, in ``scenes`` order."""
    complete: bool
    """False when the study was stopped before its last round."""
    seconds: float
    """Wall-clock time of the study."""

    def probes_of(self, scene: str) -> tuple[Probe, ...]:
        """The probes of one scene, by round."""
        return tuple(probe for probe in self.probes if probe.scene == scene)

    def to_dict(self) -> dict[str, object]:
        """Everything as plain values, for JSON."""
        return {
            "experiment": "reinforce",
            "settings": self.settings.to_dict(),
            "scenes": list(self.scenes),
            "size": list(self.size),
            "complete": self.complete,
            "seconds": round(self.seconds, 3),
            "chosen": list(self.chosen),
            "summaries": [asdict(summary) for summary in self.summaries],
            "probes": [asdict(probe) for probe in self.probes],
        }


def run_reinforce(
    scenes: Sequence[Scene],
    settings: ReinforceSettings,
    progress: Progress | None = None,
    stop: Stop | None = None,
) -> ReinforceResult:
    """Run the study on ``scenes`` (all of one size); see the module's docstring."""
    if not scenes:
        raise ModelError("the study needs at least one scene")
    shapes = {scene.background.shape for scene in scenes}
    if len(shapes) > 1:
        raise ModelError("every scene's pictures must have the same size")
    started = time.perf_counter()
    rng = np.random.default_rng(settings.seed)
    first = scenes[0]
    network = Network(first.rows, 2 * first.cols, settings.rule)
    for scene in scenes:
        network.imprint(scene.memory("old"), f"{scene.name} old", settings.old_strength)
    new_index: dict[str, int] = {}
    lived = dict.fromkeys((scene.name for scene in scenes), 0)
    chosen: list[str] = []
    probes: list[Probe] = []
    complete = False
    total = settings.rounds + 1
    report(progress, 0, total)
    try:
        probes += _probe_all(network, scenes, 0, None, lived, settings.noise, rng)
        report(progress, 1, total)
        for number in range(1, settings.rounds + 1):
            if stopping(stop):
                break
            scene = scenes[int(rng.integers(len(scenes)))]
            if scene.name in new_index:
                network.reinforce(new_index[scene.name])
            else:
                new_index[scene.name] = network.imprint(scene.memory("new"), f"{scene.name} new")
            lived[scene.name] += 1
            round_probes = _probe_all(
                network, scenes, number, scene.name, lived, settings.noise, rng
            )
            chosen.append(scene.name)
            probes += round_probes
            report(progress, number + 1, total)
        else:
            complete = True
    except KeyboardInterrupt:
        pass
    # A round cut short by Ctrl+C is dropped whole: its probes were never added, and its
    # reinforcement is not counted (the counts come from ``chosen``).
    summaries = tuple(
        _summary(scene.name, [p for p in probes if p.scene == scene.name], chosen.count(scene.name))
        for scene in scenes
        if probes
    )
    return ReinforceResult(
        settings,
        tuple(scene.name for scene in scenes),
        (first.rows, first.cols),
        tuple(chosen),
        tuple(probes),
        summaries,
        complete,
        time.perf_counter() - started,
    )


def _probe_all(
    network: Network,
    scenes: Sequence[Scene],
    number: int,
    chosen: str | None,
    lived: dict[str, int],
    noise: float,
    rng: np.random.Generator,
) -> list[Probe]:
    """Probe every scene once; all or nothing (Ctrl+C drops the round)."""
    return [
        _probe(network, scene, number, scene.name == chosen, lived[scene.name], noise, rng)
        for scene in scenes
    ]


def _probe(
    network: Network,
    scene: Scene,
    number: int,
    chosen: bool,
    reinforcements: int,
    noise: float,
    rng: np.random.Generator,
) -> Probe:
    """Recall from the scene's noisy place and compare the result with both memories."""
    old, new = scene.memory("old").reshape(-1), scene.memory("new").reshape(-1)
    network.set_state(scene.cue(noise, rng))
    if network.rule.continuous:
        for _ in Retrieval(network).events():
            pass
    else:
        descend(network, rng)
    state = network.state.astype(np.int32)
    similarity_old = float(state @ old) / network.n
    similarity_new = float(state @ new) / network.n
    overlaps = network.overlaps()
    nearest = network.names[int(np.argmax(overlaps))]
    if overlaps.max() < RECALLED or nearest not in (f"{scene.name} old", f"{scene.name} new"):
        winner = "other"
    elif similarity_new > similarity_old + TIE:
        winner = "new"
    elif similarity_old > similarity_new + TIE:
        winner = "old"
    else:
        winner = "tie"
    return Probe(
        round=number,
        scene=scene.name,
        chosen=chosen,
        reinforcements=reinforcements,
        similarity_old=similarity_old,
        similarity_new=similarity_new,
        winner=winner,
        nearest=nearest,
        energy_old=network.energy_of(old),
        energy_new=network.energy_of(new),
    )


def _summary(name: str, probes: list[Probe], reinforcements: int) -> SceneSummary:
    """The turning point and the end of one scene's probes."""
    turning = next((p.round for p in probes if p.round > 0 and p.winner == "new"), None)
    settled = None
    for probe in reversed(probes):
        if probe.winner != "new" or probe.round == 0:
            break
        settled = probe.round
    last = probes[-1]
    return SceneSummary(
        scene=name,
        reinforcements=reinforcements,
        turning_point=turning,
        settled=settled,
        stays=turning is not None and settled == turning,
        winner=last.winner,
        energy_old=last.energy_old,
        energy_new=last.energy_new,
    )
