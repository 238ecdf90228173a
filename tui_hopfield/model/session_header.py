"""The session header (``meta.npy``): JSON parsed within bounds, then checked.

The JSON is parsed with hooks that refuse what a header never holds (integers
of more than ``MAX_DIGITS`` digits, NaN and Infinity, a key given twice);
then every field is checked against the limits of ``session_format``: the
format and version, the grid, the names (cleaned, never refused for
controls), the rule, the temperature and the settings.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from tui_hopfield.model.dynamics import MAX_TEMPERATURE
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.links import MAX_LINK, check_link_settings
from tui_hopfield.model.names import clean_names
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.session_format import (
    FORMAT,
    MAX_DIGITS,
    MAX_MEMORIES,
    MAX_META_BYTES,
    MAX_NAME,
    MAX_NUMBER,
    MAX_SIDE,
    MAX_USE_BOOST,
    MODES,
    VERSION,
    SessionError,
)


class _Refused(Exception):
    """A JSON literal the header may not hold (raised from the parser's hooks)."""


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"an integer of {len(text)} digits")
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"a number too large ({text[:20]}...)")
    return value


def _json_constant(text: str) -> float:
    raise _Refused(f"{text}, which is not a number")


def _json_object(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Refused("a key given twice")
    return result


def parse_meta(raw: np.ndarray, path: Path) -> dict:
    """The checked header of the session at ``path`` from its raw bytes (a uint8 array)."""
    if raw.dtype != np.uint8 or raw.ndim != 1 or raw.size > MAX_META_BYTES:
        raise SessionError(f"{path}: the session header is damaged")
    try:
        meta = json.loads(
            raw.tobytes().decode("utf-8"),
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
            object_pairs_hook=_json_object,
        )
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SessionError(f"{path}: the session header is not valid JSON") from None
    except RecursionError:
        raise SessionError(f"{path}: the session header is nested too deeply") from None
    except _Refused as refused:
        raise SessionError(f"{path}: the session header holds {refused}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise SessionError(f"{path} is not a tui-hopfield session")
    version = meta.get("version")
    if version != VERSION or isinstance(version, bool):
        raise SessionError(
            f"{path} is a session of version {repr(version)[:40]};"
            f" this tui-hopfield reads version {VERSION}"
        )
    rows, cols = meta.get("rows"), meta.get("cols")
    for label, side in (("rows", rows), ("cols", cols)):
        if not isinstance(side, int) or isinstance(side, bool) or not 1 <= side <= MAX_SIDE:
            raise SessionError(f"{path}: {label} must be a whole number from 1 to {MAX_SIDE}")
    names = meta.get("names")
    if (
        not isinstance(names, list)
        or not all(isinstance(name, str) and 0 < len(name) <= MAX_NAME for name in names)
        or len(names) > MAX_MEMORIES
    ):
        raise SessionError(f"{path}: the memories' names are damaged")
    if len(set(names)) != len(names):
        raise SessionError(f"{path}: two memories have the same name")
    raw_names = names
    names = clean_names(names)  # controls in a name are made visible, never refused
    links = _checked_links(meta.get("links", []), raw_names, names, path)
    rule = meta.get("rule", "hebbian")
    temperature = meta.get("temperature", 0.0)
    if not _number(temperature) or not 0 <= temperature <= MAX_TEMPERATURE:
        raise SessionError(
            f"{path}: the temperature must be a number from 0 to {MAX_TEMPERATURE:g}"
        )
    settings = meta.get("settings", {})
    if not isinstance(settings, dict):
        raise SessionError(f"{path}: the settings are damaged")
    _check_settings(rule, settings, rows * cols, path)
    meta.update(
        names=names, rule=rule, temperature=float(temperature), settings=settings, links=links
    )
    return meta


def _check_settings(rule: object, settings: dict, n: int, path: Path) -> None:
    if not isinstance(rule, str):
        raise SessionError(f"{path}: the learning rule is damaged")
    for key, value in settings.items():
        # Settings this version does not know are kept, but bounded like the rest.
        if not (
            isinstance(value, bool)
            or (isinstance(value, str) and len(value) <= MAX_NAME)
            or (_number(value) and abs(value) <= MAX_NUMBER)
        ):
            raise SessionError(f"{path}: the setting {key[:40]!r} is damaged")
    beta = settings.get("beta", 40.0)
    if isinstance(beta, str) or not _number(beta):
        raise SessionError(f"{path}: beta is a number, not {beta!r}")
    try:
        Rule.from_settings(rule, settings).check_size(n)
    except ModelError as error:
        raise SessionError(f"{path}: {error}") from None
    decay = settings.get("decay", 1.0)
    if not _number(decay) or not 0 < decay <= 1:
        raise SessionError(f"{path}: the decay must be a number in (0, 1]")
    boost = settings.get("use_boost", 0.0)
    if not _number(boost) or not 0 <= boost <= MAX_USE_BOOST:
        raise SessionError(f"{path}: learning from use must be a number from 0 to {MAX_USE_BOOST}")
    link_settings = [settings.get(key, default) for key, default in LINK_SETTINGS]
    if not all(_number(value) for value in link_settings):
        raise SessionError(f"{path}: the links' settings must be numbers")
    try:
        check_link_settings(*link_settings)
    except ModelError as error:
        raise SessionError(f"{path}: {error}") from None
    if settings.get("mode", "async") not in MODES:
        raise SessionError(f"{path}: the update mode must be one of {', '.join(MODES)}")


LINK_SETTINGS = (("link_lambda", 0.0), ("link_hops", 3), ("link_hop_factor", 0.7),
                 ("link_step", 0.0))  # fmt: skip
"""The links' settings in a session's ``settings``, with their defaults."""


def _checked_links(links: object, raw: list, names: list, path: Path) -> list:
    """The session's links as ``[source, target, strength]`` with the names cleaned, checked."""
    if not isinstance(links, list):
        raise SessionError(f"{path}: the links are damaged")
    index = {name: i for i, name in enumerate(raw)}
    seen = set()
    result = []
    for number, link in enumerate(links, 1):
        if (
            not isinstance(link, list)
            or len(link) != 3
            or not all(isinstance(name, str) for name in link[:2])
            or not _number(link[2])
        ):
            raise SessionError(f"{path}: link {number} is damaged")
        source, target, strength = link
        for name in (source, target):
            if name not in index:
                raise SessionError(
                    f"{path}: link {number} names a memory the session does not hold"
                    f" ({name[:40]!r})"
                )
        if source == target:
            raise SessionError(f"{path}: link {number} links a memory to itself")
        if not 0 < strength <= MAX_LINK:
            raise SessionError(
                f"{path}: link {number}'s strength must be a number in (0, {MAX_LINK:g}]"
            )
        if (source, target) in seen:
            raise SessionError(f"{path}: link {number} is given twice")
        seen.add((source, target))
        result.append([names[index[source]], names[index[target]], float(strength)])
    return result


def _number(value: object) -> bool:
    """A finite int or float (not a bool), of a size a float can hold."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int past the float range
        return False
