"""``tui-hopfield chains``: hop success against lambda and the load, headless."""

from __future__ import annotations

import csv
import json

import pytest

from tui_hopfield import cli
from tui_hopfield.experiments.chains import ChainSettings, run_chains


def test_chains_prints_a_table_and_a_plot_and_writes_csv_and_json(capsys, tmp_path):
    table, data = tmp_path / "chains.csv", tmp_path / "chains.json"
    args = ["chains", "--seed", "1", "--trials", "3", "--alphas", "0.01", "--quiet"]
    args += ["--lambdas", "0.5,2", "--csv", str(table), "--json", str(data)]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "first hop" in out and "whole ring" in out and "ring 0 -> 1 -> 2 -> 0 recalled" in out
    rows = list(csv.DictReader(table.open()))
    assert [(row["strength"], row["ring"]) for row in rows] == [("0.5", "0.0"), ("2.0", "1.0")]
    saved = json.loads(data.read_text())
    assert saved["experiment"] == "chains" and len(saved["points"]) == 2


def test_hops_need_lambda_against_the_memory_and_a_low_load():
    """The known result: at low load the ring is recalled once lambda passes about 1."""
    result = run_chains(ChainSettings(200, (0.015, 0.3), (0.5, 2.0), 4, 0.1, 1.0, seed=3))
    ring = {(p.alpha, p.strength): p.ring for p in result.points}
    assert ring[(0.015, 0.5)] == 0.0 and ring[(0.015, 2.0)] == 1.0
    assert ring[(0.3, 2.0)] < 0.5  # past capacity the first memory is not even recalled


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["--lambdas", "0,1"], "lambdas"),
        (["--lambdas", "1:2"], "START:STOP:STEP"),
        (["--alphas", "0.9"], "loads"),
        (["--hop-factor", "0"], "hop factor"),
        (["--size", "8"], "size N"),
    ],
)
def test_bad_arguments_exit_with_status_2(capsys, args, word):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["chains", *args])
    assert exit_info.value.code == 2
    assert word in capsys.readouterr().err
