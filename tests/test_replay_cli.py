"""``tui-hopfield replay``: a saved session recalled headless, written as a GIF and data."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from tui_hopfield import cli
from tui_hopfield.model import Network
from tui_hopfield.model.patterns import library
from tui_hopfield.model.store import Session, save


@pytest.fixture
def session_file(tmp_path):
    network = Network(16, 16)
    for picture in library(16, 16)[:2]:
        network.imprint(picture.spins, picture.name)
    network.set_state(network.patterns[0])
    return save(Session.of(network, mode="async"), tmp_path / "faces.hopfield")


def test_replay_writes_a_gif_a_csv_and_a_json_of_the_recall(session_file, tmp_path, capsys):
    gif, table, data = tmp_path / "recall.gif", tmp_path / "path.csv", tmp_path / "path.json"
    status = cli.main(
        [
            "replay", str(session_file), "--break", "scramble", "--seed", "3",
            "--gif", str(gif), "--csv", str(table), "--json", str(data),
            "--cell", "4", "--frames", "20",
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0, out
    assert "recalled" in out and f"wrote {gif}" in out
    document = json.loads(data.read_text())
    flips = len(document["flips"])
    assert flips > 0 and len(table.read_text().splitlines()) == flips + 2
    with Image.open(gif) as image:
        assert image.n_frames == min(20, flips + 1)
        assert image.size[0] == 16 * 4
        image.seek(image.n_frames - 1)
        rgb = np.asarray(image.convert("RGB"))[2 : 16 * 4 : 4, 2::4]
    final = np.zeros(256, dtype=np.int8)
    final[document["start"]["north"]] = 1
    final[final == 0] = -1
    for entry in document["flips"]:
        final[entry["spin"]] = entry["value"]
    assert np.array_equal(rgb[..., 0] > 128, final.reshape(16, 16) > 0)  # red north


def test_replay_of_a_settled_grid_says_nothing_flipped(session_file, tmp_path, capsys):
    assert cli.main(["replay", str(session_file), "--json", str(tmp_path / "p.json")]) == 0
    assert "Nothing flipped" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["{session}"],  # nothing to write
        ["{session}", "--gif", "x.gif", "--frames", "1"],
        ["{session}", "--gif", "x.gif", "--fps", "0"],
        ["{session}", "--gif", "x.gif", "--break", "melt"],
        ["{session}", "--gif", "x.gif", "--cell", "0"],
    ],
)
def test_bad_replay_arguments_exit_with_status_2_and_the_usage(args, session_file, capsys):
    args = [arg.format(session=session_file) for arg in args]
    with pytest.raises(SystemExit) as exit_:
        cli.main(["replay", *args])
    assert exit_.value.code == 2
    assert "usage: tui-hopfield replay" in capsys.readouterr().err


def test_a_missing_session_or_a_bad_output_is_one_line_and_status_1(session_file, tmp_path, capsys):
    assert cli.main(["replay", str(tmp_path / "none.hopfield"), "--gif", "x.gif"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tui-hopfield replay:") and err.count("\n") == 1
    bad = str(tmp_path / "missing" / "x.gif")
    assert cli.main(["replay", str(session_file), "--break", "flip", "--gif", bad]) == 1
    assert "no such folder" in capsys.readouterr().err
    assert cli.main(["replay", str(session_file), "--gif", str(tmp_path / "x.png")]) == 1
    assert ".gif" in capsys.readouterr().err
