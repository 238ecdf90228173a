"""Pictures and spins: load an image onto the grid, the built-in library, ways to break.

A picture becomes spins the way the classic Python code does it: grayscale,
resize to the grid, then threshold at 127 (brighter is north, +1). Two other
methods (``THRESHOLDS``) balance the picture at its median or dither it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from tui_hopfield.model.files import Unreadable, open_regular, write_atomically
from tui_hopfield.model.names import clean_name
from tui_hopfield.model.network import ModelError

THRESHOLD = 127
"""Gray levels above this become north (+1)."""
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

THRESHOLDS = (
    ("fixed", "gray levels above 127 are north, as in the classic code"),
    ("median", "split at the picture's median gray: about half the magnets north"),
    ("dither", "Floyd-Steinberg dithering: shades become a mix of north and south"),
)
"""The ways to turn gray levels into spins, each with a one-line description."""
METHODS = tuple(name for name, _ in THRESHOLDS)
"""The names of the threshold methods, in the order of ``THRESHOLDS``."""

STEM_LENGTH = 60
"""The longest name taken from an image's file name."""

LIBRARY_ORDER = ("smile", "heart", "star", "house", "cat", "note", "tree", "moon", "a", "b")
"""The built-in pictures that come first, in this order; any others follow by name."""


class PictureError(ModelError):
    """An image that cannot become a picture; the message says why."""


@dataclass(frozen=True)
class Picture:
    """A named picture as spins."""

    name: str
    """The name shown on its button and in the memory list."""
    spins: np.ndarray
    """int8 (rows, cols) of +-1."""


def image_to_spins(
    image: Image.Image,
    rows: int,
    cols: int,
    threshold: int = THRESHOLD,
    *,
    method: str = "fixed",
) -> np.ndarray:
    """Grayscale, resize to ``cols x rows`` and threshold an image into +-1 spins.

    ``method`` is one of ``METHODS``: ``fixed`` makes levels above ``threshold``
    north; ``median`` splits at the median level of the resized picture, so
    about half the spins are north; ``dither`` spreads each pixel's error onto
    its neighbours (Floyd-Steinberg), so that shades of gray survive as
    densities. Brighter is north in all three.
    """
    if method not in METHODS:
        raise PictureError(f"unknown threshold method {method!r}: use {', '.join(METHODS)}")
    image = ImageOps.exif_transpose(image)
    if image.mode == "LAB":  # Pillow converts no LAB to gray: its L band is the lightness
        image = image.getchannel("L")
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        # Deep images: scale the full range onto 0..255 before thresholding.
        levels = np.asarray(image, dtype=np.float64)
        top = max(1.0, float(levels.max()))
        if image.mode.startswith("I;16"):
            top = 65535.0
        elif image.mode == "I":  # 32 bits that may hold 8-bit or 16-bit levels
            top = 255.0 if top <= 255.0 else 65535.0 if top <= 65535.0 else top
        image = Image.fromarray(np.clip(levels / top * 255.0, 0, 255).astype(np.uint8), "L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent pixels count as white paper, not as black.
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image.convert("RGBA"))
    gray = image.convert("L")
    if gray.size != (cols, rows):
        gray = gray.resize((cols, rows), Image.Resampling.LANCZOS)
    if method == "dither":
        dithered = np.asarray(gray.convert("1", dither=Image.Dither.FLOYDSTEINBERG))
        return np.where(dithered, 1, -1).astype(np.int8)
    levels = np.asarray(gray, dtype=np.int16)
    if method == "median":
        return _balanced(levels)
    return np.where(levels > threshold, 1, -1).astype(np.int8)


def _balanced(levels: np.ndarray) -> np.ndarray:
    """North above the median level; pixels at the median join whichever side balances better.

    A picture that is mostly one gray level (a white page with a little ink)
    has its median on that level, so ``> median`` alone could make every spin
    south: the median's own pixels then go north when that is nearer to half.
    """
    median = float(np.median(levels))
    above = levels > median
    at_least = levels >= median
    half = levels.size / 2
    north = at_least if abs(int(at_least.sum()) - half) < abs(int(above.sum()) - half) else above
    return np.where(north, 1, -1).astype(np.int8)


def format_names(last: str = "or") -> str:
    """``SAFE_FORMATS`` for people: ``PNG, JPEG, GIF, BMP, WebP or TIFF``."""
    names = [FORMAT_LABELS.get(name, name) for name in SAFE_FORMATS]
    return f"{', '.join(names[:-1])} {last} {names[-1]}"


def _label(source: str | Path | BinaryIO) -> str:
    """How an image source is named in messages: its path, or the name of its stream."""
    if isinstance(source, (str, Path)):
        return str(source)
    name = getattr(source, "name", None)
    return str(name) if isinstance(name, (str, Path)) else "the image"


def _open_regular(path: str | Path, label: str) -> BinaryIO:
    """Open ``path`` for reading if it is a regular file of at most ``MAX_IMAGE_BYTES``.

    ``files.open_regular`` opens it without blocking, so that a pipe with no
    writer cannot keep the reader waiting, and checks it on the open
    descriptor before one byte is read: a pipe, a device such as
    ``/dev/zero``, a folder, an empty or an oversized file is refused with
    ``PictureError``.
    """
    try:
        descriptor, _ = open_regular(path, MAX_IMAGE_BYTES)
    except Unreadable as why:
        raise PictureError(_unreadable(label, why)) from None
    try:
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _unreadable(label: str, why: Unreadable) -> str:
    """Why the file ``label`` is not opened, in the words of an image."""
    if why.reason == "missing":
        return f"no such file: {label}"
    if why.reason == "permission":
        return f"no permission to read {label}"
    if why.reason == "kind" and why.kind == "a folder":
        return f"{label} is a folder, not an image"
    if why.reason == "kind":
        return f"{label} is not a regular file (a pipe or a device): not read"
    if why.reason == "empty":
        return f"{label} is empty: not an image"
    if why.reason == "large":
        return (
            f"{label} has {why.size:,} bytes, more than the"
            f" {MAX_IMAGE_BYTES // 1_000_000} MB an image file may have"
        )
    return f"{label} could not be opened: {why.strerror}"


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
    label = _label(source)
    stream = _open_regular(source, label) if isinstance(source, (str, Path)) else source
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


def load_picture(
    source: str | Path | BinaryIO, rows: int, cols: int, *, method: str = "fixed"
) -> np.ndarray:
    """Read an image file (see ``open_image``) and turn it into spins.

    ``method`` is one of ``METHODS`` (see ``image_to_spins``). Raises
    ``PictureError`` with a plain message for anything refused or unreadable.
    """
    if method not in METHODS:
        raise PictureError(f"unknown threshold method {method!r}: use {', '.join(METHODS)}")
    with open_image(source) as image:
        try:
            return image_to_spins(image, rows, cols, method=method)
        except PictureError:
            raise
        except (OSError, ValueError) as error:
            raise PictureError(f"{_label(source)} could not be read: {error}") from None


def image_suffixes() -> tuple[str, ...]:
    """The file endings of the formats in ``SAFE_FORMATS`` (``.png``, ``.jpg``...)."""
    Image.init()
    formats = Image.registered_extensions()
    return tuple(sorted(suffix for suffix, name in formats.items() if name in SAFE_FORMATS))


def picture_name(path: str | Path, limit: int = STEM_LENGTH) -> str:
    """The memory's name an image file suggests: its stem, cleaned, or ``image``.

    A file name may hold anything but ``/``: escapes, newlines, bidi overrides,
    undecodable bytes. ``names.clean_name`` makes it one line of visible text.
    """
    return clean_name(Path(path).stem, limit) or "image"


def library_folder() -> Path:
    """Where the built-in pictures live: inside the installed package, or ``assets/``."""
    packaged = resources.files("tui_hopfield") / "assets" / "pictures"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "assets" / "pictures"


def library(rows: int, cols: int, folder: Path | None = None) -> list[Picture]:
    """The built-in pictures, loaded onto a ``rows x cols`` grid."""
    folder = library_folder() if folder is None else folder
    paths = {path.stem: path for path in folder.glob("*.png")}
    ranked = [name for name in LIBRARY_ORDER if name in paths]
    ranked += sorted(name for name in paths if name not in LIBRARY_ORDER)
    return [
        Picture(picture_name(paths[name]), load_picture(paths[name], rows, cols)) for name in ranked
    ]


def spins_to_image(spins: np.ndarray) -> Image.Image:
    """A grayscale image with one pixel per spin: north white, south black."""
    grid = np.asarray(spins)
    return Image.fromarray(np.where(grid > 0, 255, 0).astype(np.uint8), "L")


def export_png(spins: np.ndarray, path: str | Path) -> Path:
    """Write spins as a PNG (one pixel per spin) atomically; return the path.

    Loading the file back gives the same spins.
    """
    return write_atomically(
        path, lambda stream: spins_to_image(spins).save(stream, format="PNG"), PictureError
    )


def random_spins(n: int, rng: np.random.Generator) -> np.ndarray:
    """A random pattern: each spin +1 or -1 with probability one half."""
    return rng.choice(np.array([-1, 1], dtype=np.int8), size=n)


def random_patterns(count: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` random patterns of ``n`` spins, int8 (count, n), drawn as bytes.

    Each spin is +1 or -1 with probability one half, like ``random_spins``
    (a different stream); a byte a spin, without an int64 draw each, so that
    thousands of 256x256 patterns take seconds, not minutes, and no more
    memory than the result.
    """
    patterns = np.empty((count, n), dtype=np.int8)
    for start in range(0, count, 64):
        block = patterns[start : start + 64]
        block[...] = rng.integers(0, 2, size=block.shape, dtype=np.int8)
        block *= 2
        block -= 1
    return patterns


# -- ways to break a picture ------------------------------------------------


def scramble_half(spins: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random half of the spins each get a random value (about a quarter flip)."""
    flat = spins.reshape(-1).copy()
    chosen = rng.choice(flat.size, size=flat.size // 2, replace=False)
    flat[chosen] = random_spins(chosen.size, rng)
    return flat.reshape(spins.shape)


def flip_fraction(spins: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Flip exactly ``round(fraction * N)`` spins chosen at random."""
    if not 0.0 <= fraction <= 1.0:
        raise ModelError(f"the fraction to flip is between 0 and 1, not {fraction}")
    flat = spins.reshape(-1).copy()
    chosen = rng.choice(flat.size, size=round(fraction * flat.size), replace=False)
    flat[chosen] *= -1
    return flat.reshape(spins.shape)


def wipe_half(spins: np.ndarray) -> np.ndarray:
    """Set the bottom half of the rows to south (-1)."""
    grid = np.array(spins, dtype=np.int8, copy=True)
    grid[grid.shape[0] // 2 :] = -1
    return grid


def invert(spins: np.ndarray) -> np.ndarray:
    """Turn every spin over."""
    return (-np.asarray(spins)).astype(np.int8)


BREAKS = {
    "scramble": "scramble a random half",
    "flip": "flip 20% of the spins",
    "wipe": "wipe the bottom half",
    "invert": "invert every spin",
}
"""The ways to break a picture, with their descriptions."""


def break_spins(spins: np.ndarray, how: str, rng: np.random.Generator) -> np.ndarray:
    """Break a picture in one of the ways named in ``BREAKS``."""
    if how == "scramble":
        return scramble_half(spins, rng)
    if how == "flip":
        return flip_fraction(spins, 0.2, rng)
    if how == "wipe":
        return wipe_half(spins)
    if how == "invert":
        return invert(spins)
    raise ModelError(f"unknown way to break a picture: {how!r}")
