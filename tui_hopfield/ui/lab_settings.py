"""The Lab's settings forms: their fields, and each experiment's settings read from them.

The fields of both forms are ``Input``s and ``Select``s with ids named
``<experiment>-<setting>`` (``capacity-n``, ``reinforce-rounds``); the readers
take the screen that holds them and turn their text into the experiments'
settings, raising ``ModelError`` with a readable message for a bad value.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from tui_hopfield.experiments.capacity import CapacitySettings, parse_alphas
from tui_hopfield.experiments.reinforce import ReinforceSettings
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.rules import RULE_NAMES, Rule, parse_degree


def field(label: str, widget: Widget) -> ComposeResult:
    """A form's field: its label, then ``widget``."""
    yield Label(label, classes="field-label")
    yield widget


def rule_fields(prefix: str) -> ComposeResult:
    """The rule's fields of the form ``prefix``: the rule, its degree and its beta."""
    yield from field(
        "rule",
        Select(
            [(name, name) for name in RULE_NAMES],
            value="hebbian",
            allow_blank=False,
            compact=True,
            id=f"{prefix}-rule",
        ),
    )
    # Shown when the rule takes them (dense: degree, modern: beta): see show_rule_settings.
    for name, default in RULE_SETTINGS.items():
        label, widget = field(name, Input(default, compact=True, id=f"{prefix}-{name}"))
        for part in (label, widget):
            part.add_class("rule-setting", f"{prefix}-{name}-setting", "-unused")
            yield part


RULE_SETTINGS = {"degree": "3", "beta": "40"}
"""The rules' own settings and their defaults; each belongs to one rule (``SETTING_OF``)."""
SETTING_OF = {"dense": "degree", "modern": "beta"}
"""The setting each rule takes, by rule (the others take none)."""


def show_rule_settings(screen: DOMNode, prefix: str, rule: str) -> None:
    """Show, in the form ``prefix``, only the setting ``rule`` takes (its label and field)."""
    for name in RULE_SETTINGS:
        unused = SETTING_OF.get(rule) != name
        screen.query(f".{prefix}-{name}-setting").set_class(unused, "-unused")


def parse_number(text: str, kind: type, what: str) -> int | float:
    """``text`` read as ``kind`` (int or float); a ``ModelError`` naming ``what`` if it is not."""
    try:
        return kind(text)
    except ValueError:
        raise ModelError(f"{what} must be a number, not {text!r}") from None


def value(screen: DOMNode, id: str) -> str:
    """The text of the input ``#id``, stripped."""
    return screen.query_one(f"#{id}", Input).value.strip()


def read_rule(screen: DOMNode, prefix: str) -> Rule:
    """The rule the form ``prefix`` names, with its degree and beta."""
    name = screen.query_one(f"#{prefix}-rule", Select).value
    degree = parse_degree(value(screen, f"{prefix}-degree") or "3")
    beta = parse_number(value(screen, f"{prefix}-beta") or "40", float, "beta")
    return Rule(str(name), degree, beta)


def read_seed(screen: DOMNode, prefix: str) -> int | None:
    """The seed of the form ``prefix``; None (a random one) when it is empty."""
    text = value(screen, f"{prefix}-seed")
    if not text:
        return None
    seed = parse_number(text, int, "the seed")
    if seed < 0:
        raise ModelError(f"the seed is 0 or more, not {seed}")
    return seed


def capacity_settings(screen: DOMNode) -> CapacitySettings:
    """The capacity sweep's settings, read from its form."""
    return CapacitySettings(
        rule=read_rule(screen, "capacity"),
        n=parse_number(value(screen, "capacity-n"), int, "N"),
        alphas=parse_alphas(value(screen, "capacity-alphas")),
        trials=parse_number(value(screen, "capacity-trials"), int, "trials"),
        flip=parse_number(value(screen, "capacity-flip"), float, "flip"),
        seed=read_seed(screen, "capacity"),
        mode=str(screen.query_one("#capacity-mode", Select).value),
    )


def reinforce_settings(screen: DOMNode) -> tuple[ReinforceSettings, Path | None]:
    """The "letting go" study's settings, and its scenes' folder (None: the built-in ones)."""
    settings = ReinforceSettings(
        rule=read_rule(screen, "reinforce"),
        rounds=parse_number(value(screen, "reinforce-rounds"), int, "rounds"),
        old_strength=parse_number(value(screen, "reinforce-old"), float, "the old strength"),
        noise=parse_number(value(screen, "reinforce-noise"), float, "noise"),
        seed=read_seed(screen, "reinforce"),
    )
    folder = value(screen, "reinforce-scenes")
    return settings, Path(folder) if folder else None
