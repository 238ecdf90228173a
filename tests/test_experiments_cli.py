"""``tui-hopfield capacity`` and ``tui-hopfield reinforce``: outputs and bad arguments."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from tui_hopfield import cli
from tui_hopfield.experiments import cli as experiments_cli
from tui_hopfield.experiments.progress import TerminalProgress


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_capacity_prints_a_table_and_a_plot_and_writes_csv_and_json(capsys, tmp_path):
    (tmp_path / "out").mkdir()
    table, data = tmp_path / "out" / "sweep.csv", tmp_path / "sweep.json"
    status, out, err = run(
        capsys,
        "capacity",
        *("--size", "10x10", "--alphas", "0.05,0.3", "--trials", "2", "--seed", "1"),
        *("--csv", str(table), "--json", str(data)),
    )
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["alpha", "P", "trials"]
    assert lines[2].split()[:3] == ["0.050", "5", "2"]
    assert lines[3].split()[:3] == ["0.300", "30", "2"]
    assert "overlap after recall: hebbian, N = 100" in out and "o from the pattern" in out
    assert "capacity: 4/4 (100%)" in err and "done in" in err  # 2 trials x 2 loads
    rows = list(csv.DictReader(table.open()))
    assert [row["patterns"] for row in rows] == ["5", "30"]
    assert float(rows[0]["overlap_stored"]) == 1.0
    assert float(rows[1]["perfect_stored"]) < 1.0
    report = json.loads(data.read_text())
    assert report["experiment"] == "capacity" and report["complete"] is True
    assert report["settings"] == {
        "rule": "hebbian",
        "n": 100,
        "alphas": [0.05, 0.3],
        "trials": 2,
        "flip": 0.1,
        "seed": 1,
        "max_steps": 50,
        "mode": "async",
    }
    assert [p["alpha"] for p in report["points"]] == [0.05, 0.3]
    assert {"fixed_cued", "cycled_cued", "cut_cued"} <= set(rows[0]) <= set(report["points"][0])
    assert "Asynchronous (random sequential order, T = 0) recall" in out


def test_capacity_mode_sync_reports_two_cycles(capsys):
    status, out, _ = run(
        capsys,
        "capacity",
        *("--size", "64", "--alphas", "0.6", "--trials", "2", "--seed", "3", "--mode", "sync"),
        *("--no-plot", "--quiet"),
    )
    assert status == 0 and "Synchronous (every spin at once, T = 0) recall" in out
    headers, _, row = out.splitlines()[:3]
    assert headers.split()[-4:] == ["fixed", "2-cycle", "cut", "off"]
    assert float(row.split()[-2]) > 0  # some cued recalls ended in a 2-cycle


def test_capacity_with_the_dense_rule_table_only_and_quiet(capsys):
    status, out, err = run(
        capsys,
        "capacity",
        *("--rule", "dense", "--degree", "exp", "--size", "64", "--alphas", "0.1"),
        *("--trials", "1", "--no-plot", "--quiet"),
    )
    assert status == 0 and err == ""
    assert len(out.splitlines()) == 6  # header, rule, one load, three lines of notes
    assert "from the pattern" not in out


def test_reinforce_prints_each_scene_and_writes_every_probe(capsys, tmp_path):
    table, data = tmp_path / "probes.csv", tmp_path / "study.json"
    status, out, _ = run(
        capsys,
        "reinforce",
        *("--size", "16x16", "--rounds", "6", "--seed", "3"),
        *("--csv", str(table), "--json", str(data)),
    )
    assert status == 0
    header = out.splitlines()[0].split()
    assert header[:2] == ["scene", "lived"]
    for scene in ("park", "kitchen", "street", "harbour", "night"):
        assert f"{scene}: similarity of the recall" in out
        assert f"{scene}: energy of the valleys" in out
    rows = list(csv.DictReader(table.open()))
    assert len(rows) == 7 * 5
    assert {row["winner"] for row in rows if row["round"] == "0"} == {"old"}
    report = json.loads(data.read_text())
    assert report["experiment"] == "reinforce" and len(report["chosen"]) == 6
    assert report["size"] == [16, 16] and report["settings"]["rounds"] == 6
    assert sum(s["reinforcements"] for s in report["summaries"]) == 6


def save_scene(folder, name, roles=("bg", "old", "new")):
    rng = np.random.default_rng(len(name))
    for role in roles:
        pixels = rng.integers(0, 256, (24, 24), dtype=np.uint8)
        Image.fromarray(pixels, "L").save(folder / f"{name}_{role}.png")


def test_reinforce_reads_a_folder_of_scenes(capsys, tmp_path):
    save_scene(tmp_path, "garden")
    save_scene(tmp_path, "office")
    status, out, _ = run(
        capsys, "reinforce", "--scenes", str(tmp_path), "--rounds", "2", "--no-plot", "--quiet"
    )
    assert status == 0
    table = out.split("\nturning points at a tie")[0].split("\n(tie):")[0]  # notes follow
    assert [line.split()[0] for line in table.splitlines()[2:]] == ["garden", "office"]


def broken_scene(folder):
    save_scene(folder, "a", ("old", "new"))
    (folder / "a_bg.png").write_text("text")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda folder: save_scene(folder, "garden", ("bg", "old")), "has no garden_new image"),
        (lambda folder: broken_scene(folder), "a_bg.png is not an image"),
        (lambda folder: None, "no scene images"),
    ],
)
def test_bad_scene_folders_stop_with_one_line_and_status_1(capsys, tmp_path, make, message):
    make(tmp_path)
    save_scene(tmp_path, "zz")  # a good scene after the bad one changes nothing
    if message == "no scene images":
        for path in tmp_path.iterdir():
            path.unlink()
    status, out, err = run(capsys, "reinforce", "--scenes", str(tmp_path), "--quiet")
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("tui-hopfield: ") and message in err


def test_a_missing_scene_folder_is_status_1(capsys, tmp_path):
    status, _, err = run(capsys, "reinforce", "--scenes", str(tmp_path / "nope"))
    assert status == 1 and "no such folder" in err


@pytest.mark.parametrize("option", ["--csv", "--json"])
@pytest.mark.parametrize("where", ["missing", "file", "folder"])
def test_an_output_file_needs_a_folder_that_exists_and_none_is_made(
    capsys, tmp_path, option, where
):
    blocker = tmp_path / "file"
    blocker.write_text("")
    target = {
        "missing": tmp_path / "no" / "such" / "out.csv",
        "file": blocker / "out.csv",
        "folder": tmp_path,
    }[where]
    with pytest.raises(SystemExit) as stopped:
        cli.main(
            ["capacity", "--size", "32", "--alphas", "0.1", "--trials", "1", option, str(target)]
        )
    assert stopped.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""  # refused before the run
    assert err.startswith("usage: tui-hopfield capacity") and f"argument {option}: " in err
    reason = {"missing": "no such folder", "file": "not a folder", "folder": "is a folder"}[where]
    assert reason in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["file"]  # no folder made


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["capacity", "--size", "8"], "--size"),
        (["capacity", "--size", "axb"], "--size"),
        (["capacity", "--alphas", "0.3:0.1:0.1"], "--alphas"),
        (["capacity", "--alphas", "0,0.1"], "--alphas"),
        (["capacity", "--trials", "0"], "--trials"),
        (["capacity", "--flip", "0.9"], "--flip"),
        (["capacity", "--rule", "magic"], "--rule"),
        (["capacity", "--degree", "1"], "--degree"),
        (["capacity", "--beta", "0"], "--beta"),
        (["capacity", "--seed", "-3"], "--seed"),
        (["reinforce", "--rounds", "0"], "--rounds"),
        (["reinforce", "--noise", "1"], "--noise"),
        (["reinforce", "--old-strength", "x"], "--old-strength"),
        (["reinforce", "--size", "2x2"], "--size"),
        (["reinforce", "--rule", "storkey", "--size", "128x128"], "Storkey"),
        (["reinforce", "--unknown"], "unrecognized"),
    ],
)
def test_bad_arguments_exit_with_status_2(capsys, args, word):
    with pytest.raises(SystemExit) as stopped:
        cli.main(args)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert word in err and "usage: tui-hopfield" in err


def test_a_rule_too_big_for_the_size_shows_the_commands_own_usage(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["reinforce", "--rule", "storkey", "--size", "128x128"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: tui-hopfield reinforce [-h]")
    assert "tui-hopfield reinforce: error: Storkey's rule needs" in err


def test_the_help_gives_every_rule_options_default(capsys):
    with pytest.raises(SystemExit):
        cli.main(["capacity", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "dense rule: 2..10 or exp (default 3)" in text
    assert "(default hebbian)" in text and "(default 40)" in text


@pytest.mark.parametrize(
    ("rule", "ticks"), [("hebbian", "0 0.069 0.138"), ("storkey", "0 0.02 0.04")]
)
def test_a_one_load_plot_starts_its_axis_at_0(capsys, rule, ticks):
    status, out, _ = run(
        capsys,
        "capacity",
        "--rule",
        rule,
        "--size",
        "100",
        "--alphas",
        "0.02",
        "--trials",
        "1",
        "--quiet",
        "--seed",
        "1",
    )
    assert status == 0
    lines = out.splitlines()
    axis = next(k for k, line in enumerate(lines) if "\u2514" in line)
    assert lines[axis + 1].split() == ticks.split()


def test_ctrl_c_prints_what_was_measured_and_exits_130(capsys, monkeypatch):
    real = TerminalProgress.__call__

    def interrupted(self, done, total):
        real(self, done, total)
        if done == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(TerminalProgress, "__call__", interrupted)
    status, out, err = run(
        capsys, "capacity", "--size", "64", "--alphas", "0.1,0.2,0.3", "--trials", "1"
    )
    assert status == experiments_cli.INTERRUPTED
    assert "interrupted" in err
    assert [line.split()[1] for line in out.splitlines()[2:4]] == ["6", "13"]


def test_the_command_runs_as_a_program():
    result = subprocess.run(
        [sys.executable, "-m", "tui_hopfield", "capacity", "--trials", "x"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "--trials" in result.stderr
    assert "Traceback" not in result.stderr
