"""Pictures and spins: an image onto the grid, the built-in library.

A picture becomes spins much as the classic Python code does it (grayscale,
resize to the grid, threshold at 127: brighter is north, +1), with three
deliberate departures: the image is first turned upright by its EXIF
orientation (a phone photo is stored sideways), transparent pixels are laid
on white paper (not read as black), and the resize is LANCZOS (Pillow's
default there is bicubic). On opaque, upright photos the result agrees
with the classic recipe on 98-100 % of the spins; on transparent or rotated
images only on 57-73 %, where the classic recipe draws the wrong picture. Two
other methods (``THRESHOLDS``) balance the picture at its median or dither it.

This is where the app takes pictures from: how an untrusted image file is
opened (``images``) and the random spins and ways to break a picture
(``noise``) are named here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps

from tui_hopfield.model.images import (
    FORMAT_LABELS,
    MAX_IMAGE_BYTES,
    MAX_PIXELS,
    MAX_SIDE,
    REFUSED_SIGNATURES,
    SAFE_FORMATS,
    PictureError,
    format_names,
    image_label,
    image_suffixes,
    open_image,
)
from tui_hopfield.model.names import clean_name
from tui_hopfield.model.noise import (
    BREAKS,
    break_spins,
    flip_fraction,
    invert,
    random_patterns,
    random_spins,
    scramble_half,
    wipe_half,
)

__all__ = [
    "BREAKS",
    "FORMAT_LABELS",
    "LIBRARY_ORDER",
    "MAX_IMAGE_BYTES",
    "MAX_PIXELS",
    "MAX_SIDE",
    "METHODS",
    "REFUSED_SIGNATURES",
    "SAFE_FORMATS",
    "STEM_LENGTH",
    "THRESHOLD",
    "THRESHOLDS",
    "Picture",
    "PictureError",
    "break_spins",
    "flip_fraction",
    "format_names",
    "image_suffixes",
    "image_to_spins",
    "invert",
    "library",
    "library_folder",
    "load_picture",
    "open_image",
    "picture_name",
    "random_patterns",
    "random_spins",
    "scramble_half",
    "wipe_half",
]

THRESHOLD = 127
"""Gray levels above this become north (+1)."""
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

    Unlike the classic recipe (on purpose, see the module's docstring), the
    image is first turned upright by its EXIF orientation, transparent pixels
    are laid on white, and the resize is LANCZOS.

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
            raise PictureError(f"{image_label(source)} could not be read: {error}") from None


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
