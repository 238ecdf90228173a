"""Start-up benchmark: how long the command takes to answer and to paint its first frame.

Each measurement is a fresh process, wall time from just before it is spawned; the
rounds take turns (one of each, then again), so that other work on the machine slows
them alike. Beside the command it runs its references:

- ``python -c pass``: Python itself starting (the floor);
- ``python -c "import textual.app"``: the UI library alone;
- ``tui-hopfield --version`` two ways: ``python -m tui_hopfield --version`` and the
  installed script's own call (``from tui_hopfield.cli import main; main([...])``);
- ``python -c "import tui_hopfield.ui.app"``: importing the whole UI;
- first paint: ``tui-hopfield --no-autosave`` under a pseudo-terminal of 200x60 (the
  real terminal driver), until the main screen's first frame has been written to it
  (``App._display``, Textual 8.2.8), with an empty config and data folder (no intro,
  nothing to recover).

Goals (issue 16): ``--version`` within 30 ms of ``python -c pass``; first paint under
0.4 s. Run: ``.venv/bin/python benchmarks/startup.py [--rounds 10] [--json FILE]``;
``--code /other/copy --code .`` measures two checkouts side by side, taking turns.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from engine import cpu_busy, load_average, machine_info  # noqa: E402

TERMINAL = (200, 60)
"""The pseudo-terminal's columns and lines for the first paint."""

FIRST_PAINT = """
import sys, time
from tui_hopfield import cli
import tui_hopfield.ui.app as ui

display = ui.HopfieldApp._display
painted = []

def timed_display(self, screen, renderable):
    display(self, screen, renderable)
    if renderable is not None and not painted and type(screen).__name__ == "MagnetsScreen":
        painted.append(time.time())
        with open(sys.argv[1], "w") as out:
            out.write(repr(painted[0]))
        self.exit()

ui.HopfieldApp._display = timed_display
sys.exit(cli.main(["--no-autosave"]))
"""
"""The first-paint child: the command's own ``main``, its app timed at the first frame."""


def environment(folder: Path) -> dict[str, str]:
    """The code on PYTHONPATH (else this checkout) and an empty config and data folder."""
    path = os.environ.get("PYTHONPATH") or str(REPO)
    config = folder / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text("intro = false\n")
    (folder / "paint.py").write_text(FIRST_PAINT)
    # An installed package has its bytecode (pip compiles it): so do the runs, in a folder
    # of their own, whatever PYTHONDONTWRITEBYTECODE says here (a warm-up round writes it).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {
        **env,
        "PYTHONPATH": path,
        "PYTHONPYCACHEPREFIX": str(folder / "bytecode"),
        "TUI_HOPFIELD_CONFIG_DIR": str(config),
        "TUI_HOPFIELD_DATA": str(folder / "data"),
    }


def timed_run(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``argv`` to its exit, in the empty folder (``-m`` and ``-c``
    put the working directory first on the path: a checkout there would be measured)."""
    folder = Path(env["TUI_HOPFIELD_CONFIG_DIR"]).parent
    start = time.time()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, timeout=120, cwd=folder)
    return time.time() - start


def first_paint(env: dict[str, str], folder: Path) -> float:
    """Seconds from spawning the command under a pseudo-terminal to its first frame."""
    stamp = folder / "painted"
    stamp.unlink(missing_ok=True)
    start = time.time()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, in the terminal
        os.chdir(folder)
        os.execve(sys.executable, [sys.executable, str(folder / "paint.py"), str(stamp)], env)
    columns, lines = TERMINAL
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    deadline = start + 120
    written = b""
    while time.time() < deadline:  # drain what it writes, as a terminal would
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 65536)
                written = (written + chunk)[-4000:]
                if not chunk:
                    break
            except OSError:  # the child closed the terminal
                break
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished:
            break
    else:
        os.kill(pid, 9)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
    os.close(fd)
    if not stamp.exists():
        tail = written.decode(errors="replace")[-2000:]
        raise RuntimeError(f"the app did not paint its first frame; it wrote: {tail}")
    return float(stamp.read_text()) - start


def main() -> None:
    """Run the rounds, print the table with the machine and its load, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=10, help="runs of each, taking turns")
    parser.add_argument("--json", type=Path, default=HERE / "results" / "startup.json")
    parser.add_argument(
        "--code",
        action="append",
        default=[],
        metavar="PATH",
        help="a checkout to measure (again for another, side by side, taking turns;"
        " default: PYTHONPATH, else this one)",
    )
    args = parser.parse_args()
    python = sys.executable
    version_call = "import sys; from tui_hopfield.cli import main; sys.exit(main(['--version']))"
    load_before, busy_before = load_average(), cpu_busy()
    codes = args.code or [os.environ.get("PYTHONPATH") or str(REPO)]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = environment(folder)
        runs = {
            "python -c pass": lambda env: timed_run([python, "-c", "pass"], env),
            "python -c 'import textual.app'": lambda env: timed_run(
                [python, "-c", "import textual.app"], env
            ),
        }
        for code in codes:
            own = {**env, "PYTHONPATH": code}
            mark = f" [{code}]" if len(codes) > 1 else ""
            runs |= {
                f"python -m tui_hopfield --version{mark}": lambda env, own=own: timed_run(
                    [python, "-m", "tui_hopfield", "--version"], own
                ),
                f"tui-hopfield --version (the script's call){mark}": (
                    lambda env, own=own: timed_run([python, "-c", version_call], own)
                ),
                f"python -c 'import tui_hopfield.ui.app'{mark}": lambda env, own=own: timed_run(
                    [python, "-c", "import tui_hopfield.ui.app"], own
                ),
                f"first paint (tui-hopfield, 200x60 pty){mark}": (
                    lambda env, own=own: first_paint(own, folder)
                ),
            }
        for run in runs.values():  # the warm-up: bytecode written, caches filled
            run(env)
        times: dict[str, list[float]] = {label: [] for label in runs}
        for _ in range(args.rounds):
            for label, run in runs.items():
                times[label].append(run(env))
    floor = min(times["python -c pass"])
    floor_median = statistics.median(times["python -c pass"])
    print("| run | best ms | median ms | best - python ms | median - python ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    rows = []
    for label, values in times.items():
        best, median = min(values), statistics.median(values)
        rows.append({"run": label, "best": best, "median": median, "all": values})
        print(
            f"| {label} | {best * 1000:.0f} | {median * 1000:.0f} |"
            f" {(best - floor) * 1000:+.0f} | {(median - floor_median) * 1000:+.0f} |"
        )
    machine = machine_info()
    print()
    print(
        f"Code: {', '.join(codes)}. Machine: {machine['cpu']}, {machine['cpus_usable']}"
        f" usable CPUs; Python {machine['python']}; BLAS threads {machine['blas_threads']};"
        f" {args.rounds} rounds taking turns;"
        f" load average {load_before} before, {machine['load_average']} after; CPUs busy"
        f" with other work before: {busy_before}."
    )
    print("Goals: --version within 30 ms of python -c pass; first paint under 400 ms.")
    for label, values in times.items():
        median = statistics.median(values)
        if "--version" in label:
            over = (median - floor_median) * 1000
            met = "met" if over <= 30 else "NOT met"
            print(f"goal: {label} within 30 ms of python -c pass: {over:+.0f} ms, {met}")
        elif label.startswith("first paint"):
            met = "met" if median < 0.4 else "NOT met"
            print(f"goal: {label} under 400 ms: {median * 1000:.0f} ms, {met}")
        elif "textual.app" in label:
            alone = (median - floor_median) * 1000
            print(f"goal context: importing Textual alone takes {alone:.0f} ms here")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"rows": rows, "machine": machine}, indent=1) + "\n")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
