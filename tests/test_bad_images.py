"""Every kind of image a user may hand over: imprinted right, or refused with a message."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tui_hopfield.model import PictureError, load_picture
from tui_hopfield.model import patterns as patterns_module


def half_white(mode: str = "L", size=(40, 40)) -> Image.Image:
    """Left half white, right half black, in any mode."""
    image = Image.new("L", size, 0)
    image.paste(255, (0, 0, size[0] // 2, size[1]))
    return image.convert(mode)


def saved(tmp_path, image: Image.Image, name: str, **options) -> str:
    path = tmp_path / name
    image.save(path, **options)
    return str(path)


def assert_half_white(spins: np.ndarray) -> None:
    cols = spins.shape[1]
    assert np.all(spins[:, : cols // 2 - 1] == 1)
    assert np.all(spins[:, cols // 2 + 1 :] == -1)


@pytest.mark.parametrize(
    "content",
    [b"", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 7, b"hello, world\n"],
    ids=["empty", "truncated header", "random bytes", "text"],
)
def test_files_that_are_not_images_are_refused(tmp_path, content):
    path = tmp_path / "picture.png"
    path.write_bytes(content)
    with pytest.raises(PictureError, match=r"picture\.png"):
        load_picture(path, 8, 8)


def test_a_truncated_png_is_refused(tmp_path):
    full = saved(tmp_path, half_white(size=(300, 300)), "full.png")
    data = Path(full).read_bytes()
    cut = tmp_path / "cut.png"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(PictureError, match=r"cut\.png"):
        load_picture(cut, 8, 8)


def test_missing_folder_and_unreadable(tmp_path, monkeypatch):
    with pytest.raises(PictureError, match="no such file"):
        load_picture(tmp_path / "nope.png", 8, 8)
    with pytest.raises(PictureError, match="folder"):
        load_picture(tmp_path, 8, 8)
    path = saved(tmp_path, half_white(), "locked.png")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(patterns_module.Image, "open", refuse)
    with pytest.raises(PictureError, match="no permission"):
        load_picture(path, 8, 8)


def test_a_decompression_bomb_is_refused_before_decoding(tmp_path):
    # A 1-bit 20000 x 20000 PNG is small on disk but 400 million pixels.
    bomb = Image.new("1", (20000, 20000), 0)
    path = saved(tmp_path, bomb, "bomb.png", optimize=True)
    with pytest.raises(PictureError, match="safely"):
        load_picture(path, 8, 8)


def test_tiny_and_very_wide_images(tmp_path):
    one = saved(tmp_path, Image.new("L", (1, 1), 255), "one.png")
    assert np.all(load_picture(one, 8, 8) == 1)
    wide = saved(tmp_path, half_white(size=(4000, 3)), "wide.png")
    assert_half_white(load_picture(wide, 8, 8))


@pytest.mark.parametrize(
    ("mode", "name"),
    [("P", "palette.png"), ("RGBA", "alpha.png"), ("CMYK", "cmyk.jpg"), ("LA", "gray_alpha.png")],
)
def test_image_modes(tmp_path, mode, name):
    path = saved(tmp_path, half_white(mode), name)
    assert_half_white(load_picture(path, 8, 8))


def test_sixteen_bit_grayscale(tmp_path):
    levels = np.zeros((40, 40), dtype=np.uint16)
    levels[:, :20] = 65535
    levels[:, 20:] = 1000  # dark: about 4 on an 8-bit scale
    path = saved(tmp_path, Image.fromarray(levels), "deep.png")
    assert_half_white(load_picture(path, 8, 8))


def test_an_animated_gif_uses_its_first_frame(tmp_path):
    first = half_white("P")
    second = half_white("P").transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    path = tmp_path / "anim.gif"
    first.save(path, save_all=True, append_images=[second], duration=100, loop=0)
    assert_half_white(load_picture(path, 8, 8))


def test_exif_rotation_is_applied(tmp_path):
    # Stored with the white half on top, tagged "rotate 90 clockwise to view":
    # viewed, the white half is on the left... of the rotated picture.
    stored = half_white(size=(40, 40)).transpose(Image.Transpose.ROTATE_90)  # white at the bottom
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to display
    path = saved(tmp_path, stored.convert("RGB"), "rotated.jpg", exif=exif, quality=95)
    spins = load_picture(path, 8, 8)
    expected = np.asarray(
        Image.open(path).transpose(Image.Transpose.ROTATE_270).convert("L").resize((8, 8))
    )
    assert np.array_equal(spins, np.where(expected > 127, 1, -1))
    assert_half_white(spins)


def test_from_a_stream():
    buffer = io.BytesIO()
    half_white().save(buffer, format="BMP")
    buffer.seek(0)
    assert_half_white(load_picture(buffer, 8, 8))
