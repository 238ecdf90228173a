"""Hints and the board's subtitle keep whole phrases in narrow terminals."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.test_layout import drawn_text, settle
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.fit_text import fit_phrases

HINT = "grid: arrows or h j k l move, space turns a spin, n / s brush \u00b7 tab: next"


def test_the_last_phrases_go_first():
    assert fit_phrases(HINT, 80) == HINT
    assert fit_phrases(HINT, 70) == "grid: arrows or h j k l move, space turns a spin, n / s brush"
    assert fit_phrases(HINT, 55) == "grid: arrows or h j k l move, space turns a spin"
    assert fit_phrases(HINT, 10) == "grid: arrows or h j k l move"  # the first stays
    assert fit_phrases(HINT, 0) == HINT  # not laid out yet


PHRASES = st.lists(st.text("abc ", min_size=1, max_size=8), min_size=1, max_size=6)


@given(PHRASES, st.integers(1, 60))
def test_a_fitted_text_is_a_start_of_whole_phrases(phrases, width):
    text = ", ".join(phrases)
    fitted = fit_phrases(text, width)
    assert text.startswith(fitted)
    assert len(fitted) <= width or ", " not in fitted
    assert fitted == text or text[len(fitted) :].startswith(", ")


async def test_at_60x16_the_hint_and_the_subtitle_end_in_whole_phrases():
    app = HopfieldApp(seed=1)
    async with app.run_test(size=(60, 16)) as pilot:
        await settle(pilot)
        hint = drawn_text(app.magnets.messages).strip()
        assert hint and "\u2026" not in hint and HINT.startswith(hint), hint
        board = app.magnets.query_one("#board")
        subtitle = str(board.border_subtitle)
        assert subtitle.startswith("half-block view"), subtitle
        assert len(subtitle) <= board.size.width - 4, subtitle  # drawn whole in the border
