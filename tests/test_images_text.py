"""Pictures thresholded three ways, and words written in magnets."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tui_hopfield.model import PictureError, load_picture
from tui_hopfield.model.patterns import METHODS, THRESHOLDS, image_suffixes, image_to_spins
from tui_hopfield.model.text import text_to_spins

# A dark 4x4 picture: every level is at most 127, and they are all different.
DARK = np.array(
    [[0, 10, 20, 30], [40, 50, 60, 70], [80, 90, 100, 110], [120, 125, 126, 127]], dtype=np.uint8
)
S, N = -1, 1


def png(levels: np.ndarray) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.fromarray(levels, "L").save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def test_the_methods_are_named_and_described():
    assert METHODS == ("fixed", "median", "dither")
    assert [name for name, _ in THRESHOLDS] == list(METHODS)
    assert all(description and "\n" not in description for _, description in THRESHOLDS)


def test_fixed_is_the_default_and_thresholds_at_127():
    image = Image.fromarray(DARK, "L")
    assert image_to_spins(image, 4, 4).tolist() == [[S] * 4] * 4
    assert image_to_spins(image, 4, 4, method="fixed").tolist() == [[S] * 4] * 4


def test_median_splits_a_dark_picture_in_half():
    # Sorted, the 8th and 9th levels are 70 and 80: the median is 75.
    spins = image_to_spins(Image.fromarray(DARK, "L"), 4, 4, method="median")
    assert spins.tolist() == [[S] * 4, [S] * 4, [N] * 4, [N] * 4]
    assert spins.dtype == np.int8


def test_median_on_a_mostly_white_page_keeps_the_white_north():
    # 13 of 16 pixels are 255, so the median is 255: "> median" would make all
    # south; 13 north is nearer to half than 0 north.
    levels = np.full((4, 4), 255, dtype=np.uint8)
    levels[3, :3] = 0
    spins = image_to_spins(Image.fromarray(levels, "L"), 4, 4, method="median")
    assert spins.tolist() == [[N] * 4, [N] * 4, [N] * 4, [S, S, S, N]]


def test_dither_matches_floyd_steinberg_by_hand():
    # Floyd-Steinberg with threshold "> 128", 7/16 right, 3/16, 5/16, 1/16 below.
    # Row 0 (0, 10, 20, 30) never reaches 128: all south, its error flows down.
    # Row 1 gathers it: 70 + 7/16 of its left neighbour's error + the errors
    # from above pass 128 at the last pixel, and so on down the picture.
    spins = image_to_spins(Image.fromarray(DARK, "L"), 4, 4, method="dither")
    assert (
        spins.tolist()
        == dither_by_hand(DARK).tolist()
        == [
            [S, S, S, S],
            [S, S, S, N],
            [S, N, S, S],
            [N, S, N, N],
        ]
    )


def dither_by_hand(levels: np.ndarray) -> np.ndarray:
    """Textbook Floyd-Steinberg (exact fractions) with Pillow's "> 128"."""
    work = levels.astype(np.float64)
    rows, cols = work.shape
    out = np.empty((rows, cols), dtype=np.int8)
    for y in range(rows):
        for x in range(cols):
            value = min(255.0, max(0.0, work[y, x]))
            out[y, x] = N if value > 128 else S
            error = value - (255 if value > 128 else 0)
            for dy, dx, share in ((0, 1, 7), (1, -1, 3), (1, 0, 5), (1, 1, 1)):
                if y + dy < rows and 0 <= x + dx < cols:
                    work[y + dy, x + dx] += error * share / 16
    return out


def test_dither_keeps_the_share_of_gray_as_a_share_of_north():
    gray = np.full((16, 16), 64, dtype=np.uint8)  # a quarter of the way to white
    spins = image_to_spins(Image.fromarray(gray, "L"), 16, 16, method="dither")
    assert abs((spins > 0).mean() - 64 / 255) < 0.05


def test_load_picture_takes_the_method():
    for method in METHODS:
        expected = image_to_spins(Image.fromarray(DARK, "L"), 4, 4, method=method)
        assert load_picture(png(DARK), 4, 4, method=method).tolist() == expected.tolist()


def test_an_unknown_method_is_refused():
    with pytest.raises(PictureError, match="threshold method"):
        load_picture(png(DARK), 4, 4, method="otsu")
    with pytest.raises(PictureError, match="fixed, median, dither"):
        image_to_spins(Image.fromarray(DARK, "L"), 4, 4, method="")


def test_image_suffixes_name_the_usual_formats():
    suffixes = image_suffixes()
    assert {".png", ".jpg", ".jpeg", ".gif", ".bmp"} <= set(suffixes)
    assert all(suffix.startswith(".") and suffix == suffix.lower() for suffix in suffixes)


# -- text ----------------------------------------------------------------------


def ink_rows(spins: np.ndarray) -> list[int]:
    return np.flatnonzero((spins > 0).any(axis=1)).tolist()


def bands(rows: list[int]) -> int:
    """Runs of consecutive row numbers: lines of text."""
    return sum(1 for k, row in enumerate(rows) if k == 0 or row != rows[k - 1] + 1)


def test_text_is_deterministic_ink_north_on_south():
    first = text_to_spins("Hello world", 32, 32)
    assert first.shape == (32, 32) and first.dtype == np.int8
    assert set(np.unique(first).tolist()) == {-1, 1}
    assert np.array_equal(first, text_to_spins("Hello world", 32, 32))
    assert (first > 0).mean() < 0.5  # letters on paper: most of it is south


@pytest.mark.parametrize(
    ("text", "rows", "cols"),
    [
        ("Hi", 32, 32),
        ("Hello world", 32, 32),
        ("memory is a valley", 64, 64),
        ("A", 8, 8),
        ("Hopfield", 20, 60),
    ],
)
def test_text_fits_inside_the_grid(text, rows, cols):
    spins = text_to_spins(text, rows, cols)
    border = np.concatenate([spins[0], spins[-1], spins[:, 0], spins[:, -1]])
    assert np.all(border == -1)  # a margin all round: nothing was cut off
    assert (spins > 0).sum() > 0


def test_longer_text_has_more_ink():
    # On a wide, low grid the height sets the size, so each word adds letters.
    inks = [
        int((text_to_spins(text, 16, 200) > 0).sum()) for text in ("cat", "cat dog", "cat dog emu")
    ]
    assert inks[0] < inks[1] < inks[2]


def test_a_sentence_wraps_onto_lines():
    assert bands(ink_rows(text_to_spins("Hello world", 32, 32))) == 2
    assert bands(ink_rows(text_to_spins("memory is a valley", 64, 64))) >= 2
    assert bands(ink_rows(text_to_spins("Hello world", 16, 120))) == 1


def test_a_short_word_is_written_large():
    spins = text_to_spins("Hi", 32, 32)
    rows = ink_rows(spins)
    assert rows[-1] - rows[0] + 1 >= 16  # letters at least half the grid tall


def test_whitespace_only_text_is_refused():
    for text in ("", "   ", "\t\n"):
        with pytest.raises(PictureError, match="no text"):
            text_to_spins(text, 32, 32)


def test_text_too_long_to_read_is_refused():
    with pytest.raises(PictureError, match="does not fit legibly on a 32x32 grid"):
        text_to_spins("the quick brown fox jumps over the lazy dog", 32, 32)
    with pytest.raises(PictureError, match="does not fit"):
        text_to_spins("Hello", 5, 64)  # three rows inside the margin: too low for letters
    with pytest.raises(PictureError, match="does not fit"):
        text_to_spins("extraordinarily", 32, 32)  # one word wider than the grid
