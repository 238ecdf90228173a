"""Scenes for the "letting go" study: a place and two companions met there.

A scene is three pictures: its background (the place), an old companion and
a new one. A memory of the scene is the background on the left half of the
grid and a companion on the right half, so that both memories of one scene
share the place exactly and differ only in who is there.

The built-in scenes are PNG files in ``assets/scenes/`` drawn by
``assets/draw_scenes.py``; a user's folder holds images named
``<scene>_bg``, ``<scene>_old`` and ``<scene>_new`` in any format Pillow
reads (``park_bg.png``, ``park_old.jpg``...). Other files are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.names import clean_name
from tui_hopfield.model.paths import expand
from tui_hopfield.model.patterns import flip_fraction, load_picture, random_spins

ROLES = ("bg", "old", "new")
"""The three pictures of a scene, by the suffix of their file names."""
BUILTIN_ORDER = ("park", "kitchen", "street", "harbour", "night")
"""The built-in scenes that come first, in this order; any others follow by name."""
_NAME = re.compile(r"^(?P<scene>.+)_(?P<role>bg|old|new)$", re.IGNORECASE)


class SceneError(ModelError):
    """A scene folder that cannot be used; the message says why, in one line."""


@dataclass(frozen=True)
class Scene:
    """A place and its two companions, as spins of one size."""

    name: str
    """The scene's name (the part of the file names before ``_bg``)."""
    background: np.ndarray
    """The place, int8 (rows, cols) of +-1."""
    old: np.ndarray
    """The old companion, int8 (rows, cols)."""
    new: np.ndarray
    """The new companion, int8 (rows, cols)."""

    @property
    def rows(self) -> int:
        """Rows of each picture (and of a memory)."""
        return self.background.shape[0]

    @property
    def cols(self) -> int:
        """Columns of each picture; a memory has twice as many."""
        return self.background.shape[1]

    def memory(self, which: str) -> np.ndarray:
        """Background beside the ``old`` or ``new`` companion, int8 (rows, 2 cols)."""
        companion = {"old": self.old, "new": self.new}[which]
        return np.hstack([self.background, companion])

    def cue(self, noise: float, rng: np.random.Generator) -> np.ndarray:
        """The place with ``noise`` of its spins flipped and random spins for the companion."""
        place = flip_fraction(self.background, noise, rng)
        unknown = random_spins(self.rows * self.cols, rng).reshape(self.rows, self.cols)
        return np.hstack([place, unknown])


def scenes_folder() -> Path:
    """Where the built-in scenes live: inside the installed package, or ``assets/``."""
    packaged = resources.files("tui_hopfield") / "assets" / "scenes"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "assets" / "scenes"


def builtin_scenes(rows: int = 32, cols: int = 32) -> tuple[Scene, ...]:
    """The built-in scenes, each picture on a ``rows x cols`` grid."""
    return load_scenes(scenes_folder(), rows, cols, order=BUILTIN_ORDER)


BLOG_PLACES = ("beach", "station")
"""The two places (``assets/scenes/blog/<place>_bg.png``) that make the built-in five
seven, as many as the blog's study has."""


def shared_companions(
    scenes: Sequence[Scene], old: np.ndarray, new: np.ndarray
) -> tuple[Scene, ...]:
    """The same places, each with the one ``old`` and the one ``new`` companion given.

    The blog's design: one ex and one new companion met in every place, so that
    living one place with the new companion pulls every other place's recall
    towards it too (the memories share their companion half).
    """
    return tuple(Scene(scene.name, scene.background, old, new) for scene in scenes)


def blog_scenes(rows: int = 32, cols: int = 32) -> tuple[Scene, ...]:
    """The blog's seven scenes: the five built-in places and ``BLOG_PLACES``, all with
    the park's companions (the dog is the ex, the kite the new one)."""
    builtin = builtin_scenes(rows, cols)
    park = builtin[0]
    folder = scenes_folder() / "blog"
    extra = [
        Scene(name, load_picture(folder / f"{name}_bg.png", rows, cols), park.old, park.new)
        for name in BLOG_PLACES
    ]
    return shared_companions([*builtin, *extra], park.old, park.new)


def load_scenes(
    folder: str | Path, rows: int = 32, cols: int = 32, order: tuple[str, ...] = ()
) -> tuple[Scene, ...]:
    """Every scene in ``folder``: those named in ``order`` first, the rest by name.

    Raises ``SceneError`` (or the ``PictureError`` of an unreadable image)
    naming the file or the scene and what is wrong.
    """
    files = _scene_files(expand(folder))
    names = [name for name in order if name in files]
    names += sorted(name for name in files if name not in order)
    scenes = []
    for name in names:
        roles = files[name]
        missing = [role for role in ROLES if role not in roles]
        if missing:
            raise SceneError(
                f"scene {name!r} in {folder} has no {name}_{missing[0]} image"
                f" (a scene needs {name}_bg, {name}_old and {name}_new)"
            )
        pictures = {role: load_picture(roles[role], rows, cols) for role in ROLES}
        scenes.append(Scene(name, pictures["bg"], pictures["old"], pictures["new"]))
    return tuple(scenes)


def _scene_files(folder: Path) -> dict[str, dict[str, Path]]:
    """The scene images in ``folder``: scene name -> role -> path."""
    if not folder.exists():
        raise SceneError(f"no such folder: {folder}")
    if not folder.is_dir():
        raise SceneError(f"{folder} is not a folder")
    try:
        paths = sorted(folder.iterdir())
    except OSError as error:
        raise SceneError(f"cannot read the folder {folder}: {error.strerror or error}") from None
    files: dict[str, dict[str, Path]] = {}
    for path in paths:
        match = _NAME.match(path.stem)
        if path.name.startswith(".") or not match:
            continue
        scene, role = clean_name(match.group("scene")), match.group("role").lower()
        roles = files.setdefault(scene, {})
        if role in roles:
            raise SceneError(
                f"two images for {scene}_{role} in {folder}: {roles[role].name} and {path.name}"
            )
        roles[role] = path
    if not files:
        raise SceneError(
            f"no scene images in {folder}: name them <scene>_bg, <scene>_old and <scene>_new"
        )
    return files
