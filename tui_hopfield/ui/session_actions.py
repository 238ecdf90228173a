"""Sessions and pictures on disk: save, open, export, and the questions before them."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tui_hopfield.model import ModelError, Network, Verdict, classify
from tui_hopfield.model.changes import count_memories
from tui_hopfield.model.names import safe_slug
from tui_hopfield.model.paths import export_dir, free_path, new_session_path, sessions_dir
from tui_hopfield.model.picture_export import RGB, export_picture, export_scale
from tui_hopfield.model.store import SUFFIX, Session, load, save
from tui_hopfield.ui.jobs import Job, Steps
from tui_hopfield.ui.prompts import ConfirmPrompt, PathPrompt, UnsavedPrompt


class SessionActions:
    """A mixin for the main screen: saving and opening run as jobs, on copies."""

    @property
    def session_path(self) -> Path | None:
        """Where the session was last saved or opened from."""
        return self.workspace.path

    @session_path.setter
    def session_path(self, path: Path | None) -> None:
        self.workspace.path = path

    def _confirm_overwrite(self, path: Path, then: Callable[[], None]) -> None:
        """Run ``then``, asking first when ``path`` is a file that would be replaced."""
        if not path.is_file() or path == self.session_path:
            then()
            return
        self.app.push_screen(
            ConfirmPrompt(f"{path.name} exists. Replace it?", str(path), "Replace"),
            lambda yes: then() if yes else None,
        )

    def action_save(self) -> None:
        """Save the whole session (memories, grid, settings) to a file."""
        self.action_save_then(lambda: None)

    def action_save_then(self, after: Callable[[], None]) -> None:
        """Ask where to save, save (in a worker), and on success call ``after``."""
        if self._refused("Saving"):
            return

        def save_and_continue(path: Path | None) -> None:
            if path is None:
                return
            if path.suffix == "" and not path.is_dir():
                path = path.with_suffix(SUFFIX)
            self._confirm_overwrite(path, lambda: self.save_to(path, after))

        default = self.session_path or new_session_path()
        self.app.push_screen(
            PathPrompt("Save the session as", default, suffixes=(SUFFIX,)), save_and_continue
        )

    def save_to(self, path: Path | None, then: Callable[[], None] | None = None) -> Job | None:
        """Save the session to ``path`` in a worker and say how it went.

        On success the session counts as saved (as it was when the save
        started) and ``then`` is called; a failure or a cancel leaves the file
        and the unsaved flag as they were. Return the job, or None when nothing
        was started.
        """
        if path is None or self._refused("Saving"):
            return None
        if path.suffix == "" and not path.is_dir():
            path = path.with_suffix(SUFFIX)
        workspace = self.workspace
        point = workspace.save_point()
        network, temperature, mode = point.network, point.temperature, point.mode
        machine = workspace.boltzmann  # replaced when trained again, never changed

        def work(steps: Steps) -> Path:
            steps.phase("copying", measured=False)
            session = Session.of(network, temperature, mode)
            if machine is not None and machine.visible == network.n:
                session.boltzmann = machine
            steps.phase("writing")
            return save(session, path, steps.report, steps.cancelled)

        def done(written: Path) -> None:
            if workspace.network is network and network.revision == point.revision:
                workspace.mark_saved(point)
                workspace.path = written
            self.notify(f"Saved {count_memories(network.count)} to {written}.", timeout=4)
            if then is not None:
                then()

        return self._start_job("save", f"saving {path.name}", work, done, "Not saved")

    def confirm_unsaved(self, note: str, go: str, then: Callable[[], None]) -> None:
        """Run ``then`` now, or, with changes never saved, after asking: save, go or cancel.

        ``note`` says what going on does to them; ``go`` labels its button.
        """
        if not self.unsaved:
            then()
            return

        workspace = self.workspace

        def answered(choice: str | None) -> None:
            if choice == "go":
                then()
            elif choice == "save":
                self.action_save_then(then)

        self.app.push_screen(
            UnsavedPrompt(workspace.network.count, note, go, workspace.unsaved_title()), answered
        )

    def action_open(self) -> None:
        """Open a saved session in place of this one (asking first if it was never saved)."""
        if self._refused("Opening a session"):
            return
        self.confirm_unsaved(
            "Opening another session replaces them.", "Open anyway", self._ask_what_to_open
        )

    def _ask_what_to_open(self) -> None:
        folder = self.session_path.parent if self.session_path else sessions_dir()
        self.app.push_screen(
            PathPrompt("Open the session", f"{folder}/", suffixes=(SUFFIX,)), self.open_from
        )

    def open_from(self, path: Path | None) -> Job | None:
        """Open the session at ``path`` in a worker; a bad file changes nothing and says why.

        Reading, checking, building the network and learning its landscape all
        happen away from the event loop; the new network is shown only when
        it is whole. Return the job, or None when nothing was started.
        """
        if path is None or self._refused("Opening a session"):
            return None

        def work(steps: Steps) -> tuple[Session, Network, Verdict]:
            steps.phase("reading", measured=False)
            session = load(path)
            steps.phase("building")
            network = session.network(steps.report, steps.cancelled)
            steps.phase("learning", measured=network.rule.name == "storkey")
            network.prepare(steps.report, steps.cancelled)
            return session, network, classify(network)

        def done(opened: tuple[Session, Network, Verdict]) -> None:
            session, network, verdict = opened
            self._stop_recall()
            self._replaced(self.workspace.open(session, network, path, verdict))
            self.notify(f"Opened {path}: {count_memories(network.count)}.", timeout=4)

        return self._start_job("open", f"opening {path.name}", work, done, "Not opened")

    def action_export(self, index: int = -1) -> None:
        """Export the grid (``index`` -1) or memory ``index`` as a PNG, as it is seen:
        in the magnets' colours, each magnet a square (``picture_export``).

        The default is ``<name>.png`` in the current folder (the pictures folder
        when that cannot be written), numbered when taken; a folder typed gets
        that name inside it. The colours are those shown when ``e`` is pressed.
        """
        network = self.workspace.network
        if index >= network.count:
            return
        stem = "grid" if index < 0 else network.names[index]
        if index < 0:
            shown = self.grid.values  # the modern rule's values, while the grid shows them
            values = network.grid().copy() if shown is None else shown
        else:
            values = network.memory(index).pattern
        north, south = self.magnet_colours()
        # A file name from a name: a slug, inside the folder (never ../ or a path of its own).
        folder = export_dir()
        default = free_path(folder / f"{safe_slug(stem)}.png")

        def export_to(path: Path | None) -> None:
            if path is None:
                return
            if path.is_dir():
                path = path / default.name
            elif path.suffix.lower() != ".png":
                path = path.with_name(path.name + ".png")
            make = path.parent == folder  # the pictures folder may not exist yet
            self._confirm_overwrite(
                path, lambda: self._export(values, (north, south), stem, path, make)
            )

        self.app.push_screen(PathPrompt(f"Export {stem} as PNG", default), export_to)

    def magnet_colours(self) -> tuple[RGB, RGB]:
        """The (north, south) colours the grid shows, as RGB."""
        north = self.grid.get_component_styles("spin-grid--north").color
        south = self.grid.get_component_styles("spin-grid--south").color
        return north.rgb, south.rgb

    def _export(
        self, values: np.ndarray, colours: tuple[RGB, RGB], stem: str, path: Path, make: bool
    ) -> None:
        try:
            written = export_picture(values, path, *colours, make_folders=make)
        except ModelError as error:
            self.notify(str(error), title="Not exported", severity="error")
            return
        rows, cols = np.shape(values)
        scale = export_scale(rows, cols)
        self.notify(
            f"Exported {stem} ({cols * scale}x{rows * scale} px) to {os.path.abspath(written)}",
            timeout=6,
        )
