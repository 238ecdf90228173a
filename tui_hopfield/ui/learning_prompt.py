"""The learning settings: rule, its degree or beta, update mode, decay, learning from use."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select

from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.links import MAX_HOPS, MAX_LAMBDA, MAX_LINK_STEP
from tui_hopfield.model.rules import MAX_BETA, MAX_DEGREE, MIN_BETA, MIN_DEGREE, RULE_NAMES, Rule
from tui_hopfield.model.store import MAX_USE_BOOST, MODES
from tui_hopfield.ui.number_input import NumberInput
from tui_hopfield.ui.plain import plain
from tui_hopfield.ui.prompts import Dialog

MODE_HELP = {
    "async": "async: one spin at a time in random order; at T = 0 the energy never rises.",
    "sync": "sync: every spin at once (s = sign(W s)); may rise, may end in a 2-cycle.",
}
"""One line of help per update mode."""


@dataclass(frozen=True)
class Learning:
    """What the learning settings dialog answers."""

    rule: Rule
    """The learning rule and its degree or beta."""
    mode: str
    """``async`` or ``sync``."""
    decay: float
    """Strengths are multiplied by this at each new imprint (1: no fading)."""
    use_boost: float
    """Strength a memory gains when a recall ends on it (0: none)."""
    link_lambda: float = 0.0
    """lambda: how hard links push recall on to the next memory (0: links do nothing)."""
    hops: int = 3
    """The most hops a recall makes along links."""
    hop_factor: float = 0.7
    """Each hop pushes this much less than the one before."""
    link_step: float = 0.0
    """What a link A -> B gains when a recall ends on B right after one ended on A."""


class LearningPrompt(Dialog[Learning | None]):
    """Choose the learning rule and how memories change; dismisses with ``Learning`` or None.

    The fields scroll between the title and the buttons, which always show; the
    rule has the focus when the dialog opens (enter opens its list).
    """

    AUTO_FOCUS = "#rule"
    HELP_TITLE = "learning"
    HELP = (
        "rule: how the memories shape the landscape the magnets settle in. Applying another"
        " rule learns every memory again under it.\n"
        f"degree (dense only): F(x) = x^n with n from {MIN_DEGREE} to {MAX_DEGREE}, or exp;"
        " n = 2 is Hebb, and a higher n stores more memories (of the order of N^(n-1)).\n"
        f"beta (modern only): the softmax's inverse temperature, {MIN_BETA:g} to {MAX_BETA:g}:"
        " higher picks the nearest memory more sharply, lower blends memories.\n"
        "update: async flips one spin at a time in random order (at temperature 0 the energy"
        " never rises); sync sets every spin at once and may end in a 2-cycle. The modern"
        " rule moves a continuous state and does not use it.\n"
        "decay: more than 0, at most 1; each new imprint first multiplies every strength by"
        " it, so below 1 old memories fade (a palimpsest).\n"
        f"use: 0 to {MAX_USE_BOOST:g}; the strength a memory gains each time a recall ends on"
        " it.\n"
        f"links: lambda, 0 to {MAX_LAMBDA:g}; with links made (a memory's menu: link to) a"
        " recall that settles in A is pushed on to A's links (the field"
        " lambda sum w_AB xi_B m_A, m_A from the state when it last settled). About 1.5"
        " against a memory's own pull of 1 makes a hop; 0 is recall as without links. Hops"
        " are made in async recall at temperature 0, when the grid has settled. The"
        " energy shown is the symmetric part's: the push is asymmetric (A calls B, not B"
        " A) and has no energy of its own, so a hop can raise the energy shown on its way"
        " over the ridge between two valleys; the message after the recall says when.\n"
        f"hops: 1 to {MAX_HOPS}, the most hops a recall makes; it also stops when it comes back"
        " to a memory it visited, or when a hop fails.\n"
        "hop factor: more than 0, at most 1; each hop pushes this much less than the one"
        " before (0.7: weaker at each hop).\n"
        f"link use: 0 to {MAX_LINK_STEP:g}; a recall that ends on B right after one ended on A"
        " strengthens the link A -> B by this (links fade with the decay).\n"
        "enter in a number applies; escape changes nothing."
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: Learning) -> None:
        super().__init__()
        self.current = current
        """The settings in force when the dialog opened."""
        self._room = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="prompt learning"):
            yield Label("Learning", classes="prompt-title")
            with VerticalScroll(id="fields", can_focus=False):
                yield from self._fields()
            yield Label("", id="error", classes="prompt-error")
            with Grid(id="choices", classes="two"):
                yield Button("Apply", id="apply", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Label(
                "tab: next field \u00b7 enter in a number: apply \u00b7 escape: cancel"
                " \u00b7 f1: help",
                classes="prompt-hint",
            )

    def _fields(self) -> ComposeResult:
        """The settings, one field a line, each with a line of help."""
        rule = self.current.rule
        with Horizontal(classes="field"):
            yield Label("rule", classes="field-name")
            yield Select(
                [(name, name) for name in RULE_NAMES],
                value=rule.name,
                allow_blank=False,
                compact=True,
                id="rule",
            )
        yield Label(rule.help, id="rule-help", classes="prompt-hint")
        with Horizontal(classes="field", id="degree-field"):
            yield Label("degree", classes="field-name")
            yield Select(
                [(f"x^{n}", str(n)) for n in range(MIN_DEGREE, MAX_DEGREE + 1)] + [("exp", "exp")],
                value="exp" if rule.degree is None else str(rule.degree),
                allow_blank=False,
                compact=True,
                id="degree",
            )
        with Horizontal(classes="field", id="beta-field"):
            yield Label("beta", classes="field-name")
            yield NumberInput(f"{rule.beta:g}", id="beta", compact=True)
        with Horizontal(classes="field"):
            yield Label("update", classes="field-name")
            yield Select(
                [(mode, mode) for mode in MODES],
                value=self.current.mode,
                allow_blank=False,
                compact=True,
                id="mode",
            )
        yield Label(MODE_HELP[self.current.mode], id="mode-help", classes="prompt-hint")
        with Horizontal(classes="field"):
            yield Label("decay", classes="field-name")
            yield NumberInput(f"{self.current.decay:g}", id="decay", compact=True)
        yield Label(
            "each new imprint first multiplies every strength by this: 1 keeps them,"
            " 0.9 lets old memories fade (a palimpsest)",
            classes="prompt-hint",
        )
        with Horizontal(classes="field"):
            yield Label("use", classes="field-name")
            yield NumberInput(f"{self.current.use_boost:g}", id="use", compact=True)
        yield Label(
            "strength a memory gains each time a recall ends on it (0: none)",
            classes="prompt-hint",
        )
        current = self.current
        for key, label, value, hint in (
            ("link-lambda", "links", current.link_lambda,
             "lambda: how hard links push recall on to the next memory (0: not at all)"),
            ("hops", "hops", current.hops, "the most hops a recall makes along links"),
            ("hop-factor", "per hop", current.hop_factor,
             "each hop pushes this much less than the one before"),
            ("link-step", "link use", current.link_step,
             "a recall on B right after one on A strengthens A \u2192 B by this"),
        ):  # fmt: skip
            with Horizontal(classes="field"):
                yield Label(label, classes="field-name")
                yield NumberInput(f"{value:g}", id=key, compact=True)
            yield Label(hint, classes="prompt-hint")

    def on_mount(self) -> None:
        self._show_fields(self.current.rule.name)
        self.call_after_refresh(self._fit_fields)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_fields)

    def _fit_fields(self) -> None:
        """Let the fields scroll in the rows the title, buttons and hints leave on screen,
        so the buttons show at any height (an ``fr`` height would fill the screen)."""
        if not self.is_attached:
            return
        dialog = self.query_one("#dialog")
        fields = self.query_one("#fields")
        # Everything in the dialog but the fields, margins included.
        others = dialog.virtual_size.height - fields.outer_size.height
        room = max(2, self.size.height - dialog.styles.gutter.height - others)
        if self._room != room:
            self._room = room
            fields.styles.max_height = room

    def _show_fields(self, name: str) -> None:
        self.query_one("#degree-field").display = name == "dense"
        self.query_one("#beta-field").display = name == "modern"

    @on(Select.Changed, "#rule")
    def rule_changed(self, event: Select.Changed) -> None:
        name = str(event.value)
        self._show_fields(name)
        self.query_one("#rule-help", Label).update(Rule(name).help)

    @on(Select.Changed, "#mode")
    def mode_changed(self, event: Select.Changed) -> None:
        self.query_one("#mode-help", Label).update(MODE_HELP[str(event.value)])

    def read(self) -> Learning:
        """The settings as typed; raises ``ModelError`` saying what is wrong."""
        name = str(self.query_one("#rule", Select).value)
        degree_text = str(self.query_one("#degree", Select).value)
        degree = None if degree_text == "exp" else int(degree_text)
        beta = _number(self.query_one("#beta", Input).value, "beta", MIN_BETA, MAX_BETA)
        decay = _number(self.query_one("#decay", Input).value, "decay", 0.0, 1.0)
        if decay == 0.0:
            raise ModelError("decay must be more than 0 (1 keeps every memory)")
        use = _number(self.query_one("#use", Input).value, "use", 0.0, MAX_USE_BOOST)
        mode = str(self.query_one("#mode", Select).value)
        field = self.query_one
        strength = _number(field("#link-lambda", Input).value, "links", 0.0, MAX_LAMBDA)
        hops = _number(field("#hops", Input).value, "hops", 1, MAX_HOPS)
        if hops != int(hops):
            raise ModelError(f"hops must be a whole number, not {hops:g}")
        factor = _number(field("#hop-factor", Input).value, "hop factor", 0.0, 1.0)
        if factor == 0.0:
            raise ModelError("the hop factor must be more than 0 (1 keeps every hop as strong)")
        step = _number(field("#link-step", Input).value, "link use", 0.0, MAX_LINK_STEP)
        rule = Rule(name, degree, beta)
        return Learning(rule, mode, decay, use, strength, int(hops), factor, step)

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def apply(self) -> None:
        try:
            learning = self.read()
        except ModelError as error:
            self.query_one("#error", Label).update(plain(str(error)))
            self.call_after_refresh(self._fit_fields)  # an error of two lines takes a row
            return
        self.close(learning)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close and change nothing."""
        self.close(None)


def _number(text: str, label: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ModelError(f"{label} must be a number, not {text!r}") from None
    if not low <= value <= high:
        raise ModelError(f"{label} must be from {low:g} to {high:g}, not {value:g}")
    return value
