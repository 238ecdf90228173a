"""Pictures to spins, the built-in library, and the ways to break a picture."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tui_hopfield.model import PictureError, library, load_picture
from tui_hopfield.model.patterns import (
    LIBRARY_ORDER,
    break_spins,
    flip_fraction,
    image_to_spins,
    invert,
    library_folder,
    scramble_half,
    wipe_half,
)


def png_bytes(image: Image.Image) -> io.BytesIO:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def test_a_hand_computed_example_thresholds_at_127():
    levels = np.array([[0, 127, 128], [255, 200, 30]], dtype=np.uint8)
    spins = image_to_spins(Image.fromarray(levels, "L"), 2, 3)
    assert spins.tolist() == [[-1, -1, 1], [1, 1, -1]]
    assert spins.dtype == np.int8


def test_colour_is_made_gray_first():
    # Pure red is L = 0.299 * 255 = 76 (south); pure green is 150 (north).
    rgb = np.zeros((1, 2, 3), dtype=np.uint8)
    rgb[0, 0] = (255, 0, 0)
    rgb[0, 1] = (0, 255, 0)
    assert image_to_spins(Image.fromarray(rgb, "RGB"), 1, 2).tolist() == [[-1, 1]]


def test_resize_to_the_grid():
    image = Image.new("L", (64, 64), 0)
    image.paste(255, (0, 0, 32, 64))  # left half white
    spins = load_picture(png_bytes(image), 4, 8)
    assert spins.shape == (4, 8)
    assert np.all(spins[:, :4] == 1) and np.all(spins[:, 4:] == -1)


def test_transparent_pixels_are_paper_not_ink():
    image = Image.new("RGBA", (2, 1), (0, 0, 0, 0))
    image.putpixel((1, 0), (0, 0, 0, 255))
    assert load_picture(png_bytes(image), 1, 2).tolist() == [[1, -1]]


def test_unreadable_files_are_refused_with_a_message(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    with pytest.raises(PictureError, match="not an image"):
        load_picture(text, 8, 8)
    with pytest.raises(PictureError, match="no such file"):
        load_picture(tmp_path / "missing.png", 8, 8)
    with pytest.raises(PictureError, match="folder"):
        load_picture(tmp_path, 8, 8)


def test_the_library_has_at_least_ten_distinct_balanced_pictures():
    pictures = library(32, 32)
    names = [p.name for p in pictures]
    assert len(pictures) >= 10
    assert names[:3] == ["smile", "heart", "star"]
    assert names[: len(LIBRARY_ORDER)] == list(LIBRARY_ORDER)
    stack = np.array([p.spins.reshape(-1) for p in pictures], dtype=np.float64)
    overlaps = stack @ stack.T / stack.shape[1]
    np.fill_diagonal(overlaps, 0)
    assert np.abs(overlaps).max() <= 0.35  # distinct enough for Hebb to tell apart
    white = (stack > 0).mean(axis=1)
    assert np.all((white > 0.3) & (white < 0.7))


def test_the_library_fits_any_grid_size():
    for rows, cols in [(8, 8), (16, 40), (64, 64)]:
        for picture in library(rows, cols):
            assert picture.spins.shape == (rows, cols)


def test_library_folder_exists():
    assert (library_folder() / "smile.png").is_file()


def test_scramble_half_changes_about_a_quarter():
    rng = np.random.default_rng(0)
    spins = np.ones((32, 32), dtype=np.int8)
    broken = scramble_half(spins, rng)
    assert broken.shape == spins.shape
    assert 0.18 < (broken != spins).mean() < 0.32
    assert np.all(spins == 1)  # the input is not changed


def test_flip_fraction_flips_exactly_that_many():
    rng = np.random.default_rng(0)
    spins = np.ones(1000, dtype=np.int8)
    assert (flip_fraction(spins, 0.3, rng) == -1).sum() == 300
    with pytest.raises(ValueError):
        flip_fraction(spins, 1.5, rng)


def test_wipe_and_invert():
    spins = np.ones((4, 3), dtype=np.int8)
    assert wipe_half(spins).tolist() == [[1] * 3, [1] * 3, [-1] * 3, [-1] * 3]
    assert np.all(invert(spins) == -1)
    with pytest.raises(ValueError):
        break_spins(spins, "melt", np.random.default_rng())
