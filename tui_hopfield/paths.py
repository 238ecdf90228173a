"""Where tui-hopfield keeps the user's sessions."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from platformdirs import user_data_path

from tui_hopfield.model.files import expand

DATA_ENV = "TUI_HOPFIELD_DATA"
"""An environment variable that, when set, replaces the data folder."""


def data_dir() -> Path:
    """The user's data folder for tui-hopfield (not created here)."""
    override = os.environ.get(DATA_ENV)
    if override:
        return expand(override)
    return user_data_path("tui-hopfield", appauthor=False)


def sessions_dir() -> Path:
    """The default folder for saved sessions and exported pictures."""
    return data_dir() / "sessions"


def autosave_path() -> Path:
    """The session written on quit and opened by ``--resume``."""
    return data_dir() / "autosave.hopfield"


def new_session_path(now: datetime | None = None) -> Path:
    """A fresh default name for a session: ``sessions/session-20261124-1530.hopfield``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return sessions_dir() / f"session-{stamp}.hopfield"
