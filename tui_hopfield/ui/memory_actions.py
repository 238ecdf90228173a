"""Imprinting and forgetting: pictures, drawings, image files, words, the memory menu."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.picture_prompt import PicturePrompt
from tui_hopfield.ui.prompts import ConfirmPrompt
from tui_hopfield.ui.text_prompt import TextPrompt


class MemoryActions:
    """A mixin for the main screen: every edit of the memories, through the workspace.

    Imprinting while a job works on a copy of the memories only shows the
    picture (``store=False``), after saying why.
    """

    def action_picture(self, k: int) -> None:
        """Show built-in picture ``k`` on the grid and imprint it."""
        if k >= len(self.pictures):
            return
        self._stop_recall()
        self._apply(self.workspace.picture(k, store=not self._refused("Imprinting")))

    def action_imprint_drawing(self) -> None:
        """Imprint whatever is on the grid as a new memory."""
        self._stop_recall()
        self._apply(self.workspace.imprint_drawing(store=not self._refused("Imprinting")))

    def action_open_picture(self) -> None:
        """Imprint any image file, after a preview and a choice of threshold."""
        self._stop_recall()
        folder = self.session_path.parent if self.session_path else Path.cwd()
        self.app.push_screen(
            PicturePrompt(self.network.rows, self.network.cols, folder), self._imprint_chosen
        )

    def action_type_text(self) -> None:
        """Imprint a word or a short sentence, drawn with a font."""
        self._stop_recall()
        self.app.push_screen(TextPrompt(self.network.rows, self.network.cols), self._imprint_chosen)

    def _imprint_chosen(self, chosen: tuple[np.ndarray, str] | None) -> None:
        if chosen is None:
            return
        spins, name = chosen
        self._stop_recall()
        store = not self._refused("Imprinting")
        self._apply(self.workspace.imprint(spins, name, show=True, store=store))

    def action_lab(self) -> None:
        """Open the lab: the capacity and letting-go experiments, with plots."""
        from tui_hopfield.ui.lab_screen import LabScreen

        self._stop_recall()
        self.app.push_screen(LabScreen(seed=int(self.rng.integers(2**31))))

    def action_forget_all(self) -> None:
        """Remove every memory (the grid stays as it is), after asking."""
        count = self.network.count
        if not count:
            self.notify("There are no memories to forget.", timeout=3)
            return
        if self._refused("Forgetting"):
            return

        def forget(yes: bool | None) -> None:
            if not yes or self._refused("Forgetting"):
                return
            self._edit(self.workspace.forget_all)

        self.app.push_screen(
            ConfirmPrompt(
                f"Forget all {count} memories?",
                "The grid stays as it is; a saved session keeps its copy.",
                "Forget all",
            ),
            forget,
        )

    def _edit_memory(self, message: MemoryList.Action) -> None:
        """Reinforce, forget, rename or show one memory, as chosen in the memory panel."""
        workspace = self.workspace
        index = message.index
        if not workspace.holds(index, message.memory):
            self.notify("That memory changed meanwhile: nothing done.", severity="warning")
            return
        name = self.network.names[index]
        if message.action != "show" and self._refused(f"{message.action.capitalize()} {name}"):
            return
        if message.action == "reinforce":
            change = workspace.reinforce(index, message.times)
        elif message.action == "rename":
            change = workspace.rename(index, message.name)
        elif message.action in ("forget", "show"):
            self._stop_recall()
            edit = workspace.forget if message.action == "forget" else workspace.show
            change = edit(index)
        else:
            return
        self._apply(change)
