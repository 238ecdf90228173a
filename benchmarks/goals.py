"""Every speed goal of the project in one run: each benchmark in turn, and their verdicts.

Run it from the repository root::

    .venv/bin/python benchmarks/goals.py                 # every benchmark, about 15 minutes
    .venv/bin/python benchmarks/goals.py --only flips,startup
    .venv/bin/python benchmarks/goals.py --out /tmp/goals.txt

Each benchmark runs as a fresh process (``sys.executable benchmarks/NAME.py ARGS``), one
after the other, so they do not slow each other; each measures its own side by side with
its reference in one process and prints the machine, BLAS threads and load with its
figures. This script prints, per benchmark, its command, its wall time, the load average
before and after and the CPUs' busy share before it started, then every line of its output
that states a goal or a target and whether it is met, and at the end the machine once
more. ``--out`` writes the benchmarks' whole outputs too. Run it once on an idle machine
and once with ``stress-ng --cpu 1`` beside it: the goals are stated for both.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from engine import cpu_busy, load_average, machine_info  # noqa: E402

RUNS: dict[str, list[str]] = {
    "flips": ["flips.py"],
    "large": ["large.py"],
    "sweep": ["sweep.py", "--mode", "async", "--trials", "2"],
    "render": ["render.py", "--loads", "3,9833", "--terminal", "200x60", "--seconds", "15"],
    "startup": ["startup.py", "--rounds", "5"],
}
"""Each benchmark's script and arguments, in the order they run."""

VERDICT = re.compile(r"\b(goals?|targets?)\b|\bmet\b", re.IGNORECASE)
"""A line of a benchmark's output that states a goal or whether one is met."""


def verdicts(output: str) -> list[str]:
    """The lines of ``output`` that state a goal, a target, or whether it is met."""
    return [line.rstrip() for line in output.splitlines() if VERDICT.search(line)]


def run(name: str, args: list[str]) -> tuple[str, str]:
    """Run one benchmark; return its report (command, time, load, verdicts) and its output."""
    busy = cpu_busy(1.0)
    before = load_average()
    command = [sys.executable, str(HERE / args[0]), *args[1:]]
    start = time.monotonic()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - start
    after = load_average()
    shown = " ".join(["python", f"benchmarks/{args[0]}", *args[1:]])
    lines = [
        f"## {name}: {shown}",
        f"{seconds:.0f} s, exit status {done.returncode}; load average {before} before,"
        f" {after} after; CPUs busy before: {busy if busy is None else round(busy, 2)}",
    ]
    found = verdicts(done.stdout)
    lines.extend(f"  {line}" for line in found)
    if not found:
        lines.append("  (it printed no goal)")
    if done.returncode:
        lines.extend(f"  ! {line}" for line in done.stderr.strip().splitlines()[-5:])
    return "\n".join(lines), done.stdout


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks named (default every one) and print their verdicts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help=f"a comma-separated subset of {','.join(RUNS)}")
    parser.add_argument("--out", type=Path, help="also write every benchmark's whole output")
    args = parser.parse_args(argv)
    names = list(RUNS) if not args.only else [n.strip() for n in args.only.split(",")]
    unknown = [n for n in names if n not in RUNS]
    if unknown:
        parser.error(f"no benchmark {', '.join(unknown)}; there are {', '.join(RUNS)}")
    reports, outputs = [], []
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        report, output = run(name, RUNS[name])
        print(report, flush=True)
        print(flush=True)
        reports.append(report)
        outputs.append(f"### {name}\n{output}")
    info = machine_info()
    machine = ", ".join(f"{key} {value}" for key, value in info.items() if key != "blas")
    print(f"Machine: {machine}")
    print(f"BLAS: {info.get('blas')}")
    if args.out is not None:
        args.out.write_text("\n\n".join(reports + outputs) + "\n")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
