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

from tui_hopfield.experiments.basins import BasinSettings, Memories, parse_noises
from tui_hopfield.experiments.capacity import CapacitySettings, parse_alphas
from tui_hopfield.experiments.reinforce import PRESETS, ReinforceSettings
from tui_hopfield.experiments.rule_race import RaceSettings, parse_rules
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


def preset_select() -> Select[str]:
    """The "letting go" study's design: ``default`` or the ``blog``'s (``PRESETS``)."""
    return Select(
        [(name, name) for name in PRESETS],
        value="default",
        allow_blank=False,
        compact=True,
        id="reinforce-preset",
    )


def reinforce_design_fields() -> ComposeResult:
    """The study's recall steps, its repeats R and its decay, as the default preset has them."""
    yield from field(
        "steps", Input("0", placeholder="0: async", compact=True, id="reinforce-steps")
    )
    yield from field("R", Input("", placeholder="none", compact=True, id="reinforce-repeats"))
    yield from field("decay", Input("1", compact=True, id="reinforce-decay"))


def fill_preset(screen: DOMNode, preset: str) -> None:
    """Put ``preset``'s rounds, old strength, noise, steps and R into the study's form."""
    settings = ReinforceSettings.of_preset(preset)
    texts = {
        "reinforce-rounds": str(settings.rounds),
        "reinforce-old": f"{settings.old_strength:g}",
        "reinforce-noise": f"{settings.noise:g}",
        "reinforce-steps": str(settings.sync_steps),
        "reinforce-repeats": "" if settings.repeats is None else f"{settings.repeats:g}",
    }
    for id, text in texts.items():
        screen.query_one(f"#{id}", Input).value = text


def reinforce_settings(screen: DOMNode) -> tuple[ReinforceSettings, Path | None]:
    """The "letting go" study's settings, and its scenes' folder (None: the built-in ones)."""
    preset = str(screen.query_one("#reinforce-preset", Select).value)
    repeats = value(screen, "reinforce-repeats")
    settings = ReinforceSettings(
        rule=read_rule(screen, "reinforce"),
        rounds=parse_number(value(screen, "reinforce-rounds"), int, "rounds"),
        old_strength=parse_number(value(screen, "reinforce-old"), float, "the old strength"),
        noise=parse_number(value(screen, "reinforce-noise"), float, "noise"),
        seed=read_seed(screen, "reinforce"),
        preset=preset,
        shared=preset == "blog",
        sync_steps=parse_number(value(screen, "reinforce-steps") or "0", int, "steps"),
        repeats=parse_number(repeats, float, "R") if repeats else None,
        probe=ReinforceSettings.of_preset(preset).probe,
        zero_field=ReinforceSettings.of_preset(preset).zero_field,
        decay=parse_number(value(screen, "reinforce-decay") or "1", float, "decay"),
    )
    folder = value(screen, "reinforce-scenes")
    return settings, Path(folder) if folder else None


def basins_settings(screen: DOMNode, memories: Memories | None = None) -> BasinSettings:
    """The basin map's settings, read from its form; ``memories`` measured instead of random."""
    return BasinSettings(
        rule=read_rule(screen, "basins"),
        n=parse_number(value(screen, "basins-n"), int, "N"),
        alphas=parse_alphas(value(screen, "basins-alphas")),
        noises=parse_noises(value(screen, "basins-noises")),
        cues=parse_number(value(screen, "basins-cues"), int, "cues"),
        trials=parse_number(value(screen, "basins-trials"), int, "trials"),
        seed=read_seed(screen, "basins"),
        mode=str(screen.query_one("#basins-mode", Select).value),
        memories=memories,
    )


def race_settings(screen: DOMNode) -> RaceSettings:
    """The rule race's settings, read from its form."""
    alpha = parse_number(value(screen, "race-alpha"), float, "alpha")
    return RaceSettings(
        rules=parse_rules(value(screen, "race-rules")),
        n=parse_number(value(screen, "race-n"), int, "N"),
        alpha=float(alpha),
        noises=parse_noises(value(screen, "race-noises")),
        trials=parse_number(value(screen, "race-trials"), int, "trials"),
        seed=read_seed(screen, "race"),
        mode=str(screen.query_one("#race-mode", Select).value),
    )
