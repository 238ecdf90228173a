"""The exported picture: the grid in its colours, each magnet a square, written atomically."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from tui_hopfield.model import PictureError
from tui_hopfield.model.patterns import random_spins
from tui_hopfield.model.picture_export import (
    EXPORT_SIDE,
    export_picture,
    export_scale,
    grid_picture,
)

NORTH, SOUTH = (230, 159, 0), (0, 114, 178)


def by_hand(values: np.ndarray, north, south, scale: int) -> list[list[tuple[int, int, int]]]:
    """The picture pixel by pixel, from the grid cell each pixel lies in (slowly)."""
    rows, cols = values.shape
    picture = []
    for y in range(rows * scale):
        line = []
        for x in range(cols * scale):
            value = min(max(float(values[y // scale, x // scale]), -1.0), 1.0)
            share = (value + 1) / 2
            line.append(
                tuple(round(s + (n - s) * share) for n, s in zip(north, south, strict=True))
            )
        picture.append(line)
    return picture


def pixels(image: Image.Image) -> list[list[tuple[int, int, int]]]:
    array = np.asarray(image.convert("RGB"))
    return [[tuple(int(c) for c in pixel) for pixel in line] for line in array]


def test_spins_become_squares_of_the_two_colours():
    spins = np.array([[1, -1, -1], [-1, 1, 1]], dtype=np.int8)
    image = grid_picture(spins, NORTH, SOUTH, 4)
    assert image.mode == "RGB" and image.size == (12, 8)
    assert pixels(image) == by_hand(spins, NORTH, SOUTH, 4)
    assert image.getpixel((0, 0)) == NORTH and image.getpixel((4, 0)) == SOUTH
    assert image.getpixel((11, 7)) == NORTH and image.getpixel((3, 4)) == SOUTH


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 9),
    st.integers(1, 9),
    st.integers(1, 6),
    st.integers(0, 2**32 - 1),
    st.tuples(*[st.integers(0, 255)] * 3),
    st.tuples(*[st.integers(0, 255)] * 3),
)
def test_any_grid_is_its_cells_scaled(rows, cols, scale, seed, north, south):
    rng = np.random.default_rng(seed)
    values = np.round(rng.uniform(-1.5, 1.5, (rows, cols)), 3)  # shades, and some clipped
    image = grid_picture(values, north, south, scale)
    assert image.size == (cols * scale, rows * scale)
    assert pixels(image) == by_hand(values, north, south, scale)


def test_nan_is_the_middle_colour():
    image = grid_picture(np.array([[np.nan]]), (200, 0, 100), (0, 100, 0), 1)
    assert image.getpixel((0, 0)) == (100, 50, 50)


def test_the_scale_makes_the_longer_side_at_least_512_pixels():
    assert export_scale(32, 32) == 16
    assert export_scale(256, 256) == 2
    assert export_scale(24, 40) == 13  # 520 x 312
    assert export_scale(4, 4) == 128
    assert export_scale(600, 10) == 1
    for rows, cols in [(32, 32), (24, 40), (256, 256), (5, 7), (4, 256)]:
        scale = export_scale(rows, cols)
        assert max(rows, cols) * scale >= EXPORT_SIDE > max(rows, cols) * (scale - 1)


@pytest.mark.parametrize(
    ("north", "scale"), [((256, 0, 0), 1), ((1, 2), 1), ((1.5, 2, 3), 1), (NORTH, 0)]
)
def test_bad_colours_and_scales_are_refused(north, scale):
    with pytest.raises(ValueError):
        grid_picture(np.ones((2, 2)), north, SOUTH, scale)


def test_export_writes_a_png_of_the_grid_scaled_up(tmp_path):
    spins = random_spins(32 * 32, np.random.default_rng(3)).reshape(32, 32)
    written = export_picture(spins, tmp_path / "grid.png", NORTH, SOUTH)
    assert written == tmp_path / "grid.png"
    with Image.open(written) as image:
        assert image.format == "PNG" and image.size == (512, 512)
        array = np.asarray(image.convert("RGB"))
    expected = np.where(spins[..., None] > 0, NORTH, SOUTH).astype(np.uint8)
    assert np.array_equal(array, np.repeat(np.repeat(expected, 16, axis=0), 16, axis=1))
    assert [path.name for path in tmp_path.iterdir()] == ["grid.png"]  # no temporary left


def test_a_missing_folder_is_refused_and_not_made(tmp_path):
    target = tmp_path / "no" / "such" / "grid.png"
    with pytest.raises(PictureError, match="no such folder"):
        export_picture(np.ones((4, 4)), target, NORTH, SOUTH)
    assert list(tmp_path.iterdir()) == []
    written = export_picture(np.ones((4, 4)), target, NORTH, SOUTH, make_folders=True)
    assert written.is_file()


def test_a_folder_or_a_fifo_is_not_replaced(tmp_path):
    (tmp_path / "taken.png").mkdir()
    with pytest.raises(PictureError, match="a folder"):
        export_picture(np.ones((4, 4)), tmp_path / "taken.png", NORTH, SOUTH)
    assert (tmp_path / "taken.png").is_dir()
    os.mkfifo(tmp_path / "pipe.png")
    with pytest.raises(PictureError, match="FIFO"):
        export_picture(np.ones((4, 4)), tmp_path / "pipe.png", NORTH, SOUTH)
