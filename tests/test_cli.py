"""The command line: options, bad arguments, and files that cannot be opened."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from tui_hopfield import __version__, cli
from tui_hopfield.model import Network
from tui_hopfield.model.paths import autosave_path
from tui_hopfield.model.store import Session, save


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


def test_a_reader_that_goes_away_ends_the_command_quietly(monkeypatch):
    """``tui-hopfield ... | head``: a closed pipe is status 1, not a traceback."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone: every write raises BrokenPipeError
    stream = os.fdopen(write, "w", buffering=1)
    monkeypatch.setattr(sys, "stdout", stream)
    try:
        assert cli.main(["--version"]) == 1
        print("more output, after the pipe closed")  # goes nowhere, raises nothing
    finally:
        monkeypatch.undo()
        stream.close()


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


@pytest.mark.parametrize(
    "args",
    [
        ["--temperature", "-0.5"],
        ["--temperature", "nan"],
        ["--temperature", "99"],
        ["--rule", "telepathy"],
        ["--seed", "many"],
        ["--load", "a.hopfield", "--resume"],
        ["--rule", "dense", "--degree", "11"],
        ["--rule", "dense", "--degree", "cubic"],
        ["--rule", "modern", "--beta", "0"],
        ["--mode", "sideways"],
        ["--decay", "0"],
        ["--decay", "1.5"],
        ["--learn-from-use", "-1"],
    ],
    ids=[
        "negative temperature",
        "nan temperature",
        "too hot",
        "unknown rule",
        "bad seed",
        "both",
        "degree too high",
        "degree not a number",
        "beta too small",
        "unknown mode",
        "no decay",
        "decay over 1",
        "negative use",
    ],
)
def test_bad_arguments_exit_with_status_2(args):
    result = run(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


def one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tui-hopfield: ")
    for word in words:
        assert word in lines[0]


def test_a_missing_or_bad_load_file_is_one_line_and_status_1(tmp_path):
    one_line_error(run("--load", str(tmp_path / "gone.hopfield")), "gone.hopfield", "no such file")
    bad = tmp_path / "bad.hopfield"
    bad.write_text("hello")
    one_line_error(run("--load", str(bad)), "bad.hopfield", "not a readable session")


def test_a_bad_imprint_file_is_one_line_and_status_1(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("hello")
    one_line_error(run("--imprint", str(text)), "notes.png", "not an image")
    one_line_error(run("--imprint", str(tmp_path / "gone.png")), "gone.png", "no such file")


def test_resume_without_an_autosave_says_so(tmp_path):
    env = {**os.environ, "TUI_HOPFIELD_DATA": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "tui_hopfield", "--resume"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    one_line_error(result, "nothing to resume")


def test_load_imprint_and_resume_reach_the_app(tmp_path, monkeypatch):
    from tui_hopfield.ui.app import HopfieldApp

    started = {}

    def fake_run(self):
        started["names"] = self.network.names
        started["size"] = (self.network.rows, self.network.cols)
        started["temperature"] = self.temperature
        started["autosave"] = self.autosave

    monkeypatch.setattr(HopfieldApp, "run", fake_run)
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(tmp_path))
    network = Network(10, 12)
    network.imprint(np.ones(120), "bright")
    session = save(Session.of(network), tmp_path / "s.hopfield")
    image = tmp_path / "dark.png"
    Image.new("L", (30, 30), 0).save(image)
    assert cli.main(["--load", str(session), "--imprint", str(image), "--temperature", "0.5"]) == 0
    assert started == {
        "names": ("bright", "dark"),
        "size": (10, 12),
        "temperature": 0.5,
        "autosave": True,
    }
    save(Session.of(network), autosave_path())
    assert cli.main(["--resume", "--no-autosave"]) == 0
    assert started["names"] == ("bright",) and started["autosave"] is False


def test_load_keeps_the_sessions_temperature_and_path_unless_told(tmp_path, monkeypatch):
    from tui_hopfield.ui.app import HopfieldApp

    started = {}

    def fake_run(self):
        started.update(temperature=self.temperature, path=self.session_path, saved=self.saved)

    monkeypatch.setattr(HopfieldApp, "run", fake_run)
    network = Network(8, 8)
    network.imprint(np.ones(64), "bright")
    path = save(Session.of(network, temperature=0.7), tmp_path / "warm.hopfield")
    cli.main(["--load", str(path)])
    assert started == {"temperature": 0.7, "path": path, "saved": True}
    cli.main(["--load", str(path), "--temperature", "0.2"])
    assert started["temperature"] == 0.2
    image = tmp_path / ("n" * 250 + ".png")
    Image.new("L", (8, 8), 255).save(image)
    cli.main(["--load", str(path), "--imprint", str(image)])
    assert started["saved"] is False  # an imprinted image is not in any file yet


def test_a_tilde_user_that_does_not_exist_is_one_line():
    one_line_error(run("--load", "~nobody-by-this-name/x.hopfield"), "no such file")


def test_rule_options_reach_the_network(monkeypatch):
    started = {}

    def fake_run(self):
        started["rule"] = self.network.rule
        started["mode"] = self.mode
        started["plasticity"] = (self.network.decay, self.network.use_boost)

    from tui_hopfield.model.rules import Rule
    from tui_hopfield.ui.app import HopfieldApp

    monkeypatch.setattr(HopfieldApp, "run", fake_run)
    assert cli.main(["--rule", "dense", "--degree", "exp", "--mode", "sync"]) == 0
    assert started["rule"] == Rule("dense", None) and started["mode"] == "sync"
    assert cli.main(["--rule", "modern", "--beta", "12", "--decay", "0.9"]) == 0
    assert started["rule"] == Rule("modern", beta=12.0)
    assert started["plasticity"] == (0.9, 0.0)
    assert cli.main(["--rule", "storkey", "--learn-from-use", "0.25"]) == 0
    assert started["rule"] == Rule("storkey") and started["plasticity"] == (1.0, 0.25)


def test_a_rule_the_grid_cannot_hold_is_a_bad_argument_usage_and_status_2():
    result = run("--size", "128x128", "--rule", "storkey")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("usage: tui-hopfield")
    assert (
        "tui-hopfield: error: Storkey's rule needs" in result.stderr and "budget" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_the_size_options_say_what_one_number_means():
    assert "32 means 32x32" in " ".join(run("--help").stdout.split())
    capacity = " ".join(run("capacity", "--help").stdout.split())
    assert "32 means N = 32 spins, 32x32 N = 1024" in capacity
    assert "one number is a square" in " ".join(run("reinforce", "--help").stdout.split())


def test_a_loaded_sessions_rule_is_kept_unless_told(tmp_path, monkeypatch):
    from tui_hopfield.model.rules import Rule
    from tui_hopfield.ui.app import HopfieldApp

    network = Network(8, 8, Rule("dense", 5))
    network.imprint(-np.ones(64), "south")
    path = save(Session.of(network, mode="sync"), tmp_path / "dense.hopfield")
    seen = {}
    monkeypatch.setattr(
        HopfieldApp, "run", lambda self: seen.update(rule=self.network.rule, mode=self.mode)
    )
    cli.main(["--load", str(path)])
    assert seen == {"rule": Rule("dense", 5), "mode": "sync"}
    cli.main(["--load", str(path), "--rule", "hebbian", "--mode", "async"])
    assert seen == {"rule": Rule("hebbian", 5), "mode": "async"}


def test_imprint_takes_a_threshold_method(tmp_path, monkeypatch):
    from tui_hopfield.ui.app import HopfieldApp

    gray = np.tile(np.linspace(0, 255, 8, dtype=np.uint8), (8, 1))
    path = tmp_path / "ramp.png"
    Image.fromarray(gray).save(path)
    seen = {}
    monkeypatch.setattr(HopfieldApp, "run", lambda self: seen.update(p=self.network.patterns))
    cli.main(["--size", "8x8", "--imprint", str(path), "--threshold", "fixed"])
    fixed = seen["p"][0].copy()
    cli.main(["--size", "8x8", "--imprint", str(path), "--threshold", "dither"])
    assert (fixed == 1).sum() == 32  # the right half is brighter than 127
    assert not np.array_equal(seen["p"][0], fixed)
    assert run("--threshold", "sharp").returncode == 2
