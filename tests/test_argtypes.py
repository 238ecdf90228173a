"""The argument types shared by the app's and the experiments' command lines."""

from __future__ import annotations

import argparse

import pytest

from tui_hopfield import argtypes


@pytest.mark.parametrize(
    ("text", "expected"),
    [("32x32", (32, 32)), ("12X20", (12, 20)), (" 8 \u00d7 6 ", (8, 6)), ("9", (9, 9))],
)
def test_grid_size_reads_rows_by_columns_or_a_square(text, expected):
    assert argtypes.grid_size(4, 256)(text) == expected


@pytest.mark.parametrize("text", ["3x32", "32x257", "big", "32x", "-4"])
def test_grid_size_refuses_sides_out_of_range_or_not_numbers(text):
    with pytest.raises(argparse.ArgumentTypeError):
        argtypes.grid_size(4, 256)(text)


def test_spin_count_multiplies_rows_by_columns():
    parse = argtypes.spin_count(16, 4096)
    assert parse("1000") == 1000 and parse("32x32") == 1024
    for text in ("15", "65x64", "many"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse(text)


def test_number_keeps_to_its_interval():
    closed = argtypes.number(float, 0.0, 1.0, "the noise")
    assert closed("0") == 0.0 and closed("1") == 1.0
    opened = argtypes.number(float, 0.0, 1.0, "the decay", open_low=True)
    assert opened("0.5") == 0.5
    for parse, text in [(opened, "0"), (closed, "1.01"), (closed, "nan"), (closed, "x")]:
        with pytest.raises(argparse.ArgumentTypeError, match="not"):
            parse(text)
    with pytest.raises(argparse.ArgumentTypeError, match="whole number"):
        argtypes.number(int, 1, 10, "trials")("2.5")


def test_seed_and_degree():
    assert argtypes.seed("0") == 0 and argtypes.seed(str(argtypes.MAX_SEED)) == argtypes.MAX_SEED
    for text in ("-1", str(argtypes.MAX_SEED + 1), "one"):
        with pytest.raises(argparse.ArgumentTypeError, match=r"seed|whole"):
            argtypes.seed(text)
    assert argtypes.degree("4") == 4 and argtypes.degree("exp") is None
    with pytest.raises(argparse.ArgumentTypeError):
        argtypes.degree("11")
