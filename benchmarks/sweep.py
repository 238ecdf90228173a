"""Benchmark the capacity sweep against a plain vectorized numpy version of the same work.

Run it from the repository root::

    .venv/bin/python benchmarks/sweep.py               # capacity --seed 1, as the CLI runs it
    .venv/bin/python benchmarks/sweep.py --trials 2    # a fifth of the work
    .venv/bin/python benchmarks/sweep.py --mode async --json /tmp/sweep.json

The work is that of ``tui-hopfield capacity --seed 1`` (Hebb's rule, N = 1000, loads
0.02 ... 0.30, 10 trials, cues 10 % flipped, at most 50 steps): for each trial, P_max random
patterns, and for each load the first P of them stored and every one recalled from itself
and from a flipped cue. Both sides run in this one process, taking turns, on the same
trials (the same seeds, ``trials.trial_seeds``, so the same patterns and cues):

- ours: ``run_capacity(settings, jobs=1)`` (this process, one BLAS thread), then
  ``run_capacity(settings, jobs=J)`` (J worker processes, the CLI's default: the cores);
- reference: the straightforward numpy code, one BLAS thread by default (``--reference-threads``):
  ``W = X.T @ X`` (float32, exact integers), diagonal zeroed; recall of the whole batch of P
  cues at once, synchronous ``S = sign(S @ W)`` (a zero field keeps the spin) until no row
  changes, a row leaving when it is fixed or back where it was two steps before (a
  2-cycle), or asynchronous sweeps, ``s_i = sign(S @ W[:, i])`` for the whole batch spin by
  spin in a random order, until a sweep changes nothing; ``max_steps`` steps or sweeps.

The mode is the sweep's default (``CapacitySettings().mode`` where the sweep has one, else
synchronous) unless ``--mode`` says. The table gives each side's wall time, the ratio to
the reference, and how far the measured overlaps lie apart (0 in sync mode: the same
dynamics; the asynchronous paths may differ, the statistics should not). The machine, its
BLAS and threads (``threadpoolctl.threadpool_info()``), the load average and how busy the
CPUs were before the run are printed and written to the JSON file.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import resource
import shlex
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for folder in (REPO, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from engine import cpu_busy, fmt_seconds, git_info, load_average, machine_info  # noqa: E402

from tui_hopfield.experiments.capacity import (  # noqa: E402
    CapacitySettings,
    flipped_cues,
    parse_alphas,
    run_capacity,
)
from tui_hopfield.experiments.trials import default_jobs, trial_seeds  # noqa: E402
from tui_hopfield.model.patterns import random_patterns  # noqa: E402

DEFAULT_JSON = HERE / "results" / "sweep.json"
TARGET_RATIO = 1.5
"""Ours (one process) should take at most this many times the reference's time."""
TARGET_SECONDS = 10.0
"""The default run should take less than this on an idle 2-core machine."""
MEASURES = ("overlap_stored", "overlap_cued", "perfect_stored", "perfect_cued")


def log(message: str) -> None:
    """Progress on standard error."""
    print(message, file=sys.stderr, flush=True)


# -- the reference ----------------------------------------------------------------------------


def hebbian_weights(patterns: np.ndarray) -> np.ndarray:
    """W = X^T X (the 1/N scale changes no sign), zero diagonal, float32 (exact integers)."""
    floats = patterns.astype(np.float32)
    weights = floats.T @ floats
    np.fill_diagonal(weights, 0.0)
    return weights


def recall_sync(weights: np.ndarray, cues: np.ndarray, max_steps: int) -> np.ndarray:
    """Synchronous recall of every cue at once; a row stops when fixed or in a 2-cycle."""
    states = cues.astype(np.float32)
    before = np.full_like(states, np.nan)  # each row's state two steps back
    active = np.arange(len(states))
    for _ in range(max_steps):
        if not len(active):
            break
        now = states[active]
        fields = now @ weights
        new = np.where(fields > 0, 1.0, np.where(fields < 0, -1.0, now)).astype(np.float32)
        moved = (new != now).any(axis=1)
        cycled = (new == before[active]).all(axis=1)
        before[active] = now
        states[active] = new
        active = active[moved & ~cycled]
    return states


def recall_async(
    weights: np.ndarray, cues: np.ndarray, max_sweeps: int, rng: np.random.Generator
) -> np.ndarray:
    """Asynchronous sweeps over every cue at once, spin by spin in a random order."""
    states = cues.astype(np.float32)
    active = np.arange(len(states))
    n = states.shape[1]
    for _ in range(max_sweeps):
        if not len(active):
            break
        block = states[active]
        moved = np.zeros(len(active), dtype=bool)
        for i in rng.permutation(n):
            field = block @ weights[:, i]
            old = block[:, i].copy()
            block[:, i] = np.where(field > 0, 1.0, np.where(field < 0, -1.0, old))
            moved |= block[:, i] != old
        states[active] = block
        active = active[moved]
    return states


def reference_sweep(settings: CapacitySettings, mode: str) -> dict[int, dict[str, float]]:
    """The sweep's work done plainly: the mean of each measure per load, over the trials."""
    loads = settings.loads
    totals = {count: dict.fromkeys(MEASURES, 0.0) for count in loads}
    for seed in trial_seeds(settings.seed, settings.trials):
        rng = np.random.default_rng(seed)
        patterns = random_patterns(loads[-1], settings.n, rng)
        for count in loads:
            stored = patterns[:count]
            weights = hebbian_weights(stored)
            cues = flipped_cues(stored, settings.flip, rng)
            for name, start in (("stored", stored), ("cued", cues)):
                if mode == "sync":
                    final = recall_sync(weights, start, settings.max_steps)
                else:
                    final = recall_async(weights, start, settings.max_steps, rng)
                overlaps = (final @ stored.T.astype(np.float32)).diagonal() / settings.n
                totals[count][f"overlap_{name}"] += float(overlaps.mean())
                totals[count][f"perfect_{name}"] += float(np.mean(overlaps == 1.0))
    return {
        count: {k: v / settings.trials for k, v in sums.items()} for count, sums in totals.items()
    }


# -- the runs ------------------------------------------------------------------------------------


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its children that have ended."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ours(settings: CapacitySettings, jobs: int) -> dict[str, Any]:
    """One run of the sweep with ``jobs`` processes: its time and its means per load."""
    cpu = cpu_seconds()
    started = time.perf_counter()
    result = run_capacity(settings, jobs=jobs)  # the pool's workers have ended on return
    seconds = time.perf_counter() - started
    means = {p.patterns: {k: getattr(p, k) for k in MEASURES} for p in result.points}
    return {"seconds": seconds, "cpu_seconds": cpu_seconds() - cpu, "means": means}


def reference(settings: CapacitySettings, mode: str, threads: int | None) -> dict[str, Any]:
    """One run of the reference with ``threads`` BLAS threads (None: as numpy started)."""
    cpu = cpu_seconds()
    started = time.perf_counter()
    if threads is None:
        means = reference_sweep(settings, mode)
    else:
        with threadpool_limits(limits=threads, user_api="blas"):
            means = reference_sweep(settings, mode)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "cpu_seconds": cpu_seconds() - cpu, "means": means}


def apart(a: dict[int, dict[str, float]], b: dict[int, dict[str, float]]) -> float:
    """The largest difference of any measure at any load between two runs."""
    return max(abs(a[count][k] - b[count][k]) for count in a for k in MEASURES)


def blas_pools() -> list[dict[str, Any]]:
    """threadpoolctl's view of the BLAS and OpenMP libraries loaded, trimmed."""
    keys = ("user_api", "internal_api", "version", "num_threads", "threading_layer")
    return [{k: pool.get(k) for k in keys} for pool in threadpool_info()]


def main(argv: list[str] | None = None) -> int:
    """Parse the options, time both sides, print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=1000, help="spins N (default 1000)")
    parser.add_argument("--alphas", default="0.02:0.3:0.02", help="loads (default 0.02:0.3:0.02)")
    parser.add_argument("--trials", type=int, default=10, help="(default 10)")
    parser.add_argument("--seed", type=int, default=1, help="(default 1)")
    parser.add_argument("--mode", choices=("sync", "async"), help="(default: the sweep's)")
    parser.add_argument(
        "--jobs", type=int, default=default_jobs(), help="ours in parallel (default the cores)"
    )
    parser.add_argument(
        "--reference-threads",
        type=int,
        default=1,
        help="the reference's BLAS threads, 0: as numpy started (default 1)",
    )
    parser.add_argument("--rounds", type=int, default=1, help="turns of each side (default 1)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"(default {DEFAULT_JSON})")
    args = parser.parse_args(argv)

    defaults = CapacitySettings()
    sweep_mode = getattr(defaults, "mode", "sync")
    mode = args.mode or sweep_mode
    fields = {"n": args.size, "alphas": parse_alphas(args.alphas), "trials": args.trials}
    fields["seed"] = args.seed
    if any(f.name == "mode" for f in dataclasses.fields(CapacitySettings)):
        fields["mode"] = mode
    elif mode != "sync":
        parser.error("this sweep recalls synchronously only: --mode sync")
    settings = CapacitySettings(**fields)
    threads = args.reference_threads or None

    command = shlex.join([sys.executable, *sys.argv])
    busy_before = cpu_busy()
    machine = machine_info()
    pools_at_start = blas_pools()
    log(
        f"sweep benchmark: {mode}, N = {settings.n}, {len(settings.loads)} loads,"
        f" {settings.trials} trials; CPUs busy before: {busy_before}"
    )
    started = time.perf_counter()
    runs: dict[str, list[dict[str, Any]]] = {"ours_1": [], "reference": [], "ours_jobs": []}
    for round_ in range(args.rounds):
        for name in runs:
            log(f"round {round_ + 1}: {name} ...")
            if name == "reference":
                run = reference(settings, mode, threads)
            else:
                run = ours(settings, 1 if name == "ours_1" else args.jobs)
            run["load_average_after"] = load_average()
            runs[name].append(run)
            log(f"  {fmt_seconds(run['seconds'])}, load average {run['load_average_after']}")
    elapsed = time.perf_counter() - started
    busy_after = cpu_busy()

    best = {name: min(r["seconds"] for r in rs) for name, rs in runs.items()}
    base = best["reference"]
    ref_means = runs["reference"][0]["means"]
    labels = {
        "reference": f"reference (numpy, {threads or 'default'} BLAS thread(s))",
        "ours_1": "ours, run_capacity(jobs=1)",
        "ours_jobs": f"ours, run_capacity(jobs={args.jobs})",
    }
    print(
        f"capacity sweep, {mode}: N = {settings.n}, {len(settings.loads)} loads"
        f" ({settings.loads[0]} to {settings.loads[-1]} patterns), {settings.trials} trials,"
        f" seed {settings.seed}"
    )
    print()
    print(f"{'':44}{'time':>10}{'/ reference':>13}{'CPU time':>10}{'max |diff|':>12}")
    for name in ("reference", "ours_1", "ours_jobs"):
        diff = apart(runs[name][0]["means"], ref_means)
        cpu = min(r["cpu_seconds"] for r in runs[name])
        print(
            f"{labels[name]:44}{fmt_seconds(best[name]):>10}{best[name] / base:>12.2f}x"
            f"{fmt_seconds(cpu):>10}{diff:>12.2g}"
        )
    ratio = best["ours_1"] / base
    print()
    print(
        f"Target: ours in one process within {TARGET_RATIO}x of the reference:"
        f" {ratio:.2f}x, {'met' if ratio <= TARGET_RATIO else 'NOT met'}; the default run"
        f" under {TARGET_SECONDS:g} s on an idle 2-core machine: {best['ours_jobs']:.1f} s"
        f" with {args.jobs} jobs (CPUs busy before the run: {busy_before}). CPU time: user"
        " + system of the side's processes and threads (one process: its wall time on an"
        " idle machine)."
    )
    blas = ", ".join(
        f"{p['internal_api']} {p['version']} ({p['num_threads']} threads)" for p in pools_at_start
    )
    about = (
        f"Machine: {machine['cpu']}, {machine['cpus_usable']} usable CPUs; Python"
        f" {machine['python']}, numpy {machine['numpy']}; BLAS (threadpoolctl): {blas};"
        f" load average at start {machine['load_average']}, at end {load_average()};"
        f" CPUs busy before {busy_before}, after {busy_after}."
    )
    print("\n" + "\n".join(textwrap.wrap(about, 100, subsequent_indent="  ")))
    print(f"Command: {command}")
    print(f"Run time {fmt_seconds(elapsed)}.")

    report = {
        "benchmark": "sweep",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": command,
        "run_seconds": elapsed,
        "mode": mode,
        "sweep_default_mode": sweep_mode,
        "settings": settings.to_dict(),
        "jobs": args.jobs,
        "reference_threads": threads,
        "cpu_busy_before": busy_before,
        "cpu_busy_after": busy_after,
        "load_average_at_end": load_average(),
        "machine": machine,
        "blas_pools": pools_at_start,
        "environment": {k: v for k, v in os.environ.items() if k.endswith("_NUM_THREADS")},
        "source": git_info(),
        "best_seconds": best,
        "ratio_ours_1_to_reference": ratio,
        "runs": {
            name: [{**r, "means": {str(k): v for k, v in r["means"].items()}} for r in rs]
            for name, rs in runs.items()
        },
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"JSON written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
