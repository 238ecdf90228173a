"""The config file: reading and checking it, and writing back what the app remembers.

The file is TOML, ``config.toml`` in the platform's config folder (``paths.config_path``).
Every key is optional; a key that is missing, or wrong, leaves the app's default::

    size = "48x48"          # ROWSxCOLS (one number: a square), 4 to 256 a side
    rule = "storkey"        # hebbian, storkey, pseudo-inverse, dense, modern
    speed = 300             # recall speed in flips per second (1 ... 1000), or "instant"
    theme = "nord"          # a Textual theme; the one chosen in the command palette is saved
    palette = "red-blue"    # the magnets' colours
    intro = false           # the first-start screen ("what am I looking at"), shown once

    [keys]                  # action id = key(s): moves an action's keys
    "magnets.recall" = "enter"
    "magnets.clear" = ["y", "f6"]

A file that is not TOML, an unknown key or a value of the wrong kind is not fatal:
each becomes a ``Problem`` naming the line, and the rest of the file still counts.
Reading needs only the standard library (``tomllib``); writing a remembered value
uses tomlkit, which keeps the user's comments and layout, and replaces the file
atomically. This module knows nothing of Textual: the names of themes, palettes
and actions, which only the app knows, are checked by the UI (``ui/settings.py``)
with ``Config.line_of`` to name their lines.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_hopfield.argtypes import grid_size
from tui_hopfield.model.changes import DEFAULT_SPEED, SPEEDS
from tui_hopfield.model.rules import RULE_NAMES

TOP_KEYS = ("size", "rule", "speed", "theme", "palette", "intro", "keys")
"""The keys the file may have, in the order the README lists them."""

INSTANT = "instant"
"""The config's word for speed 0: as fast as frames allow."""

MAX_SYNTAX_ERRORS = 20
"""How many lines that are not TOML are set aside, one by one, before giving up on the
file: each is reported, and what parses around them still counts."""


@dataclass(frozen=True)
class Problem:
    """Something wrong in the config file: where and what."""

    path: Path | None
    """The file, when it came from one."""
    line: int | None
    """The line (from 1), when known."""
    message: str
    """What is wrong, and what is used instead."""

    def __str__(self) -> str:
        where = str(self.path) if self.path is not None else "config"
        if self.line is not None:
            where += f" line {self.line}"
        return f"{where}: {self.message}"


@dataclass
class Config:
    """The settings a config file holds; ``None`` where it says nothing usable."""

    path: Path | None = None
    """The file read, if any."""
    size: tuple[int, int] | None = None
    """The grid's (rows, cols) at start."""
    rule: str | None = None
    """The learning rule at start, one of ``RULE_NAMES``."""
    speed: int | None = None
    """The recall speed at start, one of ``SPEEDS`` (0: instant)."""
    theme: str | None = None
    """The Textual theme's name (checked by the app, which knows the themes)."""
    palette: str | None = None
    """The magnet palette's name (checked by the app, which knows the palettes)."""
    intro: bool = True
    """Whether the first-start screen is still to be shown."""
    keys: dict[str, str] = field(default_factory=dict)
    """Action id -> its keys, comma-separated as Textual writes them (checked by the app)."""
    problems: list[Problem] = field(default_factory=list)
    """What was wrong in the file, each with its line."""
    text: str = ""
    """The file's text, to find the line of a key (``line_of``)."""

    def problem(self, line: int | None, message: str) -> None:
        """Record a problem at ``line``."""
        self.problems.append(Problem(self.path, line, message))

    def line_of(self, key: str, table: str | None = None) -> int | None:
        """The line where ``key`` is set (in ``[table]`` when given), if it can be found."""
        return find_line(self.text, key, table)


def find_line(text: str, key: str, table: str | None = None) -> int | None:
    """The line (from 1) of ``key = ...`` in ``text``, at the top or in ``[table]``.

    A key written dotted (``magnets.recall = ...`` under ``[keys]``, or
    ``keys."magnets.recall"`` at the top) is found too; quotes around its parts
    do not matter.
    """
    current: str | None = None
    wanted = _parts(key)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.fullmatch(r"\[\s*([^\[\]]+?)\s*\](\s*#.*)?", line)
        if header:
            current = ".".join(_parts(header.group(1)))
            continue
        left, equals, _ = line.partition("=")
        if not equals or line.startswith("#"):
            continue
        parts = ([current] if current else []) + _parts(left)
        path = ".".join(parts)
        if path == ".".join(([table] if table else []) + wanted):
            return number
    return None


def _parts(key: str) -> list[str]:
    """The parts of a TOML key, quotes removed: ``keys."magnets.recall"`` ->
    ``["keys", "magnets.recall"]``; bare dots split, quoted ones do not."""
    return [
        part.strip().strip("\"'")
        for part in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", key.strip())
        if part.strip()
    ]


def _syntax_line(error: tomllib.TOMLDecodeError, lines: list[str]) -> int | None:
    """The line tomllib names in its error (``... (at line 3, column 8)``); for an error
    ``at end of document`` (an array left open), the last line that is not blank."""
    found = re.search(r"at line (\d+)", str(error))
    if found:
        return int(found.group(1))
    if "end of document" in str(error):
        written = [number for number, line in enumerate(lines, start=1) if line.strip()]
        return written[-1] if written else None
    return None


def parse(text: str, path: Path | None = None, *, sides: tuple[int, int] = (4, 256)) -> Config:
    """The settings in ``text`` (a config file's), checked; never raises.

    A line that is not TOML is reported and set aside, and the file read again
    without it, so one typo does not lose the rest. ``sides`` are the smallest and
    largest number of rows or columns ``size`` may have.
    """
    config = Config(path=path, text=text)
    lines = text.splitlines()
    data: dict[str, Any] = {}
    for _ in range(MAX_SYNTAX_ERRORS + 1):
        try:
            data = tomllib.loads("\n".join(lines))
            break
        except tomllib.TOMLDecodeError as error:
            line = _syntax_line(error, lines)
            config.problem(line, f"not TOML: {error}; this line is left out")
            if line is None or not 1 <= line <= len(lines) or not lines[line - 1].strip():
                config.problem(None, "the file could not be read: every setting is the default")
                return config
            lines[line - 1] = ""
    else:
        config.problem(None, "too many lines are not TOML: every setting is the default")
        return config
    for key, value in data.items():
        check = CHECKS.get(key)
        if check is None:
            config.problem(
                config.line_of(key),
                f"unknown key {key!r}, left out; the keys are {', '.join(TOP_KEYS)}",
            )
            continue
        check(config, value, sides)
    return config


def read(path: Path, *, sides: tuple[int, int] = (4, 256)) -> Config:
    """The settings in the config file at ``path``; no file is no settings, not a problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except (OSError, UnicodeDecodeError) as error:
        config = Config(path=path)
        config.problem(None, f"cannot be read ({error}): every setting is the default")
        return config
    return parse(text, path, sides=sides)


def _kind(value: object) -> str:
    """How a TOML value's kind is said: ``a string``, ``a whole number``..."""
    kinds = {
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }
    return kinds.get(type(value), type(value).__name__)


def _check_size(config: Config, value: object, sides: tuple[int, int]) -> None:
    line = config.line_of("size")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        config.problem(line, f'size is a string like "32x32", not {_kind(value)}; 32x32 is used')
        return
    try:
        config.size = grid_size(*sides)(str(value))
    except argparse.ArgumentTypeError as error:
        config.problem(line, f"size: {error}; 32x32 is used")


def _check_rule(config: Config, value: object, _sides: tuple[int, int]) -> None:
    if value in RULE_NAMES:
        config.rule = str(value)
        return
    shown = repr(value) if isinstance(value, str) else _kind(value)
    config.problem(
        config.line_of("rule"),
        f"rule is one of {', '.join(RULE_NAMES)}, not {shown}; hebbian is used",
    )


def _check_speed(config: Config, value: object, _sides: tuple[int, int]) -> None:
    if value == INSTANT:
        config.speed = 0
        return
    if isinstance(value, int) and not isinstance(value, bool) and value in SPEEDS and value:
        config.speed = value
        return
    speeds = ", ".join(str(speed) for speed in SPEEDS if speed)
    shown = repr(value) if isinstance(value, (str, int)) else _kind(value)
    config.problem(
        config.line_of("speed"),
        f'speed is one of {speeds} (flips per second) or "{INSTANT}", not {shown};'
        f" {SPEEDS[DEFAULT_SPEED]} is used",
    )


def _string_check(key: str) -> Callable[[Config, object, tuple[int, int]], None]:
    def check(config: Config, value: object, _sides: tuple[int, int]) -> None:
        if isinstance(value, str) and value.strip():
            setattr(config, key, value.strip())
        else:
            config.problem(
                config.line_of(key), f"{key} is a name (a string), not {_kind(value)}; left out"
            )

    return check


def _check_intro(config: Config, value: object, _sides: tuple[int, int]) -> None:
    if isinstance(value, bool):
        config.intro = value
    else:
        config.problem(
            config.line_of("intro"), f"intro is true or false, not {_kind(value)}; left out"
        )


def _check_keys(config: Config, value: object, _sides: tuple[int, int]) -> None:
    if not isinstance(value, dict):
        config.problem(
            config.line_of("keys"),
            f'keys is a table ([keys], then "action.id" = "key"), not {_kind(value)}; left out',
        )
        return
    for action_id, keys in _flatten(value):
        line = config.line_of(action_id, "keys")
        names = [keys] if isinstance(keys, str) else keys
        if not (
            isinstance(names, list)
            and names
            and all(isinstance(name, str) and name.strip() for name in names)
        ):
            config.problem(
                line,
                f'keys for {action_id} are a key ("ctrl+r") or a list of keys,'
                f" not {_kind(keys)}; its default keys are kept",
            )
            continue
        split = [part.strip() for name in names for part in name.split(",")]
        if not all(split):
            config.problem(line, f"an empty key for {action_id}; its default keys are kept")
            continue
        config.keys[action_id] = ",".join(split)


def _flatten(table: dict[str, Any], prefix: str = "") -> Iterable[tuple[str, object]]:
    """``{"magnets": {"recall": "enter"}}`` (the dotted key written bare) as
    ``("magnets.recall", "enter")``; quoted ids come through as they are."""
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, f"{name}.")
        else:
            yield name, value


CHECKS: dict[str, Callable[[Config, object, tuple[int, int]], None]] = {
    "size": _check_size,
    "rule": _check_rule,
    "speed": _check_speed,
    "theme": _string_check("theme"),
    "palette": _string_check("palette"),
    "intro": _check_intro,
    "keys": _check_keys,
}
"""Each key's check: it sets the setting on the config, or records a problem."""


def remember(path: Path, key: str, value: str | bool) -> None:
    """Set top-level ``key`` to ``value`` in the config file at ``path``, keeping the rest
    of the file (comments, order, layout) as it is; the file is replaced atomically.

    A file that is not TOML is not touched (``ValueError``: it is the user's to mend);
    a missing file (and its folder) is made. Raises ``OSError`` when it cannot be written.
    """
    import tomlkit  # only when something is written: reading needs the standard library

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as error:
        raise ValueError(f"{path} is not TOML ({error}): not changed") from error
    document[key] = value
    write_atomically(path, tomlkit.dumps(document))


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it: a reader sees the
    old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        try:
            os.chmod(temporary, path.stat().st_mode & 0o777)  # the file keeps its mode
        except FileNotFoundError:
            os.chmod(temporary, 0o644 & ~_umask())
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (read by setting it, then set back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
