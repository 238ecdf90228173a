"""Crafted images, as an attacker would hand them over: each is refused with a message that
names the file and the reason, and nothing is imprinted.

The attack table builds each file in ``tmp_path``. Every row runs with every Pillow plugin
outside ``SAFE_FORMATS`` replaced by a spy, and with no subprocess allowed: a row passes only
if no other plugin was asked to open the file (the EPS plugin would run Ghostscript).
"""

from __future__ import annotations

import contextlib
import io
import os
import struct
import subprocess
import threading
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from textual.widgets import Input, Label

from tui_hopfield import cli
from tui_hopfield.model import PictureError, load_picture
from tui_hopfield.model.patterns import (
    MAX_IMAGE_BYTES,
    MAX_PIXELS,
    MAX_SIDE,
    SAFE_FORMATS,
    format_names,
    image_suffixes,
)
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.picture_prompt import PicturePrompt

# -- building crafted files -------------------------------------------------------


def chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR (1-bit gray) declaring any size, with a token IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00" * 4, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content)
    else:
        path.write_bytes(content)
    return path


def half_white(mode: str = "L", size=(40, 40)) -> Image.Image:
    """Left half white, right half black."""
    image = Image.new("L", size, 0)
    image.paste(255, (0, 0, size[0] // 2, size[1]))
    return image.convert(mode)


def encoded(image: Image.Image, format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


EPS = (
    "%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"
    "newpath 0 0 moveto 10 10 lineto stroke\n(%pipe%touch /tmp/owned) run\nshowpage\n%%EOF\n"
)


def dos_eps(tmp_path: Path) -> Path:
    """A DOS EPS: a binary header pointing at a PostScript section."""
    body = EPS.encode()
    header = b"\xc5\xd0\xd3\xc6" + struct.pack("<IIIIII", 32, len(body), 0, 0, 0, 0) + b"\xff\xff"
    return write(tmp_path, "picture.eps", header + body)


def svg(tmp_path: Path) -> Path:
    text = (
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<image href="file:///etc/passwd"/></svg>\n'
    )
    return write(tmp_path, "picture.svg", text)


def truncated(format: str, name: str) -> Callable[[Path], Path]:
    def build(tmp_path: Path) -> Path:
        noise = np.random.default_rng(7).integers(0, 256, (300, 300), dtype=np.uint8)
        data = encoded(Image.fromarray(noise, "L"), format)
        return write(tmp_path, name, data[: len(data) // 2])

    return build


def gif_screen(width: int, height: int) -> Callable[[Path], Path]:
    """A GIF whose logical screen is ``width x height`` around a 2x2 frame."""

    def build(tmp_path: Path) -> Path:
        data = bytearray(encoded(half_white("P", (2, 2)), "GIF"))
        data[6:10] = struct.pack("<HH", width, height)
        return write(tmp_path, "screen.gif", bytes(data))

    return build


def jpeg_declaring(width: int, height: int) -> Callable[[Path], Path]:
    """A small JPEG whose frame header (SOF0) declares another size."""

    def build(tmp_path: Path) -> Path:
        data = bytearray(encoded(half_white("L", (16, 16)), "JPEG"))
        sof = data.index(b"\xff\xc0")
        data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
        return write(tmp_path, "wide.jpg", bytes(data))

    return build


def oversized(tmp_path: Path) -> Path:
    """A sparse file one byte over the limit, starting like a PNG."""
    path = write(tmp_path, "huge.png", png_header_only(8, 8))
    with path.open("r+b") as stream:
        stream.truncate(MAX_IMAGE_BYTES + 1)
    return path


def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.png"
    os.mkfifo(path)
    return path


def link_to_fifo(tmp_path: Path) -> Path:
    link = tmp_path / "link.png"
    link.symlink_to(fifo(tmp_path))
    return link


def dev_zero(tmp_path: Path) -> Path:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    return Path("/dev/zero")


def folder(tmp_path: Path) -> Path:
    path = tmp_path / "album.png"
    path.mkdir()
    return path


SIDE = f"a side longer than {MAX_SIDE:,} pixels"

ATTACKS: list[tuple[str, Callable[[Path], Path], str]] = [
    ("eps", lambda t: write(t, "picture.eps", EPS), "is PostScript, which is never opened"),
    ("eps named png", lambda t: write(t, "picture.png", EPS), "is PostScript, which is never"),
    ("dos eps", dos_eps, "is EPS, which is never opened"),
    ("ps", lambda t: write(t, "page.ps", "%!PS-Adobe-3.0\nshowpage\n"), "is PostScript"),
    ("pdf", lambda t: write(t, "doc.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n"), "is PDF, which"),
    ("svg", svg, "is SVG, which is never opened"),
    ("png 1 x 39,999,999", lambda t: write(t, "tall.png", png_header_only(1, 39_999_999)), SIDE),
    ("png 40,000 x 1", lambda t: write(t, "wide.png", png_header_only(40_000, 1)), SIDE),
    ("jpeg 60,000 x 2", jpeg_declaring(60_000, 2), SIDE),
    ("gif screen 60,000 x 2", gif_screen(60_000, 2), SIDE),
    (
        "png over Pillow's cap",
        lambda t: write(t, "bomb.png", png_header_only(20_000, 20_000)),
        "declares more than",
    ),
    ("png over 40 million", lambda t: write(t, "big.png", png_header_only(8000, 8000)), "million"),
    ("truncated png", truncated("PNG", "cut.png"), "could not be read"),
    ("truncated jpeg", truncated("JPEG", "cut.jpg"), "could not be read"),
    ("text named png", lambda t: write(t, "notes.png", "hello, world\n"), format_names()),
    ("random bytes", lambda t: write(t, "noise.png", bytes(range(256)) * 7), "not an image"),
    ("empty", lambda t: write(t, "empty.png", b""), "is empty"),
    ("over the size cap", oversized, f"{MAX_IMAGE_BYTES // 1_000_000} MB an image file may"),
    ("fifo", fifo, "not a regular file"),
    ("link to a fifo", link_to_fifo, "not a regular file"),
    ("/dev/zero", dev_zero, "not a regular file"),
    ("folder", folder, "is a folder"),
]


@pytest.fixture
def only_safe_plugins(monkeypatch) -> list[str]:
    """Replace every plugin outside ``SAFE_FORMATS`` with a spy; forbid subprocesses.

    Returns the list of the formats whose plugins were asked to open a file.
    """
    Image.init()
    asked: list[str] = []
    for name, (_factory, accept) in list(Image.OPEN.items()):
        if name in SAFE_FORMATS:
            continue

        def spy(fp, filename, _name=name):
            asked.append(_name)
            raise SyntaxError(f"the {_name} plugin must not be asked")

        monkeypatch.setitem(Image.OPEN, name, (spy, accept))

    def no_subprocess(*args, **kwargs):
        asked.append(f"subprocess {args[:1]}")
        raise AssertionError("no program may run to open an image")

    monkeypatch.setattr(subprocess, "Popen", no_subprocess)
    monkeypatch.setattr(subprocess, "check_call", no_subprocess)
    return asked


def in_a_thread(call: Callable[[], object], unblock: Path | None = None) -> object:
    """Run ``call`` in a thread, joined generously; a call that never returns fails.

    ``unblock``: a FIFO to open for writing afterwards, so that a reader stuck on it
    (without the fix) is released and the test ends.
    """
    outcome: list[object] = []

    def target() -> None:
        try:
            outcome.append(call())
        except BaseException as problem:  # handed to the test below
            outcome.append(problem)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(60)
    stuck = thread.is_alive()
    if stuck and unblock is not None and unblock.exists():
        with contextlib.suppress(OSError):
            os.close(os.open(unblock, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(10)
    assert not stuck, "opening the image did not return: it blocked or read without end"
    return outcome[0]


@pytest.mark.parametrize(
    ("build", "fragment"), [row[1:] for row in ATTACKS], ids=[row[0] for row in ATTACKS]
)
def test_each_attack_is_refused_with_its_reason(tmp_path, only_safe_plugins, build, fragment):
    path = build(tmp_path)
    fifo_path = path.resolve() if path.is_symlink() else path
    result = in_a_thread(lambda: load_picture(path, 16, 16), unblock=fifo_path)
    assert isinstance(result, PictureError), f"not refused: {result!r}"
    message = str(result)
    assert fragment in message
    assert str(path) in message  # names the file
    assert only_safe_plugins == []  # no other plugin, no Ghostscript


@pytest.mark.parametrize("row", ["eps", "png 1 x 39,999,999", "fifo"])
def test_the_command_line_refuses_them_in_one_line(tmp_path, monkeypatch, capsys, row):
    _, build, fragment = next(attack for attack in ATTACKS if attack[0] == row)
    path = build(tmp_path)
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(tmp_path / "data"))
    started = []
    monkeypatch.setattr(HopfieldApp, "run", lambda self: started.append(self.network.count))
    status = in_a_thread(lambda: cli.main(["--no-autosave", "--imprint", str(path)]), path)
    assert status == 1 and started == []  # no app started with anything imprinted
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and str(path) in lines[0]


async def wait_for(pilot, condition: Callable[[], bool]) -> None:
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if condition():
            return
    raise AssertionError("the condition never came")


@pytest.mark.parametrize("row", ["eps", "png 1 x 39,999,999", "fifo"])
async def test_the_picture_prompt_imprints_none_of_them(tmp_path, monkeypatch, row):
    _, build, fragment = next(attack for attack in ATTACKS if attack[0] == row)
    path = build(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(tmp_path / "data"))
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")  # one memory from the library
        await pilot.pause()
        count = app.network.count
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PicturePrompt))
        prompt = app.screen
        message = prompt.query_one("#message", Label)
        prompt.query_one("#path", Input).value = str(path)
        await wait_for(pilot, lambda: fragment in str(message.content))
        assert message.has_class("-error") and str(path) in str(message.content)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt  # still asking: nothing to imprint
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PicturePrompt))
        assert app.network.count == count


# -- what must still work ---------------------------------------------------------


def test_a_gif_of_ten_thousand_frames_gives_its_first_frame(tmp_path, only_safe_plugins):
    # Built by hand: the first frame, then 9,999 copies of a black one.
    first = encoded(half_white("P"), "GIF")
    black = encoded(Image.new("P", (40, 40), 0), "GIF")
    frame = black[black.index(b"\x2c", 13) : -1]  # image descriptor to the end, no trailer
    path = write(tmp_path, "frames.gif", first[:-1] + frame * 9_999 + b"\x3b")
    assert Image.open(path, formats=["GIF"]).n_frames == 10_000
    spins = load_picture(path, 8, 8)
    assert np.all(spins[:, :3] == 1) and np.all(spins[:, 5:] == -1)
    assert only_safe_plugins == []


TIFF_MODES = ["1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "YCbCr", "LAB", "I", "F", "I;16"]


@pytest.mark.parametrize("mode", TIFF_MODES)
def test_a_tiff_in_any_mode_imprints_its_picture(tmp_path, only_safe_plugins, mode):
    if mode == "I;16":
        image = Image.fromarray(np.asarray(half_white()).astype("<u2") * 257)
    elif mode in ("LAB", "YCbCr"):
        image = half_white("RGB").convert(mode)
    else:
        image = half_white(mode)
    path = tmp_path / "odd.tif"
    image.save(path)
    assert Image.open(path, formats=["TIFF"]).mode == mode
    spins = load_picture(path, 8, 8)
    assert np.all(spins[:, :3] == 1) and np.all(spins[:, 5:] == -1)
    assert only_safe_plugins == []


@pytest.mark.parametrize(
    ("format", "name"),
    [("PNG", "a.png"), ("JPEG", "a.jpg"), ("GIF", "a.gif"), ("BMP", "a.bmp"), ("WEBP", "a.webp")],
)
def test_every_safe_format_opens(tmp_path, only_safe_plugins, format, name):
    path = write(
        tmp_path,
        name,
        encoded(half_white("RGB"), format, **({"quality": 95} if format != "PNG" else {})),
    )
    spins = load_picture(path, 8, 8)
    assert np.all(spins[:, :3] == 1) and np.all(spins[:, 5:] == -1)


def test_the_largest_legal_sides_open(tmp_path):
    tall = write(tmp_path, "tall.png", encoded(Image.new("1", (1, MAX_SIDE), 1), "PNG"))
    assert np.all(load_picture(tall, 8, 8) == 1)


# -- what is offered and said -----------------------------------------------------


def test_completion_offers_only_the_safe_formats(tmp_path):
    suffixes = set(image_suffixes())
    assert {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff"} <= suffixes
    assert not suffixes & {".eps", ".ps", ".pdf", ".svg", ".ico", ".psd", ".xpm", ".pcx"}
    registered = Image.registered_extensions()
    assert {registered[suffix] for suffix in suffixes} == set(SAFE_FORMATS)


async def test_the_prompt_completes_no_postscript(tmp_path):
    write(tmp_path, "drawing.eps", EPS)
    write(tmp_path, "drawing.ps", EPS)
    write(tmp_path, "drawing.pdf", b"%PDF-1.4\n")
    write(tmp_path, "drawings.png", encoded(half_white(), "PNG"))
    app = HopfieldApp(16, 16, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(PicturePrompt(16, 16, tmp_path))
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PicturePrompt))
        suggester = pilot.app.screen.query_one("#path", Input).suggester
        assert await suggester.get_suggestion(f"{tmp_path}/dra") == f"{tmp_path}/drawings.png"
        hint = str(pilot.app.screen.query_one("#message", Label).content)
        assert format_names() in hint


def test_the_formats_are_named_from_one_list():
    assert format_names() == "PNG, JPEG, GIF, BMP, WebP or TIFF"
    assert format_names() in " ".join(cli.parser().format_help().split())
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    text = " ".join(readme.split())
    assert format_names("and") in text
    stated = f"at most {MAX_IMAGE_BYTES // 1_000_000} MB, whose header declares at most"
    stated += f" {MAX_SIDE:,} pixels a side and {MAX_PIXELS // 1_000_000} million pixels in all"
    assert stated in text
