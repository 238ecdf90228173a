"""The "letting go" study: when does a place bring back the new companion?

Every scene's old memory (its place beside the old companion) is stored
first, with strength ``old_strength``: years spent together. Then, round
after round, one scene chosen at random is lived again with the new
companion: its new memory is imprinted the first time and reinforced every
time after (``Network.reinforce``), by ``weight`` each time. After each round
(and once before the first, round 0) every scene is probed: recall starts
from its place, with ``noise`` of it flipped and random spins where the
companion would be, and runs to a fixed point (``descent.descend``, the
app's asynchronous zero-temperature recall; the modern network's retrieval
for the modern rule), or for ``sync_steps`` synchronous steps ``s = sign(W s)``.

Each probe records the cosine similarity of the recalled state to the old
and to the new memory, which one won, and the energy of both valleys
(``Network.energy_of``); it also names the stored memory nearest to the
result, which may be another scene's.

Under Hebb's rule the two memories of a scene pull on the companion's spins
with their strengths. While the new one is weaker the old one wins; once it
is stronger the new one wins (99 % of such probes, 15 seeds of the default
study). At equal strength, when the new memory has been lived
``old_strength`` times, the pulls cancel wherever the two companions differ
and the noisy cue (with the other scenes' cross-talk) decides: a tie, which
the new companion won in 56 % of such probes. So the new companion does not
wait to be lived more often than the old one: most turning points (55 of 72
in those 15 seeds; 15 came one reinforcement later) are ties at equal
strength, and so are most reversals. Every probe says whether it was taken
at equal strength (``tie``), and each scene's summary whether its turning
point was one.

Two presets (``PRESETS``). ``default``: a companion pair per scene, five
scenes, 40 rounds, old strength 3, asynchronous recall, every scene probed
every round. ``blog``: the study as the blog post "This Is How a Hopfield
Network Learns to Let Go" (exd1000 on Substack) ran it in its notebook
(github.com/exd1000/EXD-Net, ``v1_hopfield/exdnet_v1.ipynb``): one ex and one
new companion shared by all seven scenes (``scenes.blog_scenes``), 30 random
reinforcements, 10 % noise, each round probing only the scene just lived,
recall by at most 10 synchronous steps ``s = sign(W s)`` with a zero field
giving +1, and its normalisation: ``train_hopfield(ex_patterns, repeats=10)``
stores the P old memories as ``R sum xi xi^T / P`` (R = 10 repeats) while
``reinforce_memory`` adds ``xi xi^T`` unnormalised, so each reinforcement
weighs ``P / R`` old imprints (7 / 10 there; ``repeats`` is R, and the turning
points move with it). Because the companions are shared, living one place
with the new companion pulls every place towards it: a scene can turn while
its own new memory is still weaker than its old one (``leaked``). The
network's weights are the blog's times P / (R N) (Hebb divides by N), which
changes no recall and scales the energies; the diagonal is zero in both. One
departure remains: the blog's pictures show the companion inside the place
and its cue is the place alone, while here (the project's scenes) the
companion sits beside the place and the cue's companion half is random.

``decay`` (1: none) multiplies every strength stored so far by a factor at
the start of each round, before its reinforcement (``Network.decay_all``):
the old memories fade and so do earlier reinforcements, so a scene lived
long ago fades with them.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from tui_hopfield.experiments.progress import Progress, Stop, report, stopping
from tui_hopfield.experiments.rows import Row
from tui_hopfield.experiments.scenes import Scene, shared_companions
from tui_hopfield.model.descent import descend
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.network import Network
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.steps import Retrieval, sync_flips

MAX_ROUNDS = 10_000
"""The most rounds a study runs."""
TIE = 1e-9
"""Similarities closer than this are a tie."""
RECALLED = 0.6
"""A recall that ends with a smaller overlap than this with every memory found none of them."""
MAX_SYNC_STEPS = 1000
"""The most synchronous steps a probe takes."""
PROBES = ("all", "chosen")
"""Which scenes a round probes: every one, or the one just lived."""
ZERO_FIELDS = ("keep", "north")
"""What a synchronous step does with a spin whose field is zero."""


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
    preset: str = "default"
    """The preset these settings started from (``PRESETS``), named in the output."""
    shared: bool = False
    """Whether every scene has the same two companions (the blog's design); the
    scenes are made so by ``study_scenes``."""
    sync_steps: int = 0
    """0: recall asynchronously to a fixed point; k: k synchronous steps (the blog: 10)."""
    repeats: float | None = None
    """None: a reinforcement adds strength 1. R: the blog's normalisation, the old
    memories imprinted R times over P, so a reinforcement adds ``old_strength * P / R``
    (P: the scenes, the old memories; the blog: R = 10)."""
    probe: str = "all"
    """``all``: every scene is probed every round; ``chosen``: only the scene just
    lived (the blog). Round 0 probes every scene either way."""
    zero_field: str = "keep"
    """What a synchronous step does with a zero field: ``keep`` the spin, or turn it
    ``north`` (+1, the blog's ``new_state[new_state == 0] = 1``)."""
    decay: float = 1.0
    """The factor every strength is multiplied by at the start of a round (1: none)."""

    @classmethod
    def of_preset(cls, preset: str, **changes: object) -> ReinforceSettings:
        """The settings of ``preset`` (``PRESETS``), with ``changes`` (None: keep)."""
        if preset not in PRESETS:
            raise ModelError(f"unknown preset {preset!r}: use {' or '.join(PRESETS)}")
        values: dict[str, object] = {**PRESETS[preset], "preset": preset}
        values.update({key: value for key, value in changes.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]

    def weight(self, scenes: int) -> float:
        """The strength one reinforcement adds, with ``scenes`` old memories stored."""
        if self.repeats is None:
            return 1.0
        return self.old_strength * scenes / self.repeats

    def __post_init__(self) -> None:
        if not 1 <= self.rounds <= MAX_ROUNDS:
            raise ModelError(f"rounds are from 1 to {MAX_ROUNDS}, not {self.rounds}")
        if not (np.isfinite(self.old_strength) and 0 < self.old_strength <= 1000):
            raise ModelError(
                f"the old strength is above 0 and at most 1000, not {self.old_strength}"
            )
        if not 0.0 <= self.noise <= 0.5:
            raise ModelError(f"the noise is from 0 to 0.5, not {self.noise:g}")
        if self.preset not in PRESETS:
            raise ModelError(f"unknown preset {self.preset!r}: use {' or '.join(PRESETS)}")
        if not 0 <= self.sync_steps <= MAX_SYNC_STEPS:
            raise ModelError(
                f"synchronous steps are from 0 (asynchronous) to {MAX_SYNC_STEPS},"
                f" not {self.sync_steps}"
            )
        if self.repeats is not None and not (
            np.isfinite(self.repeats) and 0.01 <= self.repeats <= 1000
        ):
            raise ModelError(f"the repeats R are from 0.01 to 1000, not {self.repeats:g}")
        if self.probe not in PROBES:
            raise ModelError(f"probe {' or '.join(PROBES)}, not {self.probe!r}")
        if self.zero_field not in ZERO_FIELDS:
            raise ModelError(
                f"a zero field does {' or '.join(ZERO_FIELDS)}, not {self.zero_field!r}"
            )
        if not (np.isfinite(self.decay) and 0.5 <= self.decay <= 1):
            raise ModelError(f"the decay factor is from 0.5 to 1, not {self.decay:g}")

    def to_dict(self) -> dict[str, object]:
        """The settings as plain values, for JSON."""
        return {
            "rule": self.rule.name,
            **self.rule.settings(),
            "rounds": self.rounds,
            "old_strength": self.old_strength,
            "noise": self.noise,
            "seed": self.seed,
            "preset": self.preset,
            "shared": self.shared,
            "recall": f"{self.sync_steps} synchronous steps" if self.sync_steps else "asynchronous",
            "repeats": self.repeats,
            "probe": self.probe,
            "zero_field": self.zero_field,
            "decay": self.decay,
        }


PRESETS: dict[str, dict[str, object]] = {
    "default": {},
    "blog": {
        "rounds": 30,
        "old_strength": 1.0,
        "noise": 0.1,
        "shared": True,
        "sync_steps": 10,
        "repeats": 10.0,
        "probe": "chosen",
        "zero_field": "north",
    },
}
"""The study's designs: ``default`` (the fields' defaults) and ``blog`` (the blog's)."""


@dataclass(frozen=True)
class Probe(Row):
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
    ``RECALLED`` with every memory: a spurious state). With shared companions it
    is, as in the blog, the companion the right half came closer to, wherever the
    place half went (never ``other``)."""
    nearest: str
    """The stored memory with the largest overlap with the recalled state."""
    energy_old: float
    """The energy of place + old companion (the old valley's depth)."""
    energy_new: float
    """The energy of place + new companion."""
    strength_old: float = 0.0
    """The strength of the scene's old memory when probed (it fades with ``decay``)."""
    strength_new: float = 0.0
    """The strength of the scene's new memory when probed (0 before it was lived)."""
    tie: bool = False
    """Whether the two were equally strong: the noisy cue decided who won."""

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
        "strength_old",
        "strength_new",
        "tie",
    )
    """The field names, in CSV order."""


@dataclass(frozen=True)
class SceneSummary(Row):
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
    turned_at_tie: bool | None = None
    """Whether the turning point came at equal strength (a tie the noisy cue decided);
    None without a turning point."""
    leaked: int | None = None
    """The first round the new companion won while its memory of this scene was still
    weaker than the old one (the pull of the other scenes' reinforcements), or None."""
    reversals: int = 0
    """How often, after the turning point, the new companion lost again."""
    tied_reversals: int = 0
    """How many of those reversals came at equal strength (ties)."""

    COLUMNS = (
        "scene",
        "reinforcements",
        "turning_point",
        "turned_at_tie",
        "settled",
        "stays",
        "winner",
        "leaked",
        "reversals",
        "tied_reversals",
        "energy_old",
        "energy_new",
    )
    """The field names, in table order."""


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


def study_scenes(settings: ReinforceSettings, scenes: Sequence[Scene]) -> tuple[Scene, ...]:
    """The scenes as the study's design has them: with ``shared``, every scene gets the
    first one's old and new companion (the blog's one ex and one new companion)."""
    if settings.shared and scenes:
        return shared_companions(scenes, scenes[0].old, scenes[0].new)
    return tuple(scenes)


def run_reinforce(
    scenes: Sequence[Scene],
    settings: ReinforceSettings,
    progress: Progress | None = None,
    stop: Stop | None = None,
) -> ReinforceResult:
    """Run the study on ``scenes`` (all of one size); see the module's docstring.

    With ``settings.shared`` the scenes are first given the first one's companions
    (``study_scenes``).
    """
    if not scenes:
        raise ModelError("the study needs at least one scene")
    shapes = {scene.background.shape for scene in scenes}
    if len(shapes) > 1:
        raise ModelError("every scene's pictures must have the same size")
    scenes = study_scenes(settings, scenes)
    started = time.perf_counter()
    rng = np.random.default_rng(settings.seed)
    first = scenes[0]
    network = Network(first.rows, 2 * first.cols, settings.rule)
    old_index = {
        scene.name: network.imprint(scene.memory("old"), f"{scene.name} old", settings.old_strength)
        for scene in scenes
    }
    weight = settings.weight(len(scenes))
    new_index: dict[str, int] = {}
    lived = dict.fromkeys((scene.name for scene in scenes), 0)
    chosen: list[str] = []
    probes: list[Probe] = []
    complete = False
    total = settings.rounds + 1
    study = _Study(network, settings, old_index, new_index, lived, rng)
    report(progress, 0, total)
    try:
        probes += study.probe_all(scenes, 0, None)
        report(progress, 1, total)
        for number in range(1, settings.rounds + 1):
            if stopping(stop):
                break
            scene = scenes[int(rng.integers(len(scenes)))]
            network.decay_all(settings.decay)
            if scene.name in new_index:
                network.reinforce(new_index[scene.name], weight)
            else:
                new_index[scene.name] = network.imprint(
                    scene.memory("new"), f"{scene.name} new", weight
                )
            lived[scene.name] += 1
            if settings.probe == "chosen":
                round_probes = [study.probe(scene, number, True)]
            else:
                round_probes = study.probe_all(scenes, number, scene.name)
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


def equal_strength(a: float, b: float) -> bool:
    """Whether two strengths are equal, up to rounding (decay multiplies both alike)."""
    return abs(a - b) <= TIE * max(1.0, abs(a), abs(b))


@dataclass
class _Study:
    """What a probe needs: the network, the settings, where each memory is."""

    network: Network
    settings: ReinforceSettings
    old_index: dict[str, int]
    new_index: dict[str, int]
    lived: dict[str, int]
    rng: np.random.Generator

    def probe_all(self, scenes: Sequence[Scene], number: int, chosen: str | None) -> list[Probe]:
        """Probe every scene once; all or nothing (Ctrl+C drops the round)."""
        return [self.probe(scene, number, scene.name == chosen) for scene in scenes]

    def recall(self) -> None:
        """Run the recall the settings ask for from the network's state."""
        network = self.network
        if network.rule.continuous:
            for _ in Retrieval(network).events():
                pass
        elif self.settings.sync_steps:
            recall_sync(network, self.settings.sync_steps, self.settings.zero_field == "north")
        else:
            descend(network, self.rng)

    def probe(self, scene: Scene, number: int, chosen: bool) -> Probe:
        """Recall from the scene's noisy place and compare the result with both memories."""
        network = self.network
        old, new = scene.memory("old").reshape(-1), scene.memory("new").reshape(-1)
        network.set_state(scene.cue(self.settings.noise, self.rng))
        self.recall()
        state = network.state.astype(np.int32)
        similarity_old = float(state @ old) / network.n
        similarity_new = float(state @ new) / network.n
        overlaps = network.overlaps()
        nearest = network.names[int(np.argmax(overlaps))]
        if self.settings.shared:
            # As the blog does: the closer of the two (they differ only in the companion
            # half), however far the recall went; ``nearest`` names where it went.
            lost = False
        else:
            lost = overlaps.max() < RECALLED or nearest not in (
                f"{scene.name} old",
                f"{scene.name} new",
            )
        if lost:
            winner = "other"
        elif similarity_new > similarity_old + TIE:
            winner = "new"
        elif similarity_old > similarity_new + TIE:
            winner = "old"
        else:
            winner = "tie"
        strengths = network.strengths
        strength_old = float(strengths[self.old_index[scene.name]])
        index = self.new_index.get(scene.name)
        strength_new = 0.0 if index is None else float(strengths[index])
        return Probe(
            round=number,
            scene=scene.name,
            chosen=chosen,
            reinforcements=self.lived[scene.name],
            similarity_old=similarity_old,
            similarity_new=similarity_new,
            winner=winner,
            nearest=nearest,
            energy_old=network.energy_of(old),
            energy_new=network.energy_of(new),
            strength_old=strength_old,
            strength_new=strength_new,
            tie=equal_strength(strength_old, strength_new),
        )


def recall_sync(network: Network, steps: int, zero_north: bool = False) -> int:
    """At most ``steps`` synchronous steps ``s = sign(W s)`` at T = 0, fewer if a step
    changes nothing; return the steps that changed the state.

    A spin whose field is zero keeps its sign, or with ``zero_north`` turns north
    (+1), as the blog's ``new_state[new_state == 0] = 1`` does. A 2-cycle goes on
    alternating to the last step, as the blog's loop does.
    """
    rng = np.random.default_rng(0)  # unused at T = 0
    for step in range(steps):
        if zero_north:
            fields = network.fields()
            zero = np.abs(fields) <= TIE * max(1.0, float(np.abs(fields).max()))
            spins = np.where(fields > 0, 1, -1).astype(np.int8)
            spins[zero] = 1
        else:
            spins = network.state.copy()
            spins[sync_flips(network, rng, 0.0)] *= -1
        if np.array_equal(spins, network.state):
            return step
        network.set_state(spins)
    return steps


def _summary(name: str, probes: list[Probe], reinforcements: int) -> SceneSummary:
    """The turning point, the ties, the reversals and the end of one scene's probes."""
    turning = next((p for p in probes if p.round > 0 and p.winner == "new"), None)
    settled = None
    for probe in reversed(probes):
        if probe.winner != "new" or probe.round == 0:
            break
        settled = probe.round
    leaked = next(
        (
            p.round
            for p in probes
            if p.round > 0
            and p.winner == "new"
            and p.strength_new < p.strength_old
            and not equal_strength(p.strength_old, p.strength_new)
        ),
        None,
    )
    reversals = tied = 0
    if turning is not None:
        after = [p for p in probes if p.round >= turning.round]
        for before, probe in itertools.pairwise(after):
            if before.winner == "new" and probe.winner != "new":
                reversals += 1
                tied += probe.tie
    last = probes[-1]
    return SceneSummary(
        scene=name,
        reinforcements=reinforcements,
        turning_point=None if turning is None else turning.round,
        settled=settled,
        stays=turning is not None and settled == turning.round,
        winner=last.winner,
        energy_old=last.energy_old,
        energy_new=last.energy_new,
        turned_at_tie=None if turning is None else turning.tie,
        leaked=leaked,
        reversals=reversals,
        tied_reversals=tied,
    )


def tie_note(result: ReinforceResult) -> str:
    """Which of the study's effects are ties, the reversals and the leaks, in words."""
    turned = [s for s in result.summaries if s.turning_point is not None]
    tied = [s.scene for s in turned if s.turned_at_tie]
    reversed_ = [s for s in result.summaries if s.reversals]
    reversals = sum(s.reversals for s in result.summaries)
    tied_reversals = sum(s.tied_reversals for s in result.summaries)
    lines = (
        [
            "(tie): the scene's old and new memory were equally strong, so they pulled its"
            " companion's spins equally and the noisy cue decided who came back."
        ]
        if tied
        else []
    )  # the legend of a mark in the table, only when a row has it
    lines += [
        f"turning points at a tie: {len(tied)} of {len(turned)}"
        + (f" ({', '.join(tied)})" if tied else "")
        + f"; reversals (the new companion lost again): {reversals}, {tied_reversals} at a tie"
        + (f" ({', '.join(f'{s.scene} {s.reversals}' for s in reversed_)})" if reversed_ else "")
        + ".",
    ]
    if result.settings.shared:
        leaked = [f"{s.scene} in round {s.leaked}" for s in result.summaries if s.leaked]
        lines.append(
            "leaked: the new companion came back to a place where its memory was still the"
            " weaker (the companions are shared, the other places pull):"
            f" {', '.join(leaked) if leaked else 'nowhere'}."
        )
    return "\n".join(lines)
