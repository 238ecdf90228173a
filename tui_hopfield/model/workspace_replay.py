"""The workspace's replay: stepping through a kept recall, and picking which one.

``ReplayMixin`` is the replay part of ``workspace.Workspace``: it moves the grid
along a recording (``recording.Cursor``) and says where it is.
"""

from __future__ import annotations

import numpy as np

from tui_hopfield.model.changes import Change
from tui_hopfield.model.recording import Cursor, Recording


class ReplayMixin:
    """Replay of the recalls the workspace keeps (a part of ``Workspace``)."""

    # -- replay ---------------------------------------------------------------

    def _end_replay(self) -> None:
        """Leave the replay; from a past point, the next edit says it starts a new branch."""
        cursor = self.replay
        self.replay = None
        if cursor is not None and cursor.position < len(cursor.recording):
            self._branch = (
                f"New branch from {cursor.recording.unit} {cursor.position} of"
                f" {len(cursor.recording)}: the recorded recall stays as it was."
            )

    @property
    def replayed(self) -> Recording | None:
        """The recording the replay and the exports act on: the one picked, else the newest."""
        if self.picked is not None and any(kept is self.picked for kept in self.recordings):
            return self.picked
        return self.recordings[-1] if self.recordings else None

    def describe_recording(self, recording: Recording) -> str:
        """``recall 3 of 5 (2 older than the newest): 251 flips, recalled smile``: where
        ``recording`` is among those kept, how long it is and how it ended."""
        kept = list(self.recordings)
        number = next(k for k, other in enumerate(kept) if other is recording) + 1
        older = len(kept) - number
        age = "the newest" if not older else f"{older} older than the newest"
        ended = f", {recording.state}" if recording.state else ""
        return f"recall {number} of {len(kept)} ({age}): {len(recording)} {recording.unit}s{ended}"

    def pick_recording(self, step: int = 1) -> Change:
        """Pick the next older kept recording (``step`` -1: newer), cycling, to replay and export.

        Its replay starts at its end, the grid as it ended there; one that ran on
        other memories or another rule is picked for the exports only, the grid stays.
        """
        current = self.replayed
        if current is None:
            return Change(state=self.state, message="Nothing to replay: recall first (r).")
        kept = list(self.recordings)
        index = next(k for k, other in enumerate(kept) if other is current)
        return self.pick_recording_at((index - step) % len(kept))

    def pick_recording_at(self, index: int) -> Change:
        """Pick kept recording ``index`` (0: the oldest) to replay and export (as
        ``pick_recording``)."""
        kept = list(self.recordings)
        if not 0 <= index < len(kept):
            return Change(state=self.state, message="That recall is no longer kept.")
        if self.recalling:
            self.stop_recall()
        recording = kept[index]
        self.picked = None if recording is kept[-1] else recording
        what = f"Picked {self.describe_recording(recording)}."
        if recording.revision != self.network.revision or recording.n != self.network.n:
            self._end_replay()
            message = f"{what} It ran on other memories or another rule: it exports, not replays."
            return Change(state=self.state, message=self._branched(message))
        self._end_replay()
        self._branch = None  # the grid goes to the recall picked: no edit from a past point
        self.replay = Cursor(recording, len(recording))
        change = self._show_replay(self.replay)
        return Change(change.changed, change.state, f"{what} The replay keys and exports use it.")

    def replay_move(self, steps: int = 0, marks: int = 0) -> Change:
        """Move the grid ``steps`` positions along the recall replayed, or ``marks`` sweeps
        (steps): the last recall, or the one picked (``pick_recording``).

        The first move starts the replay at the recall's end. The grid, the energy
        and the overlaps are those recorded at the new position.
        """
        recording = self.replayed
        if recording is None:
            return Change(state=self.state, message="Nothing to replay: recall first (r).")
        if self.recalling:
            self.stop_recall()
        if recording.revision != self.network.revision or recording.n != self.network.n:
            self.replay = None
            message = "The memories or the rule changed since the last recall: recall again."
            return Change(state=self.state, message=message)
        cursor = self.replay
        if cursor is None or cursor.recording is not recording:
            if not np.array_equal(self.network.state, recording.grid_at(len(recording))):
                message = "The grid changed since the last recall: recall again to replay."
                return Change(state=self.state, message=message)
            cursor = self.replay = Cursor(recording, len(recording))
        if marks:
            stops = recording.marks()
            here = cursor.position
            if marks > 0:
                later = [mark for mark in stops if mark > here]
                target = later[min(marks, len(later)) - 1] if later else here
            else:
                earlier = [mark for mark in stops if mark < here]
                target = earlier[max(marks, -len(earlier))] if earlier else here
        else:
            target = min(max(cursor.position + steps, 0), len(recording))
        if abs(target - cursor.position) == 1:
            cursor.forward() if target > cursor.position else cursor.back()
        else:
            cursor.seek(target)
        return self._show_replay(cursor)

    def _show_replay(self, cursor: Cursor) -> Change:
        """Put the grid, the energy and the state where ``cursor`` is in its recording."""
        recording = cursor.recording
        before = self.network.state.copy()
        self.network.set_state(cursor.state)
        self._energy = cursor.energy if recording.mode == "modern" else None
        self.name_state("drawing")
        self.state = f"replay {cursor.position}/{len(recording)} \u00b7 {self.state}"
        return Change(np.flatnonzero(before != self.network.state), self.state)
