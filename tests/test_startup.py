"""What starting costs: ``--version`` imports nothing heavy, the UI imports its help late.

These check which modules are imported, never how long it takes: the speed itself is
measured by ``benchmarks/startup.py``.
"""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import tui_hopfield

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("numpy", "PIL", "textual", "rich", "argparse", "importlib.metadata")
"""What ``--version`` must not import: the model's, the UI's and the parser's libraries."""


def environment() -> dict[str, str]:
    """This checkout first on the path, as the tests themselves import it."""
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), path]))}


def imported_by(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``python -X importtime ARGS``: its result and every module it imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment(),
    )
    modules = set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)$", result.stderr, re.M))
    assert modules, result.stderr  # -X importtime reported something: the parse is right
    return result, modules


def heavy(modules: set[str]) -> list[str]:
    """The heavy modules (or their submodules) among ``modules``."""
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_version_imports_neither_the_model_nor_the_ui():
    result, modules = imported_by("-m", "tui_hopfield", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"tui-hopfield {tui_hopfield.__version__}"
    assert "tui_hopfield.cli" in modules
    assert heavy(modules) == []


def test_the_command_s_entry_point_answers_version_as_lightly():
    # The installed ``tui-hopfield`` script calls ``tui_hopfield.cli:main``.
    code = "import sys; from tui_hopfield.cli import main; sys.exit(main(['--version']))"
    result, modules = imported_by("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"tui-hopfield {tui_hopfield.__version__}"
    assert heavy(modules) == []


def test_other_options_still_reach_the_parser():
    # The parser is only skipped for --version: the help still names the model's limits.
    result, modules = imported_by("-m", "tui_hopfield", "--help")
    assert result.returncode == 0, result.stderr
    assert "--temperature T" in result.stdout and "argparse" in modules


@pytest.mark.parametrize(
    "argv, status", [(["--config-path"], 0), (["--size", "1x1"], 2), (None, 1)]
)
def test_the_command_leaves_the_collector_on_whichever_way_it_ends(argv, status, tmp_path, capsys):
    # It is off from the start to the app's first frame; a way out before the app keeps it on.
    from tui_hopfield import cli

    if argv is None:  # a session that is no session: the model refuses it
        (tmp_path / "bad.hopfield").write_text("garbage")
        argv = ["--load", str(tmp_path / "bad.hopfield")]
    assert gc.isenabled()
    try:
        code = cli.main(argv)
    except SystemExit as stop:  # argparse's usage error
        code = stop.code
    assert code == status
    assert gc.isenabled()


def test_the_version_is_written_once_and_pyproject_reads_it():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    source = REPO / project["tool"]["hatch"]["version"]["path"]
    assert source == Path(tui_hopfield.__file__).resolve()
    assert re.search(
        rf'^__version__ = "{re.escape(tui_hopfield.__version__)}"$', source.read_text(), re.M
    )


def test_an_installed_copy_says_the_same_version():
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("tui-hopfield")
    except PackageNotFoundError:
        pytest.skip("not installed")
    assert installed == tui_hopfield.__version__


def test_importing_the_ui_leaves_the_help_s_markdown_for_later():
    code = "import tui_hopfield.ui.app"
    result, modules = imported_by("-c", code)
    assert result.returncode == 0, result.stderr
    assert "tui_hopfield.ui.app" in modules
    late = sorted(m for m in modules if m.split(".")[0] in ("markdown_it", "pygments"))
    assert "tui_hopfield.ui.help_screen" not in modules and late == []
