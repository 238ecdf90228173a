"""The ``.npy`` header at the start of each member of a session, read and checked.

The header is the one place besides the ZIP's central directory where library
code (numpy) parses untrusted bytes: whatever it raises is a ``SessionError``.
The expected dtype is checked exactly, and the size the header declares
against the archive's, before any data is read; nothing is ever unpickled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tui_hopfield.model.session_format import (
    DTYPES,
    MAX_ARRAY_BYTES,
    MAX_META_BYTES,
    SessionError,
)
from tui_hopfield.model.session_zip import Member


@dataclass(frozen=True)
class Header:
    """A member's ``.npy`` header: what its data is and how many bytes it takes."""

    dtype: np.dtype
    shape: tuple[int, ...]
    fortran: bool
    nbytes: int

    def read(self, member: Member, path: Path) -> np.ndarray:
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


def read_header(member: Member, key: str, path: Path) -> Header:
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
            f" more than the {MAX_ARRAY_BYTES / 2**20:,.0f} MiB a session may"
        )
    if key == "meta" and nbytes > MAX_META_BYTES:
        raise SessionError(f"{path}: the session header is {nbytes} bytes, too large")
    declared = member.left  # the member's bytes after its header, as the archive says
    if nbytes != declared:
        raise SessionError(
            f"{path}: {key}'s header declares {nbytes} bytes of data,"
            f" but the archive holds {declared}"
        )
    return Header(dtype, tuple(shape), fortran, nbytes)


def _dtype_words(dtype: np.dtype) -> str:
    """How a member's dtype is named in a message."""
    return {"u1": "bytes (uint8)", "i1": "int8", "f8": "float64"}[dtype.str[1:]]
