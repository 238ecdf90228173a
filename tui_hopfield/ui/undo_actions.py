"""Undo and redo on the main screen: the workspace's history, heavy re-learning in a worker."""

from __future__ import annotations

from tui_hopfield.model import Network
from tui_hopfield.ui.jobs import Steps
from tui_hopfield.ui.memory_actions import BACKGROUND_COST


class UndoActions:
    """A mixin for the main screen: ``u`` / ``ctrl+z`` undo, ``ctrl+y`` redo.

    A recall running is stopped first: what it changed is the step undone
    first (the grid as it was before it). While a job works on a copy of the
    memories, undo waits (it says so). A step whose undo must learn the
    memories again at a cost past ``BACKGROUND_COST`` (Storkey's rule or the
    pseudo-inverse on a large grid) is made on a copy in a worker, which
    learns it; the workspace then makes it and takes the copy's landscape.
    """

    def action_undo(self) -> None:
        """Take back the last edit."""
        self._take_step(redo=False)

    def action_redo(self) -> None:
        """Make the last edit undone again."""
        self._take_step(redo=True)

    def _take_step(self, redo: bool) -> None:
        if self._refused("Redoing" if redo else "Undoing"):
            return
        self._stop_recall()
        workspace = self.workspace
        step = workspace.peek(redo)
        network = workspace.network
        if step is None or step.learning_cost(network) <= BACKGROUND_COST:
            self._stepped(workspace.redo() if redo else workspace.undo())
            return
        verb, past = ("redoing", "redone") if redo else ("undoing", "undone")

        def work(steps: Steps) -> Network:
            steps.phase("copying", measured=False)
            copy = network.copy()
            workspace.preview(copy, redo, step)
            steps.phase("learning", measured=copy.rule.name == "storkey")
            copy.prepare(steps.report, steps.cancelled)
            return copy

        def done(learned: Network) -> None:
            self._stop_recall()  # as an undo does: what it changed is a step of its own
            if (
                workspace.network is not network
                or network.revision != job.revision
                or workspace.peek(redo) is not step
            ):
                self.notify(
                    f"The session changed meanwhile: {step.label} was not {past}.",
                    title="Not done",
                    severity="warning",
                )
                return
            self._stepped(workspace.redo(learned) if redo else workspace.undo(learned))

        job = self._start_job("undo", f"{verb} {step.label}", work, done, "Not done")

    def _stepped(self, change) -> None:
        """Show what an undo or redo did: the whole grid, the memories, the learning."""
        self._apply(change)
        values = self.network.values
        if values is not None:
            self.grid.show_values(values)
