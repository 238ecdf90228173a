"""The command line: help, version, size and seed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui_hopfield import __version__, cli


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui_hopfield", *args], capture_output=True, text=True, timeout=60
    )


def test_help_and_version():
    result = run("--help")
    assert result.returncode == 0
    assert "--size ROWSxCOLS" in result.stdout and "--seed N" in result.stdout
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"tui-hopfield {__version__}"


@pytest.mark.parametrize(
    ("text", "size"),
    [("32x32", (32, 32)), ("16X48", (16, 48)), ("20", (20, 20)), ("8\u00d79", (8, 9))],
)
def test_sizes(text, size):
    assert cli.parser().parse_args(["--size", text]).size == size


@pytest.mark.parametrize("bad", ["0x10", "3x3", "300x20", "axb", "10x", "-5"])
def test_bad_sizes_exit_with_status_2(bad):
    result = run(f"--size={bad}")
    assert result.returncode == 2
    assert "--size" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_seed_exits_with_status_2():
    result = run("--seed", "-1")
    assert result.returncode == 2
    assert "seed" in result.stderr


def test_main_starts_the_app_with_the_options(monkeypatch):
    started = {}

    def fake_run(self):
        started["size"] = (self.network.rows, self.network.cols)
        started["first"] = int(self.rng.integers(1 << 30))

    from tui_hopfield.ui.app import HopfieldApp

    monkeypatch.setattr(HopfieldApp, "run", fake_run)
    assert cli.main(["--size", "12x20", "--seed", "5"]) == 0
    assert started["size"] == (12, 20)
    first = started["first"]
    cli.main(["--size", "12x20", "--seed", "5"])
    assert started["first"] == first  # the same seed, the same randomness
