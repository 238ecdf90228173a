"""The phase diagram: AGS's lines solved, the measured overlaps, the CLI and the Lab tab."""

from __future__ import annotations

import asyncio
import json
import math

import numpy as np
import pytest
from PIL import Image

from tests.conftest import open_the_lab
from tui_hopfield.experiments import cli
from tui_hopfield.experiments.ags import (
    retrieval_capacity,
    retrieval_line,
    retrieval_temperature,
    solve_retrieval_line,
    spin_glass_temperature,
    theory_phase,
    zero_temperature_capacity,
)
from tui_hopfield.experiments.phase import PhaseSettings, parse_grid, run_phase
from tui_hopfield.experiments.phase_plots import (
    HERE_MARK,
    RETRIEVAL_MARK,
    SPIN_GLASS_MARK,
    phase_map,
    shade,
)
from tui_hopfield.model.errors import ModelError
from tui_hopfield.ui.lab_phase import Here, PhaseView
from tui_hopfield.ui.lab_screen import LabScreen
from tui_hopfield.ui.magnets_screen import MagnetsScreen

# -- the lines of theory --------------------------------------------------------------


def test_the_zero_temperature_capacity_is_amit_gutfreund_sompolinskys():
    assert zero_temperature_capacity() == pytest.approx(0.1379, abs=2e-4)


def test_the_retrieval_line_ends_at_alpha_c_and_starts_at_t_one():
    assert retrieval_temperature(0.0) == pytest.approx(1.0)
    assert retrieval_capacity(1.0) == 0.0
    assert retrieval_temperature(0.1375) < 0.1
    assert math.isnan(retrieval_temperature(0.139))
    # Solved at T = 0.05 by the finite-T equations, it meets the exact T = 0 value.
    assert retrieval_capacity(0.05) == pytest.approx(zero_temperature_capacity(), abs=0.003)


@pytest.mark.parametrize("alpha", [0.0005, 0.002, 0.005])
def test_near_alpha_zero_the_line_falls_like_one_minus_1_95_sqrt_alpha(alpha):
    # AGS (1987): T_M(alpha) = 1 - 1.95 sqrt(alpha) + ... for small loads.
    assert retrieval_temperature(alpha) == pytest.approx(1 - 1.95 * math.sqrt(alpha), abs=0.01)


def test_the_stored_retrieval_line_is_the_solved_one():
    solved = solve_retrieval_line()
    assert [t for _, t in solved] == [t for _, t in retrieval_line()]
    assert [a for a, _ in retrieval_line()] == pytest.approx([a for a, _ in solved], rel=1e-9)
    assert retrieval_line()[0][0] == pytest.approx(zero_temperature_capacity(), rel=1e-12)


def test_the_retrieval_line_falls_as_the_load_grows():
    line = retrieval_line()
    alphas = [a for a, _ in line]
    temps = [t for _, t in line]
    assert temps == sorted(temps)
    assert alphas == sorted(alphas, reverse=True)


def test_the_spin_glass_line_and_the_phases():
    assert spin_glass_temperature(0.0) == 1.0
    assert spin_glass_temperature(0.25) == pytest.approx(1.5)
    assert theory_phase(0.05, 0.3) == "retrieval"
    assert theory_phase(0.05, 0.7) == "spin glass"
    assert theory_phase(0.2, 0.1) == "spin glass"
    assert theory_phase(0.04, 1.3) == "paramagnet"


def test_grids_are_checked():
    assert parse_grid("0:1:0.5", "temperatures", 0, 3) == (0.0, 0.5, 1.0)
    assert parse_grid("0.2,0.1", "loads", 1e-9, 0.5) == (0.1, 0.2)
    with pytest.raises(ModelError, match="lies in"):
        parse_grid("0.6", "loads", 1e-9, 0.5)
    with pytest.raises(ModelError, match="START:STOP:STEP"):
        parse_grid("a", "loads", 1e-9, 0.5)
    with pytest.raises(ModelError, match="networks at once"):
        PhaseSettings(
            alphas=tuple(0.01 * k for k in range(1, 41)),
            temperatures=tuple(0.05 * k for k in range(40)),
            cues=64,
        )


# -- the measured overlaps ------------------------------------------------------------

SMALL = PhaseSettings(
    n=200, alphas=(0.02, 0.3), temperatures=(0.2, 0.5, 1.6), cues=3, sweeps=12, seed=4
)


@pytest.fixture(scope="module")
def small():
    return run_phase(SMALL)


def test_memories_hold_when_cold_and_lightly_loaded_and_not_past_the_lines(small):
    assert small.complete and len(small.points) == 6
    assert small.overlap(0.02, 0.2) > 0.95  # retrieval
    assert small.overlap(0.02, 0.5) > 0.85  # below T_M(0.02) = 0.73
    assert abs(small.overlap(0.02, 1.6)) < 0.2  # above T_g: a paramagnet
    assert abs(small.overlap(0.3, 1.6)) < 0.2
    assert small.overlap(0.3, 0.5) < 0.5  # past alpha_c: no retrieval
    theory = {(p.alpha, p.temperature): p.theory for p in small.points}
    assert theory[(0.02, 0.2)] == "retrieval" and theory[(0.3, 0.5)] == "spin glass"


def test_a_run_is_seeded(small):
    again = run_phase(SMALL)
    assert [p.overlap for p in again.points] == [p.overlap for p in small.points]


def test_a_zero_temperature_run_descends_to_the_pattern_and_stays():
    result = run_phase(PhaseSettings(n=100, alphas=(0.03,), temperatures=(0.0,), cues=2, seed=1))
    assert result.points[0].overlap == 1.0 and result.points[0].retrieved == 1.0


def test_a_stopped_run_keeps_nothing_half_done():
    result = run_phase(SMALL, stop=lambda: True)
    assert not result.complete and result.points == ()


def test_the_map_draws_the_lines_and_you_are_here(small):
    text = phase_map(small, 70, 24, here=(0.02, 0.2)).text()
    assert RETRIEVAL_MARK in text and SPIN_GLASS_MARK in text and HERE_MARK in text
    assert "alpha_c = 0.138" in text
    assert shade(1.0) == "\u2588" and shade(0.0) == " "
    near = phase_map(small, 80, 24, here=(0.45, 2.9)).text()  # the map reaches out to it
    assert HERE_MARK in near.split("\n")[1] and "off the map" not in near
    far = phase_map(small, 80, 24, here=(2.0, 0.5)).text()
    assert "you are here: off the map" in far


# -- the command line ------------------------------------------------------------------


def test_the_cli_writes_csv_json_and_png(tmp_path, capsys):
    csv_path, json_path, png_path = tmp_path / "p.csv", tmp_path / "p.json", tmp_path / "p.png"
    status = cli.main(
        [
            "phase",
            "--size",
            "64",
            "--alphas",
            "0.05,0.2",
            "--temperatures",
            "0:1.5:0.75",
            "--cues",
            "2",
            "--sweeps",
            "4",
            "--seed",
            "3",
            "--here",
            "0.05,0.2",
            "--quiet",
            "--csv",
            str(csv_path),
            "--json",
            str(json_path),
            "--png",
            str(png_path),
        ]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert "AGS phase" in out and "you are here: alpha = 0.050, T = 0.20: retrieval" in out
    lines = csv_path.read_text().splitlines()
    assert lines[0] == "alpha,patterns,temperature,runs,overlap,retrieved,theory"
    assert len(lines) == 1 + 2 * 3
    data = json.loads(json_path.read_text())
    assert data["experiment"] == "phase" and len(data["points"]) == 6
    assert data["theory"]["alpha_c"] == pytest.approx(0.1379, abs=2e-4)
    assert data["theory"]["retrieval_line"][0] == [pytest.approx(0.1379, abs=2e-4), 0.0]
    with Image.open(png_path) as image:
        assert image.size == (720, 540)
        pixels = np.asarray(image.convert("RGB"))
    assert (pixels == 255).all(axis=2).sum() > 100  # the white retrieval line, among others


def test_the_cli_refuses_bad_grids(capsys):
    with pytest.raises(SystemExit) as raised:
        cli.main(["phase", "--temperatures", "0:4:1"])
    assert raised.value.code == 2
    assert "lies in [0, 3]" in capsys.readouterr().err


# -- the Lab tab -----------------------------------------------------------------------


async def wait_for(pilot, condition, timeout: float = 60.0) -> None:
    waited = 0.0
    while not condition() and waited < timeout:
        await asyncio.sleep(0.05)
        waited += 0.05
    assert condition(), "timed out"
    await pilot.pause()


async def test_the_lab_runs_the_phase_diagram_and_marks_the_apps_point(app):
    async with app.run_test(size=(120, 48)) as pilot:
        magnets = pilot.app.screen
        assert isinstance(magnets, MagnetsScreen)
        await pilot.press("1", "2", "3")
        magnets.temperature = 0.3
        lab = await open_the_lab(pilot)
        assert isinstance(lab, LabScreen)
        assert lab.here == Here(3 / 1024, 0.3, "hebbian")
        here_text = str(lab.query_one("#phase-here").render())
        assert "you are here: alpha = 0.003, T = 0.30: retrieval" in here_text
        lab.query_one("#lab-tabs").active = "phase"
        await pilot.pause()
        for key, text in (("n", "64"), ("alphas", "0.01,0.2"), ("temperatures", "0,0.3,1.5")):
            lab.query_one(f"#phase-{key}").value = text
        lab.query_one("#phase-sweeps").value = "4"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: lab.phase_result is not None)
        assert lab.phase_result.complete and len(lab.phase_result.points) == 6
        view = lab.query_one("#phase-map", PhaseView)
        drawn = view.text()
        assert HERE_MARK in drawn and RETRIEVAL_MARK in drawn
        assert lab.query_one("#phase-table").row_count == 6


def test_the_readme_shows_the_phase_diagram_with_its_command_and_seed():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    flat = " ".join(readme.split())
    assert "### `tui-hopfield phase`: the phase diagram" in readme
    assert "`tui-hopfield phase --seed 1` (N = 500" in flat
    assert "reaching T = 0 at alpha_c = 0.1379" in flat
    assert "spin-glass line T_g = 1 + sqrt(alpha)" in flat
    assert "M retrieval line T_M (AGS), alpha_c = 0.138" in readme  # the map, as printed


def test_you_are_here_scales_the_temperature_by_the_strongest_memory():
    # A memory of strength 3 at T = 2 is a memory of strength 1 at T = 2/3.
    here = Here.of(0.05, 1.2, "hebbian", 3.0)
    assert here.temperature == pytest.approx(0.4)
    text = here.describe()
    assert "T = 0.40: retrieval" in text
    assert "the app's 1.20 over the strongest memory's strength 3" in text
    assert "the diagram is Hebb's" in Here.of(0.05, 0.2, "dense n=3", 1.0).describe()
