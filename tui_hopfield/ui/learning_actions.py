"""Choosing the learning: the rule (re-learned in a worker), the mode, decay, use."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tui_hopfield.model import ModelError, Network, Verdict, classify
from tui_hopfield.model.changes import count_memories
from tui_hopfield.model.rules import Rule
from tui_hopfield.ui.jobs import Job, Steps
from tui_hopfield.ui.learning_prompt import MODE_HELP, Learning, LearningPrompt


class LearningActions:
    """A mixin for the main screen: ``ctrl+l`` (the learning prompt), ``m`` (the mode), beta."""

    def _show_learning(self) -> None:
        """Show the learning settings (the snapshot's ``learning`` and ``rule`` say when)."""
        rule = self.workspace.network.rule
        text = self.workspace.learning_label()
        if text != str(self.learning_text.content):  # an update lays the screen out again
            self.learning_text.update(text)
        self.learning_text.tooltip = rule.help
        self.query_one("#beta-setting").display = rule.continuous
        self.beta_slider.value = rule.beta

    @property
    def learning(self) -> Learning:
        """The learning settings in force."""
        network = self.workspace.network
        links = network.links
        return Learning(
            network.rule,
            self.workspace.mode,
            network.decay,
            network.use_boost,
            links.strength,
            links.hops,
            links.hop_factor,
            links.learn_step,
        )

    def action_learning(self) -> None:
        """Choose the learning rule, the update mode, decay and learning from use."""
        if self._refused("Changing the learning", unless="rule"):
            return
        self.app.push_screen(LearningPrompt(self.learning), self.apply_learning)

    def apply_learning(self, learning: Learning | None) -> None:
        """Use ``learning``; a rule the grid cannot hold is refused and changes nothing.

        A new rule is learned in a worker; decay, learning from use and the
        mode change with it when it lands (at once when the rule stays).
        """
        if learning is None or self._refused("Changing the learning", unless="rule"):
            return
        workspace = self.workspace

        def settle(network: Network) -> None:
            workspace.set_plasticity(learning.decay, learning.use_boost, record=False)
            workspace.set_mode(learning.mode, record=False)
            workspace.configure_links(
                learning.link_lambda, learning.hops, learning.hop_factor, learning.link_step
            )
            self._show()

        self._set_rule(learning.rule, then=settle)

    def action_mode(self) -> None:
        """Switch recall between asynchronous and synchronous updates."""
        workspace = self.workspace
        workspace.set_mode("sync" if workspace.mode == "async" else "async")
        self._show()
        if workspace.network.rule.continuous:
            self.notify("The modern network always updates the whole grid at once.")
        else:
            self.notify(MODE_HELP[workspace.mode], timeout=4)

    def _set_rule(
        self, rule: Rule, quiet: bool = False, then: Callable[[Network], None] | None = None
    ) -> Job | None:
        """Re-learn the memories with ``rule``, in a worker on a copy of the network.

        A rule chosen while another is being learned replaces it. ``then`` is
        called with the network once the rule is in force. Return the job, or
        None when nothing had to be learned.
        """
        workspace = self.workspace
        network = workspace.network
        if self._job is not None and self._job.kind == "rule":
            self._cancel_job()  # a later choice wins
        # The rule and what ``then`` sets are one step to undo; a slider's moves in a row too.
        key = "beta" if quiet else None
        if rule == network.rule:
            before = workspace.learning_point()
            if then is not None:
                then(network)
            workspace.record_learning(before, key)
            return None
        try:
            rule.check_size(network.n)
        except ModelError as error:
            self.notify(str(error), title="Rule not changed", severity="error")
            return None
        if not network.count:  # nothing to learn
            self._stop_recall()
            before = workspace.learning_point()
            self._apply(workspace.set_rule(rule, record=False))
            self._rule_changed(network, rule, quiet, then)
            workspace.record_learning(before, key)
            return None

        def work(steps: Steps) -> tuple[Network, Verdict]:
            steps.phase("copying", measured=False)
            relearned = network.copy()
            relearned.rule = rule
            steps.phase("learning", measured=rule.name == "storkey")
            relearned.prepare(steps.report, steps.cancelled)
            return relearned, classify(relearned)

        def done(learned: tuple[Network, Verdict]) -> None:
            relearned, verdict = learned
            if workspace.network is not network or network.revision != job.revision:
                self.notify(
                    "The memories changed while they were re-learned: the rule stays.",
                    title="Rule not changed",
                    severity="warning",
                )
                return
            named: Verdict | None = verdict
            if not np.array_equal(network.state, relearned.state):
                relearned.set_state(network.state)  # the grid was drawn on meanwhile
                named = None
            before = workspace.learning_point()
            self.replace_network(relearned, named, kept=True)
            self._rule_changed(relearned, rule, quiet, then)
            workspace.record_learning(before, key)

        job = self._start_job("rule", f"rule {rule.label}", work, done, "Rule not changed")
        return job

    def _rule_changed(
        self,
        network: Network,
        rule: Rule,
        quiet: bool,
        then: Callable[[Network], None] | None,
    ) -> None:
        self.grid.show_values(None)
        if then is not None:
            then(network)
        self._show()
        if quiet:
            return
        learned = f" and re-learned {count_memories(network.count)}" if network.count else ""
        self.notify(f"Rule: {rule.label}{learned}. {rule.help}", timeout=5)
        landscape = network.landscape
        if landscape is not None and landscape.note:
            self.notify(landscape.note, title="Pseudo-inverse", severity="warning", timeout=6)
