"""The prompts that imprint a picture file or some words, with their live previews."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image
from textual.widgets import Input, Label

from tui_hopfield.model import load_picture
from tui_hopfield.model.text import text_to_spins
from tui_hopfield.ui.picture_prompt import PicturePrompt
from tui_hopfield.ui.text_prompt import TextPrompt, name_for
from tui_hopfield.ui.theme import PaletteApp

UNSET = object()


class PromptApp(PaletteApp):
    """Opens one prompt and keeps what it dismissed with."""

    def __init__(self, prompt) -> None:
        super().__init__()
        self.prompt = prompt
        self.result = UNSET

    def on_mount(self) -> None:
        self.push_screen(self.prompt, self.keep)

    def keep(self, result) -> None:
        self.result = result


def gradient(tmp_path, name: str = "ramp.png") -> str:
    """A left-to-right gray ramp, darker than middle gray for the most part."""
    levels = np.tile(np.linspace(0, 180, 40).astype(np.uint8), (20, 1))
    path = tmp_path / name
    Image.fromarray(levels, "L").save(path)
    return str(path)


async def type_text(pilot, text: str) -> None:
    for character in text:
        await pilot.press("space" if character == " " else character)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def message_of(prompt) -> Label:
    return prompt.query_one("#message", Label)


# -- the picture prompt ----------------------------------------------------------


async def test_typing_a_path_previews_the_spins_and_names_the_memory(tmp_path):
    path = gradient(tmp_path)
    prompt = PicturePrompt(16, 24, tmp_path)
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        assert prompt.query_one("#path", Input).value == f"{tmp_path}/"
        assert prompt.preview.values is None
        await pilot.press("end")  # the folder is selected: end keeps it, to type after it
        await type_text(pilot, "ra")
        await pilot.press("right")  # take the completion: ramp.png
        await settle(pilot)
        assert prompt.query_one("#path", Input).value == path
        expected = load_picture(path, 16, 24)
        assert np.array_equal(prompt.preview.values, expected)
        assert prompt.preview.size == (24, 8)  # one half cell per spin
        assert prompt.query_one("#name", Input).value == "ramp"
        assert not message_of(prompt).has_class("-error")
        await pilot.press("enter")
        await pilot.pause()
        spins, name = app.result
        assert name == "ramp" and spins.dtype == np.int8
        assert np.array_equal(spins, expected)


async def test_choosing_a_method_changes_the_preview(tmp_path):
    path = gradient(tmp_path)
    prompt = PicturePrompt(16, 24, tmp_path)
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        prompt.query_one("#path", Input).value = path
        await settle(pilot)
        fixed = prompt.preview.values.copy()
        assert np.array_equal(fixed, load_picture(path, 16, 24, method="fixed"))
        await pilot.click("#method-median")
        await settle(pilot)
        median = load_picture(path, 16, 24, method="median")
        assert not np.array_equal(median, fixed)
        assert np.array_equal(prompt.preview.values, median)
        assert "median" in str(prompt.query_one("#method-note", Label).content)
        await pilot.click("#method-dither")
        await settle(pilot)
        dither = load_picture(path, 16, 24, method="dither")
        assert np.array_equal(prompt.preview.values, dither)
        await pilot.click("#imprint")
        await pilot.pause()
        spins, name = app.result
        assert np.array_equal(spins, dither) and name == "ramp"


async def test_a_corrupt_file_shows_why_and_imprints_nothing(tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n this is not the rest of a png")
    prompt = PicturePrompt(16, 16, tmp_path)
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        prompt.query_one("#path", Input).value = str(broken)
        await settle(pilot)
        message = message_of(prompt)
        assert message.has_class("-error")
        assert "broken.png" in str(message.content)
        assert prompt.preview.values is None
        await pilot.press("enter")
        await pilot.click("#imprint")
        await pilot.pause()
        assert app.screen is prompt and app.result is UNSET
        await pilot.press("escape")
        await pilot.pause()
        assert app.result is None


async def test_a_missing_file_and_a_folder(tmp_path):
    prompt = PicturePrompt(16, 16, tmp_path)
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        assert not message_of(prompt).has_class("-error")  # a folder: choose a file in it
        assert "path of a picture" in str(message_of(prompt).content)
        await type_text(pilot, "nothing.png")
        await settle(pilot)
        assert message_of(prompt).has_class("-error")
        assert "no such file" in str(message_of(prompt).content)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt and app.result is UNSET


async def test_enter_on_a_folder_says_it_is_a_folder(tmp_path):
    folder = tmp_path / "pictures.png"
    folder.mkdir()
    prompt = PicturePrompt(16, 16, tmp_path)
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        prompt.query_one("#path", Input).value = str(folder)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert message_of(prompt).has_class("-error")
        assert "is a folder" in str(message_of(prompt).content)
        assert app.screen is prompt and app.result is UNSET


async def test_a_preview_that_ends_after_the_prompt_closed_is_dropped(tmp_path, monkeypatch):
    """Fuzz seed 1: a read that failed while the prompt was being taken down wrote its
    message into the gone widgets (NoMatches in the preview worker; the app stopped)."""
    import threading

    from tui_hopfield.model import PictureError
    from tui_hopfield.ui import picture_prompt

    release, started = threading.Event(), threading.Event()

    def slow_missing(*args, **kwargs):
        started.set()
        release.wait(60)
        raise PictureError("no such file: x.png")

    monkeypatch.setattr(picture_prompt, "load_picture", slow_missing)
    prompt = PicturePrompt(16, 16, tmp_path)
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        prompt.query_one("#path", Input).value = str(tmp_path / "x.png")
        for _ in range(500):
            if started.is_set():
                break
            await pilot.pause()
        assert started.is_set()
        # The prompt is being taken down (as when it is closed mid-read): its widgets go.
        await prompt.query_one("#message").remove()
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app._exception is None


async def test_a_pipe_is_refused_without_reading_it(tmp_path):
    pipe = tmp_path / "pipe.png"
    os.mkfifo(pipe)
    prompt = PicturePrompt(16, 16, tmp_path)
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        prompt.query_one("#path", Input).value = str(pipe)
        await settle(pilot)
        assert "not a regular file" in str(message_of(prompt).content)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt and app.result is UNSET


async def test_a_name_typed_by_the_user_stays(tmp_path):
    first = gradient(tmp_path, "first.png")
    second = gradient(tmp_path, "second.png")
    prompt = PicturePrompt(16, 16, tmp_path)
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        path_input = prompt.query_one("#path", Input)
        name_input = prompt.query_one("#name", Input)
        path_input.value = first
        await settle(pilot)
        assert name_input.value == "first"
        path_input.value = second
        await settle(pilot)
        assert name_input.value == "second"  # not typed: it follows the file
        name_input.value = "my ramp"
        path_input.value = first
        await settle(pilot)
        assert name_input.value == "my ramp"
        name_input.value = "   "
        name_input.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.result[1] == "first"  # a blank name falls back to the file's


async def test_escape_cancels_the_picture_prompt(tmp_path):
    prompt = PicturePrompt(16, 16, tmp_path)
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        prompt.query_one("#path", Input).value = gradient(tmp_path)
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.result is None


async def test_a_large_grid_gets_a_shrunken_preview(tmp_path):
    path = gradient(tmp_path)
    prompt = PicturePrompt(128, 128, tmp_path)
    app = PromptApp(prompt)
    async with app.run_test(size=(80, 24)) as pilot:
        prompt.query_one("#path", Input).value = path
        await settle(pilot)
        assert prompt.preview.values.shape == (128, 128)
        width, height = prompt.preview.size
        assert height <= 24 - 8 and width <= 80 - 36
        assert prompt.query_one("#imprint-dialog").region.right <= 80


# -- the text prompt -------------------------------------------------------------


async def test_the_text_preview_follows_each_key():
    prompt = TextPrompt(32, 32)
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.pause()
        assert prompt.preview.values is None
        await type_text(pilot, "Hi")
        assert np.array_equal(prompt.preview.values, text_to_spins("Hi", 32, 32))
        await type_text(pilot, " there")
        assert np.array_equal(prompt.preview.values, text_to_spins("Hi there", 32, 32))
        assert prompt.query_one("#name", Input).value == "Hi there"
        await pilot.press("enter")
        await pilot.pause()
        spins, name = app.result
        assert name == "Hi there"
        assert np.array_equal(spins, text_to_spins("Hi there", 32, 32))


async def test_text_that_does_not_fit_imprints_nothing():
    prompt = TextPrompt(16, 16, "far too many words for this")
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.pause()
        assert message_of(prompt).has_class("-error")
        assert "does not fit" in str(message_of(prompt).content)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt and app.result is UNSET


async def test_empty_text_imprints_nothing_and_escape_cancels():
    prompt = TextPrompt(16, 16)
    app = PromptApp(prompt)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("space", "enter")
        await pilot.pause()
        assert app.screen is prompt and app.result is UNSET
        assert message_of(prompt).has_class("-error")
        await pilot.press("escape")
        await pilot.pause()
        assert app.result is None


@pytest.mark.parametrize(
    ("text", "name"),
    [("  Hebb  rule ", "Hebb rule"), ("x" * 30, "x" * 23 + "\u2026")],
)
def test_a_name_from_the_text(text, name):
    assert name_for(text) == name
