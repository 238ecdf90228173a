"""Writing files so that a crash or a full disk never leaves half of one.

Rules of ``write_atomically``, the one way the app writes a file:

- The target is a regular file or a new name. A folder, a FIFO (named pipe),
  a device node or a socket at the target is refused: nothing replaces it.
- A symbolic link is followed: the file it points to is replaced, atomically,
  by a new file written in *that* file's folder, and the link stays a link.
  A link that points nowhere (or into a loop) is refused.
- A missing folder is refused ("no such folder"), unless the caller asks for
  it to be made (``make_folders=True``); by default (``None``) only the app's
  own data folder (``tui_hopfield.model.paths.data_dir``) and folders inside it are
  made, for the autosave, recovery files and the default sessions folder.
- The new content goes to a hidden temporary file ``.<name>.XXXXXXXX.tmp``
  beside the file, is flushed and fsynced, then renamed over it. A process
  killed mid-save leaves such a file behind; the next save into that folder
  removes those of our own pattern older than ``STALE_SECONDS``
  (``remove_stale_temporaries`` does it on demand, e.g. at start).

Reading an untrusted file goes through ``open_regular``: only a regular file
of a bounded size is opened, and never in a way that can block.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import BinaryIO

from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.paths import data_dir, expand

STALE_SECONDS = 60.0
"""A temporary file of ours untouched this long is a killed save's leftover (a live save
keeps writing to its own, so its modification time stays fresh)."""

TEMPORARY = re.compile(r"\A\..+\.[a-z0-9_]{8}\.tmp\Z", re.DOTALL)
"""The names ``tempfile.mkstemp`` gives our temporary files: ``.<name>.XXXXXXXX.tmp``."""


READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
"""How ``open_regular`` opens a file: read only, never blocking, never a controlling tty."""


class Unreadable(Exception):
    """Why ``open_regular`` opened nothing; each caller words it for its own kind of file.

    ``reason`` is one of ``missing``, ``permission``, ``folder``, ``kind`` (not
    a regular file nor a folder: ``kind`` says what, as ``kind_of`` does),
    ``empty``, ``large`` (``size`` bytes, over the limit) or ``error``
    (``problem``, any other OSError).
    """

    def __init__(
        self, reason: str, *, kind: str = "", size: int = 0, problem: OSError | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        """Which of the reasons above."""
        self.kind = kind
        """What the file is, in words: ``a folder``, ``a FIFO (named pipe)``, ``a device``..."""
        self.size = size
        """The file's size in bytes, for ``large``."""
        self.problem = problem
        """The error the system gave, for ``error``."""

    def words(self, messages: Mapping[str, str], label: str) -> str:
        """The message for this reason from ``messages`` (one per reason), filled in.

        A message may name ``{label}`` (the file), ``{kind}``, ``{size}`` (bytes),
        ``{mib}`` (the size in MiB) and ``{strerror}`` (the system's words).
        """
        problem = self.problem
        strerror = str(problem.strerror or problem) if problem is not None else ""
        return messages[self.reason].format(
            label=label, kind=self.kind, size=self.size, mib=self.size / 2**20, strerror=strerror
        )


def open_regular(path: str | Path, max_bytes: int) -> tuple[int, int]:
    """Open ``path`` for reading if it is a regular file of 1 to ``max_bytes`` bytes.

    The path is looked at first (a FIFO or a device is never opened), then
    opened with ``O_NONBLOCK`` (so that a FIFO swapped in meanwhile cannot
    block) and checked again from the open descriptor (``fstat``), which is
    what is read. Returns the descriptor, made blocking again, and the size;
    the caller closes it. Anything else raises ``Unreadable``.
    """
    try:
        kind = kind_of(os.stat(path).st_mode)
        if kind is not None:
            raise _not_regular(kind)
        descriptor = os.open(path, READ_FLAGS)
    except FileNotFoundError:
        raise Unreadable("missing") from None
    except PermissionError:
        raise Unreadable("permission") from None
    except IsADirectoryError:
        raise _not_regular("a folder") from None
    except OSError as problem:
        raise Unreadable("error", problem=problem) from None
    try:
        info = os.fstat(descriptor)
        kind = kind_of(info.st_mode)
        if kind is not None:
            raise _not_regular(kind)
        if info.st_size == 0:
            raise Unreadable("empty")
        if info.st_size > max_bytes:
            raise Unreadable("large", size=info.st_size)
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
    except BaseException as problem:
        os.close(descriptor)
        if isinstance(problem, OSError):
            raise Unreadable("error", problem=problem) from None
        raise
    return descriptor, info.st_size


def _not_regular(kind: str) -> Unreadable:
    return Unreadable("folder" if kind == "a folder" else "kind", kind=kind)


def kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def write_atomically(
    path: str | Path,
    write: Callable[[BinaryIO], None],
    error: type[ModelError] = ModelError,
    *,
    make_folders: bool | None = None,
) -> Path:
    """Write a file through ``write`` into a temporary file beside ``path``, then rename it.

    The temporary file is flushed and fsynced before the rename, and the folder
    after it, so ``path`` holds either its old content or the whole new one.
    Only a regular file (or a new name) is replaced; a link is followed; a
    missing folder is made only as ``make_folders`` says (see the module's
    rules). Failures raise ``error`` with a plain message; the temporary file
    is removed. Returns ``path`` as given (expanded).
    """
    path = expand(path)
    target = _target(path, error)
    folder = target.parent
    _ensure_folder(folder, make_folders, error)
    remove_stale_temporaries(folder)
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=folder
        )
    except OSError as problem:
        raise error(f"cannot write in {folder}: {problem.strerror or problem}") from None
    try:
        os.chmod(temporary, _mode_for(target))
        with os.fdopen(descriptor, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException as problem:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(problem, OSError):
            raise error(f"could not write {path}: {problem.strerror or problem}") from None
        raise
    _sync_folder(folder)
    return path


def remove_stale_temporaries(folder: str | Path, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove killed saves' temporary files from ``folder``; return those removed.

    Only regular files (not links) named like ours (``TEMPORARY``), owned by
    this user and not modified for ``older_than`` seconds; never anything else.
    Problems (a folder that cannot be listed, a file already gone) are ignored.
    """
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not TEMPORARY.match(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if (
                not stat.S_ISREG(info.st_mode)
                or info.st_uid != os.getuid()
                or now - info.st_mtime < older_than
            ):
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def _target(path: Path, error: type[ModelError]) -> Path:
    """The file to replace: ``path``, or the file its link points to; refuse anything else."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise error(f"{path} is a link to a missing file; not saved") from None
        return path
    except NotADirectoryError:  # a file where its folder should be: said of the folder
        return path
    except OSError as problem:
        # ELOOP (a loop of links), EACCES...
        raise error(f"cannot write {path}: {problem.strerror or problem}") from None
    kind = kind_of(info.st_mode)
    if kind is not None:
        raise error(f"{path} is {kind}, not a file; only a file can be replaced")
    if os.path.islink(path):
        return Path(os.path.realpath(path))
    return path


def _ensure_folder(folder: Path, make_folders: bool | None, error: type[ModelError]) -> None:
    if folder.is_dir():
        return
    if os.path.lexists(folder) and not os.path.islink(folder):
        raise error(f"cannot write in {folder}: it is not a folder")
    if not os.path.lexists(folder):
        if make_folders is None:
            make_folders = _inside_data_folder(folder)
        if not make_folders:
            raise error(f"no such folder: {folder}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise error(f"cannot write in {folder}: {problem.strerror or problem}") from None


def _inside_data_folder(folder: Path) -> bool:
    """Whether ``folder`` is the app's data folder or lies inside it."""
    try:
        own = Path(os.path.abspath(data_dir()))
        return Path(os.path.abspath(folder)).is_relative_to(own)
    except (OSError, ValueError):
        return False


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
