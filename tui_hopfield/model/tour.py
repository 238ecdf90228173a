"""The guided tour: short lessons, each checked against what the app's own state shows.

A ``Tour`` is an ordered list of ``Lesson`` steps and the index of the one the
learner is on. Each lesson has a title, a sentence or two of science, an
instruction and a check: a function of the ``Workspace`` (and of a ``Mark`` taken
when the lesson began, so that a recall made before it does not count) that says
whether the learner has done it, and what the app shows now. ``Tour.update``
moves on when the check holds, never before.

Every number in the texts was measured on this app (the 32x32 grid, seeded
runs; the tour's tests repeat the measures the lessons rely on).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui_hopfield.model.boltzmann import to_bits
from tui_hopfield.model.network import CAPACITY
from tui_hopfield.model.recording import Recording
from tui_hopfield.model.workspace import Workspace

HOT = 1.0
"""The temperature the temperature lesson asks for: where the smiley melts."""
LOAD = 0.2
"""The load the capacity lesson asks for: past Hebb's ~0.138."""
PICTURES = 4
"""The memories the Boltzmann machine is trained on in its lesson."""
GOOD_ERROR = 0.05
"""A machine whose reconstruction error on the memories is below this has learned them."""


@dataclass(frozen=True)
class Mark:
    """What the app had done when a lesson began: its checks count only what came after."""

    recording: Recording | None = None
    """The last recall's recording then."""
    runs: int = 0
    """The Boltzmann machine's recalls and dreams that had ended then."""

    @classmethod
    def of(cls, workspace: Workspace) -> Mark:
        """The mark of ``workspace`` now."""
        recordings = workspace.recordings
        run = workspace.boltzmann_run
        return cls(recordings[-1] if recordings else None, 0 if run is None else run.number)


@dataclass(frozen=True)
class Progress:
    """What a lesson's check found."""

    done: bool
    """Whether the lesson is done."""
    now: str
    """What the app shows now, in a few words (``2 of 3 memories``)."""


Check = Callable[[Workspace, Mark], Progress]
"""A lesson's check: the workspace and the mark taken when the lesson began."""


@dataclass(frozen=True)
class Lesson:
    """One step of the tour."""

    title: str
    """A few words."""
    text: str
    """One or two sentences of science, true of what the app does."""
    instruction: str
    """What to do, with the keys."""
    check: Check
    """Whether it is done (and what the app shows now)."""


def _new_recall(workspace: Workspace, mark: Mark):
    """The last recall if it began after ``mark`` and has ended, else None."""
    outcome = workspace.last_recall
    if outcome is None or outcome.recording is mark.recording or not outcome.ended:
        return None
    return outcome


def _recall_said(workspace: Workspace, mark: Mark) -> str:
    outcome = workspace.last_recall
    if outcome is None or outcome.recording is mark.recording:
        return f"no recall yet · {workspace.state}"
    if not outcome.ended:
        return f"recalling · {outcome.rule}"
    return (
        f"{outcome.ended} · energy {outcome.start_energy:.0f} \u2192 {outcome.end_energy:.0f}"
        f" · {outcome.rule}"
    )


def _memories(workspace: Workspace, mark: Mark) -> Progress:
    count = workspace.network.count
    return Progress(count >= 3, f"{count} of 3 memories")


def _broken(workspace: Workspace, mark: Mark) -> Progress:
    return Progress(workspace.state == "broken", f"the grid: {workspace.state}")


def _downhill(workspace: Workspace, mark: Mark) -> Progress:
    outcome = _new_recall(workspace, mark)
    done = (
        outcome is not None
        and outcome.recalled is not None
        and outcome.end_energy < outcome.start_energy
    )
    return Progress(done, _recall_said(workspace, mark))


def _melting(workspace: Workspace, mark: Mark) -> Progress:
    temperature = workspace.temperature
    done = workspace.recalling and temperature >= HOT - 1e-9 and workspace.state == "melting"
    doing = "recalling" if workspace.recalling else "not recalling"
    return Progress(done, f"T = {temperature:.2f} · {doing} · {workspace.state}")


def _spurious(workspace: Workspace, mark: Mark) -> Progress:
    network = workspace.network
    outcome = _new_recall(workspace, mark)
    done = (
        network.load > CAPACITY
        and outcome is not None
        and outcome.rule == "hebbian"
        and outcome.ended.startswith("spurious")
    )
    return Progress(done, f"load {network.load:.3f} · {_recall_said(workspace, mark)}")


def _rule_recalls(*rules: str) -> Check:
    """A check: a recall under one of ``rules`` (label prefixes) ended on a memory."""

    def check(workspace: Workspace, mark: Mark) -> Progress:
        outcome = _new_recall(workspace, mark)
        done = (
            outcome is not None
            and outcome.recalled is not None
            and outcome.rule.startswith(rules)
            and workspace.network.rule.label == outcome.rule
        )
        said = _recall_said(workspace, mark)
        return Progress(done, f"rule {workspace.network.rule.label} \u00b7 {said}")

    return check


def _dense(workspace: Workspace, mark: Mark) -> Progress:
    progress = _rule_recalls("dense")(workspace, mark)
    degree = workspace.network.rule.degree
    sharp = workspace.network.rule.name == "dense" and (degree is None or degree >= 3)
    return Progress(progress.done and sharp, progress.now)


def _trained(workspace: Workspace, mark: Mark) -> Progress:
    network = workspace.network
    machine = workspace.boltzmann
    count = network.count
    if machine is None or machine.visible != network.n or not machine.history:
        return Progress(False, f"{count} memories · no machine trained yet")
    error = machine.reconstruction_error(to_bits(network.patterns)) if count else 1.0
    done = count >= PICTURES and error < GOOD_ERROR
    return Progress(
        done,
        f"{count} memories · {machine.hidden} hidden units, {len(machine.history)} epochs"
        f" · error on them {error:.4f}",
    )


def _ran(what: str) -> Callable[[Workspace, Mark], object]:
    def run(workspace: Workspace, mark: Mark):
        run = workspace.boltzmann_run
        if run is None or run.number <= mark.runs or run.what != what:
            return None
        return run if run.machine is workspace.boltzmann else None

    return run


def _dreamed(workspace: Workspace, mark: Mark) -> Progress:
    run = _ran("dream")(workspace, mark)
    if run is None:
        return Progress(False, "no dream has ended yet")
    done = run.temperature <= 1.0
    return Progress(done, f"a dream ended at T = {run.temperature:g}")


def _boltzmann_recalled(workspace: Workspace, mark: Mark) -> Progress:
    run = _ran("recall")(workspace, mark)
    if run is None:
        return Progress(False, f"no recall of the machine yet · the grid: {workspace.state}")
    verdict = run.verdict
    done = (
        run.grid_state == "broken"
        and verdict.startswith("recalled ")
        and not verdict.startswith("recalled inverse")
    )
    return Progress(done, f"from a grid {run.grid_state}: {run.verdict or 'nothing named'}")


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "Magnets and Hebb's rule",
        "Each square is a magnet (a spin), north or south, pulling on every other through"
        " a weight. Imprinting a picture adds to the weights by Hebb's rule (Hopfield 1982):"
        " magnets that agree in it pull each other to agree.",
        "Imprint three pictures: press 1, 2 and 3.",
        _memories,
    ),
    Lesson(
        "Break a picture",
        "A stored picture is a valley of the energy. b gives a random half of the magnets"
        " random values: about a quarter turn over.",
        "Show the smiley (1: only shown, it is a memory already), then press b.",
        _broken,
    ),
    Lesson(
        "Recall goes downhill",
        "Recall (async, T = 0) turns one magnet at a time to follow the pull of the others:"
        " no such flip raises the energy, so the grid slides down into a valley.",
        "Press r; watch the energy in the status bar fall until recall stops.",
        _downhill,
    ),
    Lesson(
        "Temperature",
        "At T > 0 (Glauber's rule) a magnet sometimes turns against its pull, and recall"
        " never settles. Here, with three pictures, 20 sweeps at T = 0.5 kept the smiley"
        " (overlap ~0.95); at T = 1 its overlap fell to ~0.4: it melts.",
        "] until T = 1 (or tab to the slider, page up twice); then r: wait for melting.",
        _melting,
    ),
    Lesson(
        "Capacity and spurious states",
        "Hebb's rule holds about 0.138 N random pictures (Amit, Gutfreund, Sompolinsky"
        " 1985). Past it recall falls into valleys nobody stored: at a load of 0.2 every"
        " broken smiley we tried ended in such a spurious state.",
        "t (T = 0: recall settles); o, type 0.2, enter; then 1, b and r.",
        _spurious,
    ),
    Lesson(
        "Better rules",
        "The pseudo-inverse rule (Personnaz et al. 1985) makes every stored picture a fixed"
        " point while they are linearly independent; Storkey's (1997) holds more than"
        " Hebb's too. At load 0.2 both recalled the broken smiley in all our runs.",
        "ctrl+l, rule pseudo-inverse (storkey learns slower), Apply; then 1, b, r.",
        _rule_recalls("pseudo-inverse", "storkey"),
    ),
    Lesson(
        "Dense memory",
        "Dense associative memory (Krotov and Hopfield 2016) puts higher powers of the"
        " overlaps in the energy: with n = 3 its capacity grows like N^2, not N. At load"
        " 0.2 it recalled the broken smiley in all our runs.",
        "ctrl+l, rule dense, degree x^3, Apply; then 1, b and r.",
        _dense,
    ),
    Lesson(
        "Modern Hopfield: attention",
        'The modern network (Ramsauer et al. 2020, "Hopfield Networks is All You Need")'
        " moves the state to the memories weighted by a softmax of its overlaps with them:"
        " a transformer's attention. It recalled the smiley in one step.",
        "ctrl+l, rule modern, Apply; then 1, b and r (d twice: the attention view).",
        _rule_recalls("modern"),
    ),
    Lesson(
        "Hinton's Boltzmann machine",
        "The Boltzmann machine (Ackley, Hinton, Sejnowski 1985) has the same magnets, energy"
        " and temperature, adds hidden units, and learns how likely each picture is; this"
        " one learns by contrastive divergence (Hinton 2002).",
        "ctrl+f forgets all (yes); 1, 2, 3, 4; then ctrl+k, and ctrl+r trains.",
        _trained,
    ),
    Lesson(
        "Dreams",
        "A dream samples the machine from random magnets, one Gibbs step at a time. Of 8"
        " dreams at T = 1, 2 settled on a learned picture (overlap 0.97), 6 on blends (0.3"
        " to 0.6); at T = 5 only noise (0.3 at most).",
        "On the Boltzmann screen press d (or the dream button) and watch it to its end.",
        _dreamed,
    ),
    Lesson(
        "Recall with the machine",
        "The machine's recall clamps the magnets it is given (the grid's top half) and"
        " samples the others from what it learned.",
        "escape; 1, then w (wipes the bottom half); ctrl+k and r ([ cools it if it blurs).",
        _boltzmann_recalled,
    ),
)
"""The lessons, in order."""


class Tour:
    """The lessons and where the learner is: ``update`` moves on when a check holds."""

    def __init__(self, lessons: tuple[Lesson, ...] = LESSONS) -> None:
        self.lessons = lessons
        """The lessons, in order."""
        self.index = 0
        """The lesson the learner is on; ``len(lessons)`` once the tour is done."""
        self.mark: Mark | None = None
        """What the app had done when this lesson began (None: not taken yet)."""

    @property
    def done(self) -> bool:
        """Whether every lesson is done."""
        return self.index >= len(self.lessons)

    @property
    def lesson(self) -> Lesson | None:
        """The lesson now, or None once the tour is done."""
        return None if self.done else self.lessons[self.index]

    def progress(self, workspace: Workspace) -> Progress:
        """What the current lesson's check finds now (done once the tour is)."""
        lesson = self.lesson
        if lesson is None:
            return Progress(True, "the tour is done")
        if self.mark is None:
            self.mark = Mark.of(workspace)
        return lesson.check(workspace, self.mark)

    def update(self, workspace: Workspace) -> bool:
        """Move to the next lesson if this one's check holds; return whether it moved."""
        if self.done or not self.progress(workspace).done:
            return False
        self.index += 1
        self.mark = Mark.of(workspace)
        return True

    def restart(self) -> None:
        """Back to the first lesson."""
        self.index = 0
        self.mark = None
