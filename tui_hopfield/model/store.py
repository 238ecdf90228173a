"""Save and open a whole session, safely.

A session file is a ZIP archive written by ``numpy.savez_compressed`` with
exactly four members, each a ``.npy`` array:

- ``meta.npy``: UTF-8 JSON as a uint8 array: ``{"format": "tui-hopfield-session",
  "version": 1, "rows", "cols", "names", "rule", "temperature", "settings"}``;
  ``settings`` holds the rule's own (``degree``, ``beta``), ``decay``,
  ``use_boost`` and the update ``mode`` (``async`` or ``sync``)
- ``patterns.npy``: int8 (P, rows*cols), every value +1 or -1
- ``strengths.npy``: float64 (P,), finite, positive, at most ``MAX_STRENGTH``
- ``state.npy``: int8 (rows*cols,), every value +1 or -1

Limits (a file past any of them is refused before anything large is allocated):

- the file: a regular file (never a FIFO, device, socket or folder) of at
  most ``MAX_FILE_BYTES`` (512 MiB); its arrays unpack to at most
  ``MAX_ARRAY_BYTES`` (1 GiB) in all, and the JSON header to ``MAX_META_BYTES``
- the grid: 1 to ``MAX_SIDE`` (256) rows and columns
- memories: at most ``MAX_MEMORIES`` (100,000), names of 1 to ``MAX_NAME``
  (200) characters, all different
- numbers: strengths in (0, ``MAX_STRENGTH``] (1e6); temperature in
  [0, ``MAX_TEMPERATURE``] (2); decay in (0, 1]; ``use_boost`` in
  [0, ``MAX_USE_BOOST``] (10); the dense degree 2 to 10 or ``"exp"``; the
  modern beta 1 to 200; any other setting a bool, a string of at most
  ``MAX_NAME`` characters or a number of at most ``MAX_NUMBER`` in size.
  JSON integers have at most ``MAX_DIGITS`` digits; NaN and Infinity are refused.

Opening never trusts the file: it is opened without blocking and checked to
be a regular file from its own descriptor; the ZIP is read member by member
by this module (no data before the first member, exactly the four names, no
encryption, stored or deflated only); each ``.npy`` header is read and checked
(the expected dtype exactly, sizes from the header against the ZIP's) before
its data, which is inflated through a stream that stops at the declared size
and checks the CRC. Nothing is ever unpickled. Every failure is a
``SessionError`` naming the file and the reason.

Writing goes through ``files.write_atomically``: a temporary file in the same
folder, flushed and fsynced, then renamed over the target, so a crash or a
full disk leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tui_hopfield.model.dynamics import MAX_TEMPERATURE
from tui_hopfield.model.errors import Check, Report, checkpoint
from tui_hopfield.model.files import kind_of, write_atomically
from tui_hopfield.model.names import clean_names
from tui_hopfield.model.network import MAX_STRENGTH, ModelError, Network, copy_in_blocks
from tui_hopfield.model.paths import expand
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
MAX_META_BYTES = 16 * 2**20
"""The most bytes the JSON header may take."""
MAX_NUMBER = 1e12
"""The greatest size of any other number a file's settings may hold."""
MAX_DIGITS = 18
"""The most digits a JSON integer may have."""
MEMBERS = ("meta", "patterns", "strengths", "state")
"""The arrays a session file holds."""
DTYPES = {
    "meta": np.dtype("|u1"),
    "patterns": np.dtype("|i1"),
    "strengths": np.dtype("<f8"),
    "state": np.dtype("|i1"),
}
"""The one dtype each member may have."""
MODES = ("async", "sync")
"""Update modes: one spin at a time, or the whole grid at once."""
MAX_USE_BOOST = 10.0
"""The most strength a memory may gain each time it is recalled."""
OPEN_BLOCK_BYTES = 16 * 2**20
"""Patterns imprinted at a time when a session becomes a network, between reports."""
WRITE_BLOCK_BYTES = 4 * 2**20
"""Bytes of an array compressed at a time when saving, between reports."""

_CHUNK = 1 << 20  # bytes read or inflated at a time
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}


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
                np.asarray(self.patterns[first:last], dtype=np.int8),
                self.names[first:last],
                np.asarray(self.strengths[first:last], dtype=np.float64),
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
    *,
    make_folders: bool | None = None,
) -> Path:
    """Write ``session`` to ``path`` atomically and return the path written.

    ``report`` is told the fraction of the arrays written and ``cancelled``
    asked between blocks; a True answer raises ``Cancelled``, and the file
    at ``path`` stays as it was (the temporary one is removed).
    ``make_folders`` is passed to ``files.write_atomically``: by default a
    missing folder is refused unless it lies in the app's data folder.
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
    try:
        text = json.dumps(meta, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise SessionError(f"{path}: the session cannot be written ({error})") from None
    arrays = {
        "meta": np.frombuffer(text.encode(), dtype=np.uint8),
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

    return write_atomically(path, write, SessionError, make_folders=make_folders)


def load(path: str | Path) -> Session:
    """Read and check a session file; raise ``SessionError`` saying what is wrong.

    Nothing but ``SessionError`` leaves this for any content of the file: the
    checks are explicit, and the two places where library code parses
    untrusted bytes (the ZIP's central directory, a ``.npy`` header) map
    whatever they raise to a ``SessionError``.
    """
    path = expand(path)
    with _open_regular(path) as (descriptor, size):
        archive = _Archive(descriptor, size, path)
        members = {key: archive.member(key) for key in MEMBERS}
        headers = {key: _read_header(members[key], key, path) for key in MEMBERS}
        total = sum(header.nbytes for header in headers.values())
        if total > MAX_ARRAY_BYTES:
            raise SessionError(
                f"{path}: its arrays would take {total / 2**30:.1f} GiB unpacked,"
                f" more than the {MAX_ARRAY_BYTES / 2**30:.0f} GiB a session may"
            )
        meta = _parse_meta(headers["meta"].read(members["meta"], path), path)
        shapes = _expected_shapes(meta)
        for key in ("patterns", "strengths", "state"):
            _check_shape(key, headers[key].dtype, headers[key].shape, shapes[key], path)
        arrays = {key: headers[key].read(members[key], path) for key in shapes}
    _check_values(arrays, path)
    return Session(
        meta["rows"],
        meta["cols"],
        meta["names"],
        arrays["patterns"],
        arrays["strengths"],
        arrays["state"],
        rule=meta["rule"],
        temperature=meta["temperature"],
        settings=meta["settings"],
    )


# -- the file ---------------------------------------------------------------------


@contextlib.contextmanager
def _open_regular(path: Path) -> Iterator[tuple[int, int]]:
    """Open ``path`` for reading if it is a regular file of a size a session may have.

    It is looked at first (a FIFO or a device is never opened), then opened
    with ``O_NONBLOCK`` (so that a FIFO swapped in meanwhile cannot block) and
    checked again from the open descriptor, which is what is read.
    """
    try:
        kind = kind_of(os.stat(path).st_mode)
        if kind is not None:
            raise SessionError(f"{path} is {kind}, not a session file")
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
        descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise SessionError(f"no such file: {path}") from None
    except PermissionError:
        raise SessionError(f"no permission to read {path}") from None
    except OSError as error:
        raise SessionError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        info = os.fstat(descriptor)
        kind = kind_of(info.st_mode)
        if kind is not None:
            raise SessionError(f"{path} is {kind}, not a session file")
        if info.st_size == 0:
            raise SessionError(f"{path} is empty, not a session file")
        if info.st_size > MAX_FILE_BYTES:
            raise SessionError(
                f"{path} is {info.st_size / 2**20:.0f} MiB, larger than a session can be"
                f" ({MAX_FILE_BYTES / 2**20:.0f} MiB)"
            )
        yield descriptor, info.st_size
    except OSError as error:
        raise SessionError(f"cannot read {path}: {error.strerror or error}") from None
    finally:
        os.close(descriptor)


def _pread(descriptor: int, count: int, offset: int, path: Path) -> bytes:
    """Exactly ``count`` bytes at ``offset``, or a ``SessionError`` for a file cut short."""
    data = os.pread(descriptor, count, offset)
    if len(data) != count:
        raise SessionError(f"{path} is cut short: it is not a whole session file")
    return data


class _Archive:
    """The ZIP container, read by hand around ``zipfile``'s central directory."""

    def __init__(self, descriptor: int, size: int, path: Path) -> None:
        self.descriptor, self.size, self.path = descriptor, size, path
        start = os.pread(descriptor, 4, 0)
        if start == b"\x93NUM":
            raise SessionError(f"{path} is a numpy .npy file, not a session (a ZIP archive)")
        if start != zipfile.stringFileHeader:
            raise SessionError(f"{path} is not a readable session file (not a ZIP archive)")
        try:
            # Untrusted bytes parsed by the library: whatever it raises means "damaged".
            with os.fdopen(os.dup(descriptor), "rb") as stream, zipfile.ZipFile(stream) as zipped:
                infos = zipped.infolist()
        except Exception as error:  # see above: any error is "damaged"
            raise SessionError(f"{path} is not a readable session file ({error})") from None
        names = [info.filename for info in infos]
        expected = {f"{key}.npy" for key in MEMBERS}
        if len(set(names)) != len(names):
            raise SessionError(f"{path}: two members of the archive have the same name")
        missing = [key for key in MEMBERS if f"{key}.npy" not in names]
        if missing:
            raise SessionError(f"{path} is not a session: missing {', '.join(missing)}")
        extra = sorted(set(names) - expected)
        if extra:
            shown = ", ".join(repr(name[:40]) for name in extra[:3])
            raise SessionError(f"{path}: the archive holds members a session has not: {shown}")
        if min(info.header_offset for info in infos) != 0:
            raise SessionError(f"{path}: data before the archive's first member; refused")
        self.infos = {info.filename[: -len(".npy")]: info for info in infos}

    def member(self, key: str) -> _Member:
        """A stream of member ``key``'s unpacked bytes, checked as far as the ZIP allows."""
        info, path = self.infos[key], self.path
        if info.flag_bits & 0x41:  # encrypted, or strongly encrypted
            raise SessionError(f"{path}: {key} is encrypted; a session never is")
        if info.compress_type not in _METHODS:
            raise SessionError(
                f"{path}: {key} is compressed with method {info.compress_type};"
                " a session uses only stored or deflated members"
            )
        header = _pread(self.descriptor, zipfile.sizeFileHeader, info.header_offset, path)
        fields = struct.unpack(zipfile.structFileHeader, header)
        if fields[zipfile._FH_SIGNATURE] != zipfile.stringFileHeader:
            raise SessionError(f"{path}: the archive's entry for {key} is damaged")
        name_length = fields[zipfile._FH_FILENAME_LENGTH]
        extra_length = fields[zipfile._FH_EXTRA_FIELD_LENGTH]
        name = _pread(
            self.descriptor, name_length, info.header_offset + zipfile.sizeFileHeader, path
        )
        if name != info.filename.encode("utf-8") and name != info.orig_filename.encode(
            "cp437", "replace"
        ):
            raise SessionError(f"{path}: the archive's entry for {key} names another file")
        start = info.header_offset + zipfile.sizeFileHeader + name_length + extra_length
        if start + info.compress_size > self.size:
            raise SessionError(f"{path} is cut short: {key} runs past the end of the file")
        return _Member(self.descriptor, info, start, key, path)


class _Member:
    """The unpacked bytes of one member, read from the file without trusting its sizes.

    Never gives more than the ZIP's declared unpacked size: a member that
    inflates further is refused as soon as one byte too many comes out; at the
    end, the compressed data must be used up and the CRC must match.
    """

    def __init__(self, descriptor: int, info: zipfile.ZipInfo, start: int, key, path) -> None:
        self.descriptor, self.info, self.key, self.path = descriptor, info, key, path
        self.offset, self.compressed_left = start, info.compress_size
        self.left = info.file_size  # unpacked bytes still to come, as declared
        self.crc = 0
        self.pending = b""
        self.inflater = zlib.decompressobj(-15) if info.compress_type else None

    def read(self, count: int) -> bytes:
        """Up to ``count`` unpacked bytes (fewer only at the end)."""
        parts = []
        while count > 0:
            data = self._next(min(count, _CHUNK))
            if not data:
                break
            parts.append(data)
            count -= len(data)
        return b"".join(parts)

    def readinto(self, buffer: memoryview) -> int:
        """Fill ``buffer`` from the stream; return how many bytes were put in."""
        filled = 0
        while filled < len(buffer):
            data = self._next(min(len(buffer) - filled, _CHUNK))
            if not data:
                break
            buffer[filled : filled + len(data)] = data
            filled += len(data)
        return filled

    def finish(self) -> None:
        """Check that the member ends here, whole: no more data, nothing missing, CRC right."""
        if self._next(1):
            raise SessionError(f"{self.path}: {self.key} holds more than its header declares")
        if self.left:
            raise SessionError(f"{self.path} is cut short: {self.key} is incomplete")
        if self.inflater is not None and (
            not self.inflater.eof or self.inflater.unused_data or self.pending
        ):
            raise SessionError(f"{self.path}: {self.key}'s compressed data is damaged")
        if self.compressed_left:
            raise SessionError(f"{self.path}: {self.key} has data past its end")
        if self.crc != self.info.CRC:
            raise SessionError(f"{self.path}: {self.key} is damaged (its checksum is wrong)")

    def _next(self, want: int) -> bytes:
        """The next unpacked bytes, at most ``want``; b"" at the end."""
        if self.inflater is None:
            take = min(want, self.compressed_left)
            data = _pread(self.descriptor, take, self.offset, self.path) if take else b""
            self.offset += take
            self.compressed_left -= take
        else:
            data = b""
            try:
                while not data and not self.inflater.eof:
                    if not self.pending:
                        if not self.compressed_left:
                            break
                        take = min(_CHUNK, self.compressed_left)
                        self.pending = _pread(self.descriptor, take, self.offset, self.path)
                        self.offset += take
                        self.compressed_left -= take
                    data = self.inflater.decompress(self.pending, want)
                    self.pending = self.inflater.unconsumed_tail
            except zlib.error as error:
                raise SessionError(
                    f"{self.path}: {self.key}'s compressed data is damaged ({error})"
                ) from None
        if len(data) > self.left:
            raise SessionError(
                f"{self.path}: {self.key} unpacks to more than the archive declares; refused"
            )
        self.left -= len(data)
        self.crc = zlib.crc32(data, self.crc)
        return data


@dataclass(frozen=True)
class _Header:
    """A member's ``.npy`` header: what its data is and how many bytes it takes."""

    dtype: np.dtype
    shape: tuple[int, ...]
    fortran: bool
    nbytes: int

    def read(self, member: _Member, path: Path) -> np.ndarray:
        """The member's array, read through its bounded stream, then checked to end."""
        try:
            array = np.empty(self.nbytes // self.dtype.itemsize, dtype=self.dtype)
        except MemoryError:  # within the limits, but more than this machine has free
            raise SessionError(
                f"{path}: not enough memory to open it ({self.nbytes / 2**20:.0f} MiB"
                f" for {member.key})"
            ) from None
        if member.readinto(memoryview(array).cast("B")) != self.nbytes:
            raise SessionError(f"{path} is cut short: {member.key} is incomplete")
        member.finish()
        return array.reshape(self.shape, order="F" if self.fortran else "C")


def _read_header(member: _Member, key: str, path: Path) -> _Header:
    """Read and check the ``.npy`` header at the start of ``member``."""
    try:
        # Untrusted bytes parsed by numpy (ast.literal_eval of a short dict):
        # whatever it raises means "not a valid array header".
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(member, 4096)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(member, 4096)
        else:
            raise ValueError(f"unsupported .npy version {version}")
    except SessionError:
        raise
    except Exception as error:  # see above: any error is "damaged"
        raise SessionError(f"{path}: {key} is not a valid array ({error})") from None
    if dtype.hasobject:
        raise SessionError(f"{path}: {key} holds objects, which are never loaded")
    expected = DTYPES[key]
    if dtype != expected or dtype.fields is not None or dtype.subdtype is not None:
        raise SessionError(f"{path}: {key} must be {_dtype_words(expected)}, not {dtype.str}")
    if not isinstance(fortran, bool):
        raise SessionError(f"{path}: {key}'s array header is damaged")
    if not all(isinstance(side, int) and 0 <= side <= MAX_ARRAY_BYTES for side in shape):
        raise SessionError(f"{path}: {key} declares an impossible shape {shape}")
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes > MAX_ARRAY_BYTES:
        raise SessionError(
            f"{path}: its arrays would take {nbytes / 2**30:.1f} GiB unpacked,"
            f" more than the {MAX_ARRAY_BYTES / 2**30:.0f} GiB a session may"
        )
    if key == "meta" and nbytes > MAX_META_BYTES:
        raise SessionError(f"{path}: the session header is {nbytes} bytes, too large")
    declared = member.left  # the member's bytes after its header, as the archive says
    if nbytes != declared:
        raise SessionError(
            f"{path}: {key}'s header declares {nbytes} bytes of data,"
            f" but the archive holds {declared}"
        )
    return _Header(dtype, tuple(shape), fortran, nbytes)


def _dtype_words(dtype: np.dtype) -> str:
    return {"u1": "bytes (uint8)", "i1": "int8", "f8": "float64"}[dtype.str[1:]]


# -- checks shared by save and load -----------------------------------------------


def _check_arrays(arrays: dict[str, np.ndarray], path: Path) -> dict:
    """Check a session's four arrays against each other; return the parsed header."""
    meta = _parse_meta(arrays["meta"], path)
    for key, shape in _expected_shapes(meta).items():
        _check_shape(key, arrays[key].dtype, arrays[key].shape, shape, path)
    _check_values(arrays, path)
    return meta


def _expected_shapes(meta: dict) -> dict[str, tuple[int, ...]]:
    n, count = meta["rows"] * meta["cols"], len(meta["names"])
    return {"patterns": (count, n), "strengths": (count,), "state": (n,)}


def _check_shape(key: str, dtype: np.dtype, shape: tuple, expected: tuple, path: Path) -> None:
    if (
        key in ("patterns", "strengths")
        and len(shape) == len(expected)
        and shape[0] != expected[0]
        and tuple(shape[1:]) == expected[1:]
    ):
        raise SessionError(f"{path}: it names {expected[0]} memories but holds {shape[0]} {key}")
    if key == "strengths":
        if dtype != DTYPES[key] or tuple(shape) != expected:
            raise SessionError(
                f"{path}: strengths must be {expected[0]} floating-point numbers (float64),"
                f" not {dtype} of shape {tuple(shape)}"
            )
    elif dtype != DTYPES[key] or tuple(shape) != expected:
        raise SessionError(
            f"{path}: {key} must be whole numbers (int8) of shape {expected},"
            f" not {dtype} of shape {tuple(shape)}"
        )


def _check_values(arrays: dict[str, np.ndarray], path: Path) -> None:
    for key in ("patterns", "state"):
        flat = np.ravel(arrays[key], order="K")  # a view, C or Fortran order
        for start in range(0, flat.size, _CHUNK * 16):  # no temporaries the size of it all
            if not np.all(np.abs(flat[start : start + _CHUNK * 16]) == 1):
                raise SessionError(f"{path}: {key} may only hold +1 and -1")
    strengths = arrays["strengths"]
    if not np.all(np.isfinite(strengths)) or np.any(strengths <= 0):
        raise SessionError(f"{path}: every strength must be a finite positive number")
    if np.any(strengths > MAX_STRENGTH):
        raise SessionError(
            f"{path}: a strength is over {MAX_STRENGTH:g}, more than a memory may have"
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


def _parse_meta(raw: np.ndarray, path: Path) -> dict:
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
    names = clean_names(names)  # controls in a name are made visible, never refused
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
    meta.update(names=names, rule=rule, temperature=float(temperature), settings=settings)
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
    if settings.get("mode", "async") not in MODES:
        raise SessionError(f"{path}: the update mode must be one of {', '.join(MODES)}")


def _number(value: object) -> bool:
    """A finite int or float (not a bool), of a size a float can hold."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int past the float range
        return False
