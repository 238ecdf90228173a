"""Imprinting and forgetting: pictures, drawings, image files, words, the memory menu."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tui_hopfield.model import Network
from tui_hopfield.ui.jobs import Steps
from tui_hopfield.ui.memory_list import MemoryList
from tui_hopfield.ui.picture_prompt import PicturePrompt
from tui_hopfield.ui.prompts import ConfirmPrompt
from tui_hopfield.ui.text_prompt import TextPrompt

LAB_NOTICE_SECONDS = 0.1
"""How long "Opening the lab…" is on screen before the lab's first build (which holds the
event loop for a second or so) begins."""
BACKGROUND_COST = 2e7
"""Multiply-adds of learning past which an edit of the memories learns in a worker
(about 50 ms on a laptop's core)."""


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
        """Open the lab: capacity, letting go, basin maps, the rule race and the phase diagram."""
        from tui_hopfield.ui.lab_phase import Here
        from tui_hopfield.ui.lab_screen import LAB, open_lab

        self._stop_recall()
        network = self.network
        strongest = float(network.strengths.max()) if network.count else 1.0
        here = Here.of(
            network.effective_load, self.workspace.temperature, network.rule.label, strongest
        )
        seed = int(self.rng.integers(2**31))
        if self.app.is_screen_installed(LAB):
            open_lab(self.app, seed=seed, here=here)  # the same lab
            return
        # Its first opening builds about 300 widgets (a second or so): say so, and start
        # once the message is on screen (a few frames later).
        self.notify("Opening the lab\u2026", timeout=3)
        self.set_timer(LAB_NOTICE_SECONDS, lambda: open_lab(self.app, seed, here))

    def action_boltzmann(self) -> None:
        """Open the Boltzmann machine's screen: train it on the memories, recall, dream."""
        from tui_hopfield.ui.boltzmann_screen import open_boltzmann

        self._stop_recall()
        open_boltzmann(self, self.workspace, seed=int(self.rng.integers(2**31)))

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
                "Forget the only memory?" if count == 1 else f"Forget all {count} memories?",
                "The grid stays as it is; a saved session keeps its copy.",
                "Forget all",
            ),
            forget,
        )

    def _edit_memory(self, message: MemoryList.Action) -> None:
        """Reinforce, forget, rename or show one memory, as chosen in the memory panel.

        Forgetting asks first, naming the memory.
        """
        if message.action != "forget":
            self._edit_memory_now(message)
            return
        if not self.workspace.holds(message.index, message.memory):
            self.notify("That memory changed meanwhile: nothing done.", severity="warning")
            return
        name = self.network.names[message.index]
        if self._refused(f"Forget {name}"):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._edit_memory_now(message)  # checks again that it is still there

        self.app.push_screen(
            ConfirmPrompt(
                f"Forget {name}?",
                "Its valley goes from the landscape; the other memories stay.",
                "Forget",
            ),
            answered,
        )

    def _edit_memory_now(self, message: MemoryList.Action) -> None:
        """Make the edit of one memory chosen in the panel (forget: already confirmed)."""
        workspace = self.workspace
        index = message.index
        if not workspace.holds(index, message.memory):
            self.notify("That memory changed meanwhile: nothing done.", severity="warning")
            return
        name = self.network.names[index]
        if message.action != "show" and self._refused(f"{message.action.capitalize()} {name}"):
            return
        if message.action in ("reinforce", "forget") and self._learns_long(index):
            self._edit_then_learn(index, message)
            return
        if message.action == "reinforce":
            change = workspace.reinforce(index, message.times)
        elif message.action == "rename":
            change = workspace.rename(index, message.name)
        elif message.action == "link":
            change = workspace.link(index, message.target, message.strength)
        elif message.action in ("forget", "show"):
            self._stop_recall()
            edit = workspace.forget if message.action == "forget" else workspace.show
            change = edit(index)
        else:
            return
        self._apply(change)

    def _learns_long(self, index: int) -> bool:
        """Whether learning the memories again after an edit of one takes long."""
        network = self.network
        return network.rule.learning_cost(network.n, network.count) > BACKGROUND_COST

    def _edit_then_learn(self, index: int, message: MemoryList.Action) -> None:
        """Reinforce or forget one memory under a rule that must learn them all again.

        The same edit is made on a copy in a worker, which learns the copy;
        when it lands (nothing changed meanwhile) the edit is made here and the
        copy's landscape taken, so the event loop learns nothing. Escape
        cancels it, and a failure changes nothing.
        """
        workspace = self.workspace
        network = workspace.network
        times, action = message.times, message.action
        name = network.names[index]
        self._stop_recall()

        def work(steps: Steps) -> Network:
            steps.phase("copying", measured=False)
            edited = network.copy()
            if action == "reinforce":
                edited.reinforce(index, times)
            else:
                edited.forget(index)
            steps.phase("learning", measured=network.rule.name == "storkey")
            edited.prepare(steps.report, steps.cancelled)
            return edited

        def done(edited: Network) -> None:
            if workspace.network is not network or network.revision != job.revision:
                self.notify(
                    f"The memories changed meanwhile: {name} was left as it was.",
                    title="Not done",
                    severity="warning",
                )
                return
            self._stop_recall()
            if action == "reinforce":
                self._apply(workspace.reinforce(index, times, learned=edited))
            else:
                self._apply(workspace.forget(index, learned=edited))

        verb = "reinforcing" if action == "reinforce" else "forgetting"
        job = self._start_job("memory", f"{verb} {name}", work, done, "Not done")
