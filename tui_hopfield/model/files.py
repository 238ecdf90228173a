"""Writing files so that a crash or a full disk never leaves half of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from tui_hopfield.model.network import ModelError


def expand(path: str | Path) -> Path:
    """``path`` with a leading ``~`` or ``~user`` expanded, or as typed when that is unknown."""
    try:
        return Path(path).expanduser()
    except RuntimeError:  # "~nobody-by-that-name": leave it as a plain name
        return Path(path)


def write_atomically(
    path: str | Path,
    write: Callable[[BinaryIO], None],
    error: type[ModelError] = ModelError,
) -> Path:
    """Write a file through ``write`` into a temporary file beside ``path``, then rename it.

    The temporary file is flushed and fsynced before the rename, and the folder
    after it, so ``path`` holds either its old content or the whole new one.
    Failures raise ``error`` with a plain message; the temporary file is removed.
    """
    path = expand(path)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as problem:
        raise error(f"cannot write in {folder}: {problem.strerror or problem}") from None
    try:
        os.chmod(temporary, _mode_for(path))
        with os.fdopen(descriptor, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as problem:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(problem, OSError):
            raise error(f"could not write {path}: {problem.strerror or problem}") from None
        raise
    _sync_folder(folder)
    return path


def _mode_for(path: Path) -> int:
    """The permissions the file gets: those it had, or the usual ones for a new file."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable, where the system allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
