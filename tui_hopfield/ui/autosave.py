"""Periodic autosave: every few minutes, an unsaved session goes to the autosave file.

The file is the one quitting writes and ``tui-hopfield --resume`` opens
(``HopfieldApp.autosave_target``: ``<data folder>/autosave.hopfield``, or a
numbered one beside it when another instance wrote that one). It is written
atomically (``store.save``), never on the user's own session file, and only
when the app autosaves at all (not with ``--no-autosave``). The session is
copied on the event loop when that is quick and written in a thread worker; a
large one is copied and written as a job, like a save.
"""

from __future__ import annotations

import threading
from pathlib import Path

from textual import work

from tui_hopfield.model.changes import SavePoint
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.store import Session, save
from tui_hopfield.ui.jobs import Steps, lower_priority

AUTOSAVE_SECONDS = 180.0
"""Seconds between two periodic autosaves (while the session is unsaved)."""
AUTOSAVE_COPY_BYTES = 16 * 2**20
"""Patterns copied on the event loop at most (a few ms); a larger session is copied in a job."""
WRITING = threading.Lock()
"""Held while an autosave is written: the autosave at quit waits for a periodic one, so an
older session never lands over it."""


def _same_file(a: Path, b: Path | None) -> bool:
    if b is None:
        return False
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


class PeriodicAutosave:
    """A mixin for the main screen: ``start_autosave`` on mount, then ``autosave_now`` ticks."""

    _autosaved: SavePoint | None = None
    _autosave_running = False

    def start_autosave(self, seconds: float | None = None) -> None:
        """Autosave every ``seconds`` (default ``AUTOSAVE_SECONDS``) while unsaved."""
        interval = AUTOSAVE_SECONDS if seconds is None else seconds
        self.set_interval(interval, self.autosave_now, name="autosave")

    def autosave_now(self) -> bool:
        """Write the autosave now if the session changed since the last one; return whether.

        Nothing is written when the app does not autosave, when the session is
        saved (or was autosaved as it is), while a job works on the memories,
        or when the autosave would be the session's own file.
        """
        app = self.app
        workspace = self.workspace
        if not getattr(app, "autosave", False) or self._autosave_running:
            return False
        point = workspace.save_point()
        if not workspace.unsaved or point == self._autosaved or self._job is not None:
            return False
        target = app.autosave_target()
        if _same_file(target, workspace.path):
            return False
        network = workspace.network
        if network.patterns.nbytes <= AUTOSAVE_COPY_BYTES:
            self._autosave_running = True
            self._write_autosave(workspace.session(), target, point)
            return True

        def copy_and_write(steps: Steps) -> Path:
            steps.phase("copying", measured=False)
            session = Session.of(network, point.temperature, point.mode)
            steps.phase("writing")
            with WRITING:
                return save(session, target, steps.report, steps.cancelled)

        self._start_job(
            "save",
            f"autosaving {target.name}",
            copy_and_write,
            lambda written: self._autosaved_to(written, point),
            "Not autosaved",
        )
        return True

    @work(thread=True, group="autosave", exit_on_error=False)
    def _write_autosave(self, session: Session, target: Path, point: SavePoint) -> None:
        lower_priority()
        try:
            with WRITING:  # released before the event loop is called: it may wait for it
                written = save(session, target)
        except (ModelError, OSError) as error:
            self._from_thread(self._autosave_failed, error)
            return
        self._from_thread(self._autosaved_to, written, point)

    def _autosaved_to(self, written: Path, point: SavePoint) -> None:
        self._autosave_running = False
        self._autosaved = point
        self.app.autosaved(written)
        self.notify(f"Autosaved to {written}.", timeout=2)

    def _autosave_failed(self, error: Exception) -> None:
        self._autosave_running = False
        self.notify(str(error) or type(error).__name__, title="Not autosaved", severity="warning")
