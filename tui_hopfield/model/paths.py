"""Where tui-hopfield keeps the user's config and sessions, and where it puts exported pictures."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from platformdirs import user_config_path, user_data_path, user_pictures_path


def expand(path: str | Path) -> Path:
    """``path`` with a leading ``~`` or ``~user`` expanded, or as typed when that is unknown."""
    try:
        return Path(path).expanduser()
    except RuntimeError:  # "~nobody-by-that-name": leave it as a plain name
        return Path(path)


DATA_ENV = "TUI_HOPFIELD_DATA"
"""An environment variable that, when set, replaces the data folder."""


def data_dir() -> Path:
    """The user's data folder for tui-hopfield (not created here)."""
    override = os.environ.get(DATA_ENV)
    if override:
        return expand(override)
    return user_data_path("tui-hopfield", appauthor=False)


CONFIG_ENV = "TUI_HOPFIELD_CONFIG_DIR"
"""An environment variable that, when set, replaces the config folder (the tests set it)."""


def config_dir() -> Path:
    """The user's config folder for tui-hopfield (not created here)."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return expand(override)
    return user_config_path("tui-hopfield", appauthor=False)


def config_path() -> Path:
    """The config file: ``config.toml`` in the config folder."""
    return config_dir() / "config.toml"


def sessions_dir() -> Path:
    """The default folder for saved sessions."""
    return data_dir() / "sessions"


def export_dir() -> Path:
    """Where exported pictures go by default: the current folder when it can be
    written, else the platform's pictures folder (``~/Pictures`` and the like)."""
    try:
        here = Path.cwd()
    except OSError:  # the current folder was removed
        return user_pictures_path()
    if os.access(here, os.W_OK | os.X_OK):
        return here
    return user_pictures_path()


def autosave_path() -> Path:
    """The session written on quit and opened by ``--resume``."""
    return data_dir() / "autosave.hopfield"


RECOVERY = "recovery"
"""The stem of the files an unhandled error writes the session to."""


def recovery_path() -> Path:
    """Where the session goes when the app crashes (``recovery-2...`` if that is taken)."""
    return free_path(data_dir() / f"{RECOVERY}.hopfield")


def recovery_files() -> list[Path]:
    """The sessions saved by crashes and not yet reopened or discarded, newest first."""
    folder = data_dir()
    try:
        found = [
            path
            for path in folder.glob(f"{RECOVERY}*.hopfield")
            if path.is_file() and (path.stem == RECOVERY or path.stem[len(RECOVERY)] == "-")
        ]
    except OSError:
        return []

    def age(path: Path) -> float:
        try:
            return -path.stat().st_mtime
        except OSError:
            return 0.0

    return sorted(found, key=age)


def free_path(path: Path) -> Path:
    """``path`` if nothing is there, else the first free ``stem-2``, ``stem-3``... beside it."""
    if not path.exists():
        return path
    number = 2
    while (candidate := path.with_name(f"{path.stem}-{number}{path.suffix}")).exists():
        number += 1
    return candidate


def new_session_path(now: datetime | None = None) -> Path:
    """A fresh default name for a session: ``sessions/session-20261124-1530.hopfield``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return sessions_dir() / f"session-{stamp}.hopfield"
