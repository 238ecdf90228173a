"""The config file's parts only the app can check: themes, palettes and the keymap.

``tui_hopfield.config`` reads the file and checks what it can without Textual;
here the names of the themes and palettes the app has and the ids of its actions
are checked, each problem naming its line, and ``[keys]`` becomes a Textual
keymap (``App.set_keymap``), which moves the keys of the bindings by their ids
(every binding made from ``ui/actions.py`` carries its action's id).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.keys import REPLACED_KEYS, Keys, _normalize_key_list, key_to_character

from tui_hopfield.config import Config
from tui_hopfield.ui.actions import ACTIONS, BY_ID, Action, key_label

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
"""The modifiers Textual writes before a key (``ctrl+shift+up``)."""

_NAMED_KEYS = {key.value for key in Keys}
"""Textual's names of keys that are not characters: ``escape``, ``f5``, ``pageup``..."""

TOGETHER = {
    frozenset({"magnets", "grid"}),
    *(frozenset({"app", screen}) for screen in ("magnets", "grid", "memories", "lab")),
    *(frozenset({"textual", screen}) for screen in ("app", "magnets", "grid", "memories", "lab")),
}
"""The owners whose bindings are live at the same time, so a key can be only one's:
the main screen with the grid (which has the focus nearly always), and the app and
Textual over every screen. The memory panel's keys win while it has the focus, as its
up and down do, and the help is a dialog whose keys (``?`` closes it) are meant to win:
an action of the main screen may share a key with those."""


def valid_key(key: str) -> bool:
    """Whether Textual can bind ``key`` (a name as ``_normalize_key_list`` writes it):
    a character, a named key (``escape``, ``f5``, ``question_mark``), with modifiers."""
    *modifiers, base = key.split("+")
    if not base or any(modifier not in MODIFIERS for modifier in modifiers):
        return False
    return (
        len(base) == 1
        or base in _NAMED_KEYS
        or key_to_character(REPLACED_KEYS.get(base, base)) is not None
    )


def together(first: Action, second: Action) -> bool:
    """Whether the bindings of two actions are live at the same time."""
    return first.screen == second.screen or frozenset({first.screen, second.screen}) in TOGETHER


def keymap(config: Config) -> dict[str, str]:
    """The Textual keymap of the config's ``[keys]``: action id -> keys.

    An unknown id, an action without keys to move (one only the palette runs, or
    Textual's own), a key Textual does not know, or a key another action already has
    where both are live (``TOGETHER``) is a problem naming its line; that entry is left
    out and the action keeps its default keys.
    """
    wanted: dict[str, list[str]] = {}
    for action_id, keys in config.keys.items():
        line = config.line_of(action_id, "keys")
        action = BY_ID.get(action_id)
        if action is None:
            close = [id_ for id_ in BY_ID if id_.split(".")[-1] == action_id.split(".")[-1]]
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            config.problem(
                line,
                f"no action {action_id!r}{hint}; the README's Configuration lists the ids",
            )
            continue
        if action.screen == "textual" or not action.keys:
            what = "Textual's own" if action.screen == "textual" else "run from the palette only"
            config.problem(line, f"{action_id} has no binding to move ({what}); left out")
            continue
        names = _normalize_key_list(keys).split(",")
        unknown = [name for name in names if not valid_key(name)]
        if unknown:
            config.problem(
                line,
                f"{', '.join(map(repr, unknown))} for {action_id} is not a key Textual knows"
                ' (keys are written like "r", "ctrl+r", "f5", "escape", "?");'
                " its default keys are kept",
            )
            continue
        wanted[action_id] = list(dict.fromkeys(names))
    _drop_clashes(config, wanted)
    return {action_id: ",".join(keys) for action_id, keys in wanted.items()}


def _drop_clashes(config: Config, wanted: dict[str, list[str]]) -> None:
    """Leave out each wanted keys that another live action has (its default, or wanted),
    until none clash; an action left out keeps its defaults, which may clash anew."""
    changed = True
    while changed:
        changed = False
        for action_id in list(wanted):
            action = BY_ID[action_id]
            for key in wanted[action_id]:
                other = _holder(key, action, wanted)
                if other is None:
                    continue
                config.problem(
                    config.line_of(action_id, "keys"),
                    f"{key_label(key)!r} for {action_id} is already {other.id}'s"
                    f" ({other.description}); {action_id} keeps {_shown(action.key_labels)}",
                )
                del wanted[action_id]
                changed = True
                break


def _holder(key: str, action: Action, wanted: dict[str, list[str]]) -> Action | None:
    """The other action live with ``action`` that has ``key``, if any."""
    for other in ACTIONS:
        if other.id == action.id or not together(action, other):
            continue
        keys = wanted.get(other.id, other.bound_keys)
        if key in keys:
            return other
    return None


def _shown(keys: Iterable[str]) -> str:
    """``r, R``: keys as a message names them."""
    return ", ".join(keys) or "no key"


def check_name(config: Config, key: str, names: Iterable[str]) -> str | None:
    """The config's ``key`` (``theme`` or ``palette``) if it is one of ``names``; else a
    problem naming its line and ``None``."""
    value = getattr(config, key)
    if value is None:
        return None
    names = list(names)
    if value in names:
        return value
    config.problem(
        config.line_of(key),
        f"no {key} {value!r}; the {key}s are {', '.join(sorted(names))}; the default is used",
    )
    return None


KEYMAP_HEADER = "| action id | default keys | what it does |"
"""The title row of the README's table of the ids a config's ``[keys]`` may name."""


def keymap_table() -> str:
    """The README's table of every action whose keys a config may move: its id, its
    default keys (as typed) and its label."""
    lines = [KEYMAP_HEADER, "| --- | --- | --- |"]
    lines += [
        f"| `{action.id}` | {', '.join(f'`{label}`' for label in action.key_labels)}"
        f" | {action.description} |"
        for action in ACTIONS
        if action.keys and action.screen != "textual"
    ]
    return "\n".join(lines)
