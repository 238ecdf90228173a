"""Replay on screen: step along the last recall a flip or a sweep at a time, export it
as a GIF, or replay it on screen into an asciicast (``recall.cast``)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from time import monotonic

from textual import work
from textual.color import Color, ColorParseError

from tui_hopfield.model.asciicast import MAX_FRAMES as CAST_FRAMES
from tui_hopfield.model.asciicast import frame_times, write_cast
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.recording import Recording
from tui_hopfield.model.replay_export import NORTH, SOUTH, sampled_positions, write_gif
from tui_hopfield.ui.screen_export import current_folder, free_name, screen_update, update_text

FPS = 30
"""Frames a second at most while a replay plays."""
GIF_STEM = "recall"
"""The exported GIF is ``recall.gif`` in the current folder, or ``recall-2.gif``... if taken;
the asciicast ``recall.cast``."""


class CastLeft(ModelError):
    """The replay an asciicast was being made of was left (an edit, a recall): no file."""


class ReplayActions:
    """A mixin for the main screen: the timeline of the last recall, and its GIF.

    ``,`` and ``.`` step back and on by one flip (one step of a synchronous
    recall), ``<`` and ``>`` by a sweep; the workspace moves the grid there
    (``Workspace.replay_move``) and the grid, the energy, the overlaps and the
    state follow. A recall running is stopped first. ``;`` plays the recording on
    from where it is (from the start, at its end) at the recall speed, and pauses it.
    """

    @property
    def replaying(self) -> bool:
        """Whether a replay is playing."""
        return any(worker.group == "replay" and not worker.is_finished for worker in self.workers)

    def action_replay(self, steps: int) -> None:
        """Move ``steps`` positions along the last recall (negative: back)."""
        self._stop_recall()
        self.workers.cancel_group(self, "replay")
        self._apply(self.workspace.replay_move(steps))

    def action_replay_sweep(self, sweeps: int) -> None:
        """Move ``sweeps`` sweeps (steps, for a synchronous recall) along the last recall."""
        self._stop_recall()
        self.workers.cancel_group(self, "replay")
        self._apply(self.workspace.replay_move(marks=sweeps))

    def action_replay_play(self) -> None:
        """Play the last recall on from here at the recall speed, or pause the one playing."""
        if self.replaying:
            self.workers.cancel_group(self, "replay")
            return
        self._stop_recall()
        workspace = self.workspace
        change = workspace.replay_move(0)
        cursor = workspace.replay
        if cursor is None:
            self._apply(change)
            return
        if cursor.position == len(cursor.recording):
            change = workspace.replay_move(-cursor.position)  # at the end: play it again
        self._apply(change)
        self._play(cursor)

    @work(exclusive=True, group="replay")
    async def _play(self, cursor) -> None:
        """Move ``cursor`` on, ``speed`` positions a second (instant: to the end at once)."""
        workspace = self.workspace
        credit = 0.0
        last = monotonic()
        while workspace.replay is cursor and cursor.position < len(cursor.recording):
            await asyncio.sleep(1 / FPS)
            now = monotonic()
            speed = workspace.speed
            if speed == 0:
                steps = len(cursor.recording) - cursor.position
            else:
                credit = min(credit + speed * (now - last), max(1.0, speed / FPS * 2))
                steps = int(credit)
                credit -= steps
            last = now
            if steps and workspace.replay is cursor:
                self._apply(workspace.replay_move(steps))

    def action_replay_pick(self) -> None:
        """Pick the next older kept recall (cycling) for the replay keys and the exports."""
        self._stop_recall()
        self.workers.cancel_group(self, "replay")
        self._apply(self.workspace.pick_recording())

    def recall_names(self) -> list[str]:
        """``recall 2 of 5 (3 older than the newest): 251 flips, recalled smile`` for each
        recall kept, the oldest first (the command palette's)."""
        workspace = self.workspace
        return [workspace.describe_recording(recording) for recording in workspace.recordings]

    def action_replay_pick_at(self, index: int) -> None:
        """Pick kept recall ``index`` (0: the oldest) for the replay keys and the exports."""
        self._stop_recall()
        self.workers.cancel_group(self, "replay")
        self._apply(self.workspace.pick_recording_at(index))

    def action_export_recall(self) -> None:
        """Write the recall (the last, or the one picked) as an animated GIF in the current
        folder; name the file."""
        if self.workspace.replayed is None:
            self.notify("Nothing to export: recall first (r).", title="No recall")
            return
        if self.recalling:
            self._stop_recall()
            self._apply(self.workspace.stopped())
        recording = self.workspace.replayed
        try:
            path = free_name(current_folder(), GIF_STEM, ".gif")
        except ModelError as error:
            self.notify(str(error), title="Not exported", severity="error")
            return
        self._write_recall_gif(recording, path, self._magnet_colour("north", NORTH),
                               self._magnet_colour("south", SOUTH))  # fmt: skip

    def _magnet_colour(self, pole: str, default: tuple[int, int, int]) -> tuple[int, int, int]:
        """The theme's colour of ``pole`` (``$magnet-north``), as the grid shows it."""
        try:
            return Color.parse(self.app.get_css_variables()[f"magnet-{pole}"]).rgb
        except (KeyError, ColorParseError):
            return default

    @work(thread=True, exclusive=True, group="export-recall")
    def _write_recall_gif(
        self,
        recording: Recording,
        path: Path,
        north: tuple[int, int, int],
        south: tuple[int, int, int],
    ) -> None:
        """Write the GIF in a thread (a large grid takes a second); say where it went."""
        try:
            written = write_gif(recording, path, north=north, south=south)
        except ModelError as error:
            self.app.call_from_thread(
                self.notify, str(error), title="Not exported", severity="error"
            )
            return
        self.app.call_from_thread(
            self.notify, f"Exported the recall to {written}.", title="GIF", timeout=6
        )

    # -- the asciicast: the screen itself, replayed ------------------------------

    def action_export_cast(self) -> None:
        """Replay the recall on screen into ``recall.cast`` in the current folder; name it."""
        if self.workspace.replayed is None:
            self.notify("Nothing to export: recall first (r).", title="No recall")
            return
        if self.recalling:
            self._stop_recall()
            self._apply(self.workspace.stopped())
        try:
            path = free_name(current_folder(), GIF_STEM, ".cast")
        except ModelError as error:
            self.notify(str(error), title="Not exported", severity="error")
            return
        self.workers.cancel_group(self, "replay")
        self._cast_worker(path)

    @work(exclusive=True, group="replay")
    async def _cast_worker(self, path: Path) -> None:
        """Make the cast (a replay key or an edit stops it: no file); say where it went."""
        try:
            written = await self.record_cast(path)
        except ModelError as error:
            self.notify(str(error), title="No asciicast", severity="error")
            return
        except asyncio.CancelledError:
            self.notify("The replay was stopped: no asciicast written.", title="No asciicast")
            raise
        self.notify(f"Exported the recall's replay to {written}.", title="asciicast", timeout=6)

    async def record_cast(self, path: Path, max_frames: int = CAST_FRAMES) -> Path:
        """Replay the recall on screen from its start, the screen's text at each of at most
        ``max_frames`` sampled positions timed at the recall speed; write it as an asciicast.

        Each frame waits for the screen to be repainted, then is taken from Textual's own
        render of it (``screen_update``); the text is made and written in a thread.
        """
        workspace = self.workspace
        recording = workspace.replayed
        if recording is None:
            raise CastLeft("Nothing to export: recall first (r).")
        change = workspace.replay_move(0)  # the replay starts, or says why it cannot
        cursor = workspace.replay
        self._apply(change)
        if cursor is None or cursor.recording is not recording:
            raise CastLeft(change.message or "This recall cannot be replayed on this grid.")
        positions = sampled_positions(len(recording), max_frames)
        times = frame_times(positions, workspace.speed)
        shots = []
        for position in positions:
            if workspace.replay is not cursor:
                raise CastLeft("The replay was left (an edit or a recall): no asciicast written.")
            self._apply(workspace.replay_move(position - cursor.position))
            await self._repainted()
            shots.append((screen_update(self.app), *self.app.size))
        title = f"tui-hopfield: {recording.state or 'a recall'}"

        def write() -> Path:
            events = [(t, update_text(*shot)) for t, shot in zip(times, shots, strict=True)]
            width, height = self.app.size
            return write_cast(path, width, height, events, title)

        return await asyncio.to_thread(write)

    async def _repainted(self) -> None:
        """Wait until the screen has been repainted with what was just changed."""
        done = asyncio.get_running_loop().create_future()
        self.call_after_refresh(lambda: done.done() or done.set_result(None))
        await done
