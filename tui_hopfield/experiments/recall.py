"""Batch recall for the basin maps and the rule race: exact asynchronous, or synchronous.

``recall_cues`` is the one entry point both experiments use; the dynamics are the
model's own batch recalls, the same the capacity sweep runs:

- ``async`` (the default): exact asynchronous dynamics at T = 0
  (``batch.recall_async``): each sweep visits every spin once in a fresh random
  order, a spin turns over when that lowers the energy (ties keep it), and a
  run ends at the first sweep that turns nothing over (a fixed point) or at the
  cap of sweeps. A test compares it with a plain loop, cue by cue.
- ``sync``: the model's batch recall (``batch.recall``): every spin at once;
  a run may end in a 2-cycle.

The modern network has no asynchronous update: it always takes its own
synchronous retrieval steps (``batch.recall(continuous=True)``), whatever the mode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tui_hopfield.model.batch import recall, recall_async
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.rules import Landscape, Rule

MODES = ("async", "sync")
"""The update modes a batch recall takes."""
BATCH = 1024
"""Cues recalled together at most."""


@dataclass(frozen=True)
class Recalled:
    """Where each cue of a batch ended."""

    states: np.ndarray
    """int8 (B, N): the final spins."""
    steps: np.ndarray
    """int (B,): sweeps (async, the last one that turned nothing over included) or steps."""
    fixed: np.ndarray
    """bool (B,): the run ended at a fixed point."""
    cycled: np.ndarray
    """bool (B,): the run ended in a 2-cycle (sync only)."""

    @property
    def cut(self) -> np.ndarray:
        """bool (B,): the run reached the step cap first."""
        return ~self.fixed & ~self.cycled


def dynamics_label(rule: Rule, mode: str) -> str:
    """What the recall does, in words, for the output: ``asynchronous (exact), T = 0``."""
    if rule.continuous:
        return "the modern network's synchronous retrieval (it has no asynchronous update)"
    if mode == "async":
        return "asynchronous (exact, random order each sweep), T = 0"
    return "synchronous (every spin at once), T = 0"


def recall_cues(
    landscape: Landscape,
    rule: Rule,
    cues: np.ndarray,
    mode: str,
    rng: np.random.Generator,
    max_steps: int = 50,
) -> Recalled:
    """Recall from each cue (B, N) of +-1 in ``mode``; ``rng`` draws the asynchronous orders."""
    if mode not in MODES:
        raise ModelError(f"the update mode is async or sync, not {mode!r}")
    parts = []
    for start in range(0, len(cues), BATCH):
        part = cues[start : start + BATCH]
        if rule.continuous or mode == "sync":
            done = recall(landscape, part, continuous=rule.continuous, max_steps=max_steps)
            parts.append(Recalled(done.states, done.steps, done.converged, done.cycled))
        else:
            done = recall_async(landscape, part, rng, max_sweeps=max_steps)
            # Its steps are the sweeps that turned a spin; here the sweep that found the
            # fixed point counts too.
            sweeps = done.steps + done.converged
            parts.append(Recalled(done.states, sweeps, done.converged, done.cycled))
    if not parts:
        empty = np.zeros(0, dtype=int)
        return Recalled(np.zeros((0, landscape.n), np.int8), empty, empty > 0, empty > 0)
    return Recalled(
        np.concatenate([p.states for p in parts]),
        np.concatenate([p.steps for p in parts]),
        np.concatenate([p.fixed for p in parts]),
        np.concatenate([p.cycled for p in parts]),
    )
