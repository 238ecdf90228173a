"""What the workspace hands a screen: a ``Change`` per edit, a ``Snapshot`` of the numbers.

Also the settings' ranges (speeds, temperature steps, modes) and the small
words of the status line, shared by the workspace and the UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from tui_hopfield.model.dynamics import MAX_TEMPERATURE
from tui_hopfield.model.network import Network

Severity = Literal["information", "warning", "error"]

SPEEDS = (1, 3, 10, 30, 100, 300, 1000, 0)
"""Recall speeds in flips per second; 0 is instant (as fast as frames allow)."""
DEFAULT_SPEED = 4
"""Index into ``SPEEDS`` of the speed at start (100 flips per second)."""
TEMPERATURE_STEP = 0.05
"""Temperatures are kept on steps of this size (the slider's)."""
MODES = ("async", "sync")
"""Update modes: one spin at a time, or the whole grid at once."""
NOTHING = np.empty(0, dtype=np.intp)
NOTHING.flags.writeable = False
"""No spin changed."""


@dataclass(frozen=True, eq=False)
class Change:
    """What one edit did: the spins it changed, the state it left, what to tell the user."""

    changed: np.ndarray | None = field(default_factory=lambda: NOTHING)
    """Flat indices of the spins that changed (None: any of them may have)."""
    state: str = ""
    """The named state after the edit."""
    message: str | None = None
    """What to tell the user, if anything."""
    title: str = ""
    """The message's title."""
    severity: Severity = "information"
    """How the message is shown."""
    timeout: float | None = None
    """Seconds the message stays (None: the default)."""


@dataclass(frozen=True)
class Snapshot:
    """The numbers a screen shows, taken at one moment."""

    memories: int = 0
    """How many memories are stored."""
    energy: float = 0.0
    """The energy of the grid (the modern network's own energy after its retrieval)."""
    state: str = "empty"
    """The named state: empty, drawing, broken, recalling, recalled <name>..."""
    load: float = 0.0
    """The load P / N."""
    temperature: float = 0.0
    """The temperature of recall."""
    temperature_limit: float = 2.0
    """The slider's end: past the melting point of the strongest memory (``melting``)."""
    temperature_note: str = ""
    """What the temperature does under this rule with these memories (the slider's tooltip)."""
    has_temperature: bool = True
    """Whether recall feels the temperature (the modern network's does not)."""
    mode: str = "async"
    """The update mode: ``async`` or ``sync``."""
    rule: str = "hebbian"
    """The learning rule's label."""
    speed: int = DEFAULT_SPEED
    """The recall speed, an index into ``SPEEDS``."""
    job: str = ""
    """The heavy work running and how far it is (empty: none)."""
    learning: str = "hebbian \u00b7 async"
    """The rule, the mode and the plasticity settings: ``hebbian · async · decay 0.9``."""
    over_capacity: bool = False
    """Whether the load counted by strength (``effective_load``) is past the classic
    capacity of a rule that has it (Hebb's)."""
    effective_load: float = 0.0
    """The load counted by strength (``Network.effective_load``): P / N when every
    memory is as strong as the strongest, less when some have faded."""
    pinned: int = 0
    """How many magnets are pinned (recall keeps them)."""


@dataclass(frozen=True)
class SavePoint:
    """What a saved session holds that the unsaved flag compares: memories and settings."""

    network: Network
    revision: int
    mode: str
    temperature: float
    decay: float
    use_boost: float


def clamp_temperature(value: float, limit: float = MAX_TEMPERATURE) -> float:
    """``value`` brought into 0 .. ``limit`` (at most ``MAX_TEMPERATURE``) and onto a step."""
    value = min(max(float(value), 0.0), limit, MAX_TEMPERATURE)
    return round(round(value / TEMPERATURE_STEP) * TEMPERATURE_STEP, 10)


def speed_label(speed: int) -> str:
    """``100 flips/s`` or ``instant``."""
    if not speed:
        return "instant"
    return f"{speed} flip{'s' if speed != 1 else ''}/s"


def step_seconds(speed: int) -> float:
    """How long one synchronous or modern step stays on screen at a recall speed."""
    return 0.0 if speed == 0 else min(1.0, 30 / speed)


def plural(count: int, word: str, many: str = "") -> str:
    """``1 flip``, ``3 flips``; ``many`` is the plural when not ``word`` + s (``memories``)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def count_memories(count: int) -> str:
    """``1 memory``, ``3 memories``."""
    return plural(count, "memory", "memories")
