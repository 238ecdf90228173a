"""Save and open a whole session, safely.

A session file is a ZIP archive written by ``numpy.savez_compressed`` with
four members, read back with ``allow_pickle=False`` (no code can hide in it):

- ``meta``: UTF-8 JSON as a uint8 array: ``{"format": "tui-hopfield-session",
  "version": 1, "rows", "cols", "names", "rule", "temperature", "settings"}``;
  ``settings`` holds the rule's own (``degree``, ``beta``), ``decay``,
  ``use_boost`` and the update ``mode`` (``async`` or ``sync``)
- ``patterns``: int8 (P, rows*cols), every value +1 or -1
- ``strengths``: float64 (P,), finite and positive
- ``state``: int8 (rows*cols,), every value +1 or -1

Everything is checked before anything is used; a file that fails a check is
refused with a ``SessionError`` that says what is wrong. Writing goes to a
temporary file in the same folder, is flushed and fsynced, then renamed over
the target, so a crash or a full disk leaves the old file or the new one,
never half of one.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tui_hopfield.model.errors import Check, Report, checkpoint
from tui_hopfield.model.files import expand, write_atomically
from tui_hopfield.model.network import ModelError, Network, copy_in_blocks
from tui_hopfield.model.rules import Rule

FORMAT = "tui-hopfield-session"
"""The ``format`` every session file names."""
VERSION = 1
"""The version this code writes and reads."""
SUFFIX = ".hopfield"
"""The file name ending of a session."""
MAX_SIDE = 256
"""The largest number of rows or columns a session may have."""
MAX_MEMORIES = 100_000
"""The most memories a session may hold."""
MAX_FILE_BYTES = 512 * 1024 * 1024
"""A session file larger than this is refused before it is read."""
MAX_NAME = 200
"""The longest name of a memory."""
MAX_ARRAY_BYTES = 1024 * 1024 * 1024
"""The most bytes the arrays of a session may unpack to (a zip bomb is refused)."""
MEMBERS = ("meta", "patterns", "strengths", "state")
"""The arrays a session file holds."""
MODES = ("async", "sync")
"""Update modes: one spin at a time, or the whole grid at once."""
MAX_USE_BOOST = 10.0
"""The most strength a memory may gain each time it is recalled."""
OPEN_BLOCK_BYTES = 16 * 2**20
"""Patterns imprinted at a time when a session becomes a network, between reports."""
WRITE_BLOCK_BYTES = 4 * 2**20
"""Bytes of an array compressed at a time when saving, between reports."""


class SessionError(ModelError):
    """A session that cannot be saved or opened; the message says why."""


@dataclass
class Session:
    """Everything a session holds: the memories, the grid and the settings."""

    rows: int
    """Rows of the grid."""
    cols: int
    """Columns of the grid."""
    names: list[str]
    """The names of the memories."""
    patterns: np.ndarray
    """int8 (P, N) of +-1."""
    strengths: np.ndarray
    """float64 (P,), positive."""
    state: np.ndarray
    """int8 (N,) of +-1: the grid."""
    rule: str = "hebbian"
    """The learning rule."""
    temperature: float = 0.0
    """The temperature of recall."""
    settings: dict[str, float | int | str] = field(default_factory=dict)
    """Further settings of the rule, by name."""

    @classmethod
    def of(cls, network: Network, temperature: float = 0.0, mode: str = "async") -> Session:
        """Take a session from a network (and the screen's update mode)."""
        settings: dict[str, float | int | str] = dict(network.rule.settings())
        settings.update(decay=network.decay, use_boost=network.use_boost, mode=mode)
        return cls(
            network.rows,
            network.cols,
            list(network.names),
            copy_in_blocks(network.patterns),
            network.strengths.copy(),
            network.state.copy(),
            rule=network.rule.name,
            temperature=temperature,
            settings=settings,
        )

    @property
    def mode(self) -> str:
        """The update mode: ``async`` or ``sync``."""
        return str(self.settings.get("mode", "async"))

    def network(self, report: Report | None = None, cancelled: Check | None = None) -> Network:
        """A new network holding this session's memories, rule, settings and grid.

        The memories go in a block at a time (``Network.imprint_many``);
        ``report`` is told the fraction done and ``cancelled`` asked between
        blocks (a True answer raises ``Cancelled``). The landscape is learned
        when first needed (``Network.prepare`` learns it at once).
        """
        rule = Rule.from_settings(self.rule, self.settings)
        network = Network(self.rows, self.cols, rule)
        # The grid first: each block's overlaps with it are then taken as it goes in,
        # instead of another pass over all the patterns at the end.
        network.set_state(self.state)
        count = len(self.names)
        network.reserve(count)
        block = max(1, OPEN_BLOCK_BYTES // max(1, network.n))
        for first in range(0, count, block):
            checkpoint(first / count, report, cancelled)
            last = min(first + block, count)
            network.imprint_many(
                self.patterns[first:last],
                self.names[first:last],
                strengths=self.strengths[first:last],
            )
        checkpoint(1.0, report, cancelled)
        # Decay applies to imprints from now on: the saved strengths already carry it.
        network.decay = float(self.settings.get("decay", 1.0))
        network.use_boost = float(self.settings.get("use_boost", 0.0))
        return network


def save(
    session: Session,
    path: str | Path,
    report: Report | None = None,
    cancelled: Check | None = None,
) -> Path:
    """Write ``session`` to ``path`` atomically and return the path written.

    ``report`` is told the fraction of the arrays written and ``cancelled``
    asked between blocks; a True answer raises ``Cancelled``, and the file
    at ``path`` stays as it was (the temporary one is removed).
    """
    path = expand(path)
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "rows": session.rows,
        "cols": session.cols,
        "names": list(session.names),
        "rule": session.rule,
        "temperature": session.temperature,
        "settings": session.settings,
    }
    arrays = {
        "meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
        "patterns": np.asarray(session.patterns, dtype=np.int8),
        "strengths": np.asarray(session.strengths, dtype=np.float64),
        "state": np.asarray(session.state, dtype=np.int8),
    }
    # Never write what ``load`` would refuse: the same checks, before the first byte.
    _check_arrays(arrays, path)
    total = max(1, sum(array.nbytes for array in arrays.values()))

    def write(stream) -> None:
        # What ``numpy.savez_compressed`` writes (the same members and headers), a
        # block at a time so that the work can report and stop.
        done = 0
        with zipfile.ZipFile(stream, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
            for key, array in arrays.items():
                array = np.ascontiguousarray(array)
                with archive.open(f"{key}.npy", "w", force_zip64=True) as member:
                    header = np.lib.format.header_data_from_array_1_0(array)
                    np.lib.format.write_array_header_1_0(member, header)
                    flat = array.reshape(-1).view(np.uint8)
                    for start in range(0, flat.size, WRITE_BLOCK_BYTES):
                        checkpoint(done / total, report, cancelled)
                        block = flat[start : start + WRITE_BLOCK_BYTES]
                        member.write(block.tobytes())
                        done += block.size
        checkpoint(1.0, report, cancelled)

    return write_atomically(path, write, SessionError)


def load(path: str | Path) -> Session:
    """Read and check a session file; raise ``SessionError`` saying what is wrong."""
    path = expand(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SessionError(f"no such file: {path}") from None
    except OSError as error:
        raise SessionError(f"cannot read {path}: {error.strerror or error}") from None
    if path.is_dir():
        raise SessionError(f"{path} is a folder, not a session file")
    if size > MAX_FILE_BYTES:
        raise SessionError(f"{path} is {size / 2**20:.0f} MiB, larger than a session can be")
    try:
        _check_members(path)
        with np.load(path, allow_pickle=False) as archive:
            meta_bytes = _read(archive, "meta", path)
            patterns = _read(archive, "patterns", path)
            strengths = _read(archive, "strengths", path)
            state = _read(archive, "state", path)
    except SessionError:
        raise
    except PermissionError:
        raise SessionError(f"no permission to read {path}") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, KeyError) as error:
        raise SessionError(f"{path} is not a readable session file ({error})") from None
    meta = _check_arrays(
        {"meta": meta_bytes, "patterns": patterns, "strengths": strengths, "state": state}, path
    )
    rows, cols, names = meta["rows"], meta["cols"], meta["names"]
    return Session(
        rows,
        cols,
        names,
        patterns.astype(np.int8),
        strengths.astype(np.float64),
        state.astype(np.int8),
        rule=meta["rule"],
        temperature=meta["temperature"],
        settings=meta["settings"],
    )


def _check_arrays(arrays: dict[str, np.ndarray], path: Path) -> dict:
    """Check a session's four arrays against each other; return the parsed header."""
    meta = _parse_meta(arrays["meta"], path)
    n = meta["rows"] * meta["cols"]
    count = len(meta["names"])
    _check_spins(arrays["patterns"], (count, n), "patterns", path)
    _check_spins(arrays["state"], (n,), "state", path)
    strengths = arrays["strengths"]
    if strengths.dtype.kind != "f" or strengths.shape != (count,):
        raise SessionError(
            f"{path}: strengths must be {count} floating-point numbers,"
            f" not {strengths.dtype} of shape {strengths.shape}"
        )
    if not np.all(np.isfinite(strengths)) or np.any(strengths <= 0):
        raise SessionError(f"{path}: every strength must be a finite positive number")
    return meta


def _check_members(path: Path) -> None:
    """Read only the headers: every array is there, plain, and not too large unpacked."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        missing = [key for key in MEMBERS if f"{key}.npy" not in names]
        if missing:
            raise SessionError(f"{path} is not a session: missing {', '.join(missing)}")
        total = 0
        for key in MEMBERS:
            with archive.open(f"{key}.npy") as member:
                version = np.lib.format.read_magic(member)
                if version == (1, 0):
                    shape, _, dtype = np.lib.format.read_array_header_1_0(member)
                else:
                    shape, _, dtype = np.lib.format.read_array_header_2_0(member)
            if dtype.hasobject:
                raise SessionError(f"{path}: {key} holds objects, which are never loaded")
            total += int(np.prod(shape, dtype=np.float64)) * dtype.itemsize
        if total > MAX_ARRAY_BYTES:
            raise SessionError(f"{path}: its arrays would take {total / 2**30:.1f} GiB unpacked")


def _read(archive, key: str, path: Path) -> np.ndarray:
    try:
        return archive[key]
    except ValueError as error:  # an object array: numpy refuses to unpickle it
        raise SessionError(
            f"{path}: {key} holds objects, which are never loaded ({error})"
        ) from None


def _parse_meta(raw: np.ndarray, path: Path) -> dict:
    if raw.dtype != np.uint8 or raw.ndim != 1 or raw.size > 16 * 2**20:
        raise SessionError(f"{path}: the session header is damaged")
    try:
        meta = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SessionError(f"{path}: the session header is not valid JSON") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise SessionError(f"{path} is not a tui-hopfield session")
    version = meta.get("version")
    if version != VERSION:
        raise SessionError(
            f"{path} is a session of version {version!r}; this tui-hopfield reads version {VERSION}"
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
    rule = meta.get("rule", "hebbian")
    temperature = meta.get("temperature", 0.0)
    if (
        not isinstance(temperature, int | float)
        or isinstance(temperature, bool)
        or not np.isfinite(temperature)
        or temperature < 0
    ):
        raise SessionError(f"{path}: the temperature must be a number >= 0")
    settings = meta.get("settings", {})
    if not isinstance(settings, dict):
        raise SessionError(f"{path}: the settings are damaged")
    _check_settings(rule, settings, rows * cols, path)
    meta.update(rule=rule, temperature=float(temperature), settings=settings)
    return meta


def _check_settings(rule: object, settings: dict, n: int, path: Path) -> None:
    if not isinstance(rule, str):
        raise SessionError(f"{path}: the learning rule is damaged")
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
    if settings.get("mode", "async") not in MODES:
        raise SessionError(f"{path}: the update mode must be one of {', '.join(MODES)}")


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value)


def _check_spins(array: np.ndarray, shape: tuple[int, ...], label: str, path: Path) -> None:
    if array.dtype.kind not in "iu" or array.shape != shape:
        raise SessionError(
            f"{path}: {label} must be whole numbers of shape {shape},"
            f" not {array.dtype} of shape {array.shape}"
        )
    if array.size and not np.all((array == 1) | (array == -1)):
        raise SessionError(f"{path}: {label} may only hold +1 and -1")
