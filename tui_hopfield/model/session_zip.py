"""The ZIP container of a session file, read by hand and never trusted.

The file is opened with ``files.open_regular`` (a regular file of at most
``MAX_FILE_BYTES``, opened without blocking). Only ``zipfile``'s parser of
the central directory is used; each member is then read here: no data before
the first member, exactly the four names, no encryption, stored or deflated
only, and its bytes come through a stream (``Member``) that never gives more
than the archive declares and checks the CRC at the end. Every failure is a
``SessionError`` naming the file and the reason.
"""

from __future__ import annotations

import contextlib
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from tui_hopfield.model.files import Unreadable, open_regular
from tui_hopfield.model.session_format import (
    MAX_FILE_BYTES,
    MEMBERS,
    OPTIONAL,
    OPTIONAL_MEMBERS,
    SessionError,
)

CHUNK = 1 << 20
"""Bytes read or inflated at a time."""
METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
"""The compression methods a member may use."""
UNREADABLE = {
    "missing": "no such file: {label}",
    "permission": "no permission to read {label}",
    "folder": "{label} is {kind}, not a session file",
    "kind": "{label} is {kind}, not a session file",
    "empty": "{label} is empty, not a session file",
    "large": "{label} is {mib:.0f} MiB, larger than a session can be"
    f" ({MAX_FILE_BYTES / 2**20:.0f} MiB)",
    "error": "cannot read {label}: {strerror}",
}
"""Why a file is not opened as a session, by ``files.Unreadable.reason``."""


@contextlib.contextmanager
def opened(path: Path) -> Iterator[tuple[int, int]]:
    """The open descriptor and the size of ``path``, a regular file a session may be.

    Any OSError while it is read is a ``SessionError`` too; the descriptor is
    closed when the block ends.
    """
    try:
        descriptor, size = open_regular(path, MAX_FILE_BYTES)
    except Unreadable as why:
        raise SessionError(why.words(UNREADABLE, str(path))) from None
    try:
        yield descriptor, size
    except OSError as error:
        raise SessionError(f"cannot read {path}: {error.strerror or error}") from None
    finally:
        os.close(descriptor)


def pread(descriptor: int, count: int, offset: int, path: Path) -> bytes:
    """Exactly ``count`` bytes at ``offset``, or a ``SessionError`` for a file cut short."""
    data = os.pread(descriptor, count, offset)
    if len(data) != count:
        raise SessionError(f"{path} is cut short: it is not a whole session file")
    return data


class Archive:
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
        expected = {f"{key}.npy" for key in MEMBERS + OPTIONAL_MEMBERS + OPTIONAL}
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

    def member(self, key: str) -> Member:
        """A stream of member ``key``'s unpacked bytes, checked as far as the ZIP allows."""
        info, path = self.infos[key], self.path
        if info.flag_bits & 0x41:  # encrypted, or strongly encrypted
            raise SessionError(f"{path}: {key} is encrypted; a session never is")
        if info.compress_type not in METHODS:
            raise SessionError(
                f"{path}: {key} is compressed with method {info.compress_type};"
                " a session uses only stored or deflated members"
            )
        header = pread(self.descriptor, zipfile.sizeFileHeader, info.header_offset, path)
        fields = struct.unpack(zipfile.structFileHeader, header)
        if fields[zipfile._FH_SIGNATURE] != zipfile.stringFileHeader:
            raise SessionError(f"{path}: the archive's entry for {key} is damaged")
        name_length = fields[zipfile._FH_FILENAME_LENGTH]
        extra_length = fields[zipfile._FH_EXTRA_FIELD_LENGTH]
        name = pread(
            self.descriptor, name_length, info.header_offset + zipfile.sizeFileHeader, path
        )
        if name != info.filename.encode("utf-8") and name != info.orig_filename.encode(
            "cp437", "replace"
        ):
            raise SessionError(f"{path}: the archive's entry for {key} names another file")
        start = info.header_offset + zipfile.sizeFileHeader + name_length + extra_length
        if start + info.compress_size > self.size:
            raise SessionError(f"{path} is cut short: {key} runs past the end of the file")
        return Member(self.descriptor, info, start, key, path)


class Member:
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
            data = self._next(min(count, CHUNK))
            if not data:
                break
            parts.append(data)
            count -= len(data)
        return b"".join(parts)

    def readinto(self, buffer: memoryview) -> int:
        """Fill ``buffer`` from the stream; return how many bytes were put in."""
        filled = 0
        while filled < len(buffer):
            data = self._next(min(len(buffer) - filled, CHUNK))
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
            data = pread(self.descriptor, take, self.offset, self.path) if take else b""
            self.offset += take
            self.compressed_left -= take
        else:
            data = b""
            try:
                while not data and not self.inflater.eof:
                    if not self.pending:
                        if not self.compressed_left:
                            break
                        take = min(CHUNK, self.compressed_left)
                        self.pending = pread(self.descriptor, take, self.offset, self.path)
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
