"""Opening untrusted image files safely, and saying why one is refused.

A path must name a regular file of at most ``MAX_IMAGE_BYTES`` (opened by
``files.open_regular``, never blocking); only the formats of ``SAFE_FORMATS``
are tried; the sides and the pixel count its header declares are checked
before the pixels are decoded. Every refusal is a ``PictureError`` naming the
file and the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.files import Unreadable, open_regular

MAX_PIXELS = 40_000_000
"""Images with more pixels than this are refused before they are decoded."""
MAX_SIDE = 10_000
"""Images wider or taller than this many pixels are refused before they are decoded.

The pixel count alone is not enough: a 1 x 39,999,999 picture is under
``MAX_PIXELS``, yet resizing it to the grid takes gigabytes.
"""
MAX_IMAGE_BYTES = 100_000_000
"""Image files larger than this (100 MB) are refused before anything is read."""

SAFE_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")
"""The only formats an image is opened as (Pillow's names), tried in this order.

Pillow's other plugins are never asked: EPS and PostScript would run
Ghostscript on the file, and the rarer formats are little-used code.
"""
FORMAT_LABELS = {"WEBP": "WebP"}
"""How a format of ``SAFE_FORMATS`` is written for people, where not as Pillow names it."""

REFUSED_SIGNATURES = (
    (b"%!", "PostScript"),
    (b"\xc5\xd0\xd3\xc6", "EPS"),
    (b"%PDF", "PDF"),
    (b"<svg", "SVG"),
)
"""How a few formats that are never opened begin, to name them when refusing them."""


UNREADABLE = {
    "missing": "no such file: {label}",
    "permission": "no permission to read {label}",
    "folder": "{label} is a folder, not an image",
    "kind": "{label} is not a regular file (a pipe or a device): not read",
    "empty": "{label} is empty: not an image",
    "large": "{label} has {size:,} bytes, more than the"
    f" {MAX_IMAGE_BYTES // 1_000_000} MB an image file may have",
    "error": "{label} could not be opened: {strerror}",
}
"""Why a file is not opened as an image, by ``files.Unreadable.reason``."""


class PictureError(ModelError):
    """An image that cannot become a picture; the message says why."""


def format_names(last: str = "or") -> str:
    """``SAFE_FORMATS`` for people: ``PNG, JPEG, GIF, BMP, WebP or TIFF``."""
    names = [FORMAT_LABELS.get(name, name) for name in SAFE_FORMATS]
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def image_label(source: str | Path | BinaryIO) -> str:
    """How an image source is named in messages: its path, or the name of its stream."""
    if isinstance(source, (str, Path)):
        return str(source)
    name = getattr(source, "name", None)
    return str(name) if isinstance(name, (str, Path)) else "the image"


def _open_stream(path: str | Path, label: str) -> BinaryIO:
    """A binary stream of ``path`` if it is a regular file of at most ``MAX_IMAGE_BYTES``.

    ``files.open_regular`` opens it without blocking, so that a pipe with no
    writer cannot keep the reader waiting, and checks it on the open
    descriptor before one byte is read: a pipe, a device such as
    ``/dev/zero``, a folder, an empty or an oversized file is refused with
    ``PictureError``.
    """
    try:
        descriptor, _ = open_regular(path, MAX_IMAGE_BYTES)
    except Unreadable as why:
        raise PictureError(why.words(UNREADABLE, label)) from None
    try:
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _refused_format(stream: BinaryIO) -> str | None:
    """The name of a format that is never opened, if the stream starts like one."""
    try:
        stream.seek(0)
        start = stream.read(1024)
    except (OSError, ValueError):
        return None
    for signature, name in REFUSED_SIGNATURES:
        if start.startswith(signature) or (name == "SVG" and signature in start.lower()):
            return name
    return None


def _check_size(image: Image.Image, label: str) -> None:
    """Refuse an image whose header declares a side or a pixel count over the limits."""
    width, height = image.size
    if width > MAX_SIDE or height > MAX_SIDE:
        raise PictureError(
            f"{label} is {width}x{height} pixels: a side longer than"
            f" {MAX_SIDE:,} pixels cannot be opened safely"
        )
    if width * height > MAX_PIXELS:
        raise PictureError(
            f"{label} is {width}x{height} pixels,"
            f" more than the {MAX_PIXELS // 1_000_000} million that can be opened safely"
        )


@contextmanager
def open_image(source: str | Path | BinaryIO) -> Iterator[Image.Image]:
    """Open an untrusted image safely and yield it decoded (its first frame).

    A path must name a regular file of at most ``MAX_IMAGE_BYTES``; only the
    formats of ``SAFE_FORMATS`` are tried (never EPS, whose plugin runs
    Ghostscript); the sides (``MAX_SIDE``) and the pixel count (``MAX_PIXELS``)
    declared by the header are checked before the pixels are decoded. Anything
    refused or unreadable raises ``PictureError`` naming the file and the reason.
    The file is closed when the block ends.
    """
    label = image_label(source)
    stream = _open_stream(source, label) if isinstance(source, (str, Path)) else source
    try:
        image = _decoded(stream, label)
        with image:
            yield image
    finally:
        if stream is not source:
            stream.close()


def _decoded(stream: BinaryIO, label: str) -> Image.Image:
    """The first frame of the image in ``stream``, decoded once its header passed the checks."""
    try:
        image = Image.open(stream, formats=SAFE_FORMATS)
    except UnidentifiedImageError:
        refused = _refused_format(stream)
        if refused is not None:
            raise PictureError(
                f"{label} is {refused}, which is never opened: only {format_names()}"
            ) from None
        raise PictureError(
            f"{label} is not an image in a format that is opened ({format_names()})"
        ) from None
    except Image.DecompressionBombError:
        raise PictureError(
            f"{label} declares more than {2 * (Image.MAX_IMAGE_PIXELS or 0):,} pixels:"
            " too large to be opened safely"
        ) from None
    except PermissionError:
        raise PictureError(f"no permission to read {label}") from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as error:
        raise PictureError(f"{label} could not be read: {error}") from None
    try:
        _check_size(image, label)
        image.load()
    except PictureError:
        image.close()
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        image.close()
        raise PictureError(f"{label} could not be read: {error}") from None
    return image


def image_suffixes() -> tuple[str, ...]:
    """The file endings of the formats in ``SAFE_FORMATS`` (``.png``, ``.jpg``...)."""
    Image.init()
    formats = Image.registered_extensions()
    return tuple(sorted(suffix for suffix, name in formats.items() if name in SAFE_FORMATS))
