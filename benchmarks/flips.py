"""Benchmark the animated path: ``Asynchronous`` per spin visit, against its references.

Run it from the repository root::

    .venv/bin/python benchmarks/flips.py                 # N = 1024 and 65536 (3,277, 9,830)
    .venv/bin/python benchmarks/flips.py --quick         # N = 1024, and 65536 with 3,277
    .venv/bin/python benchmarks/flips.py --json /tmp/flips.json
    .venv/bin/python benchmarks/flips.py --quick --uneven  # strengths 0.5 to 1.5: sums round

Each case stores P random +-1 patterns (Hebb's rule, strength 1, or with ``--uneven``
strengths drawn from 0.5 to 1.5) in a square grid of N spins and recalls pattern 0 at
T = 0 from a cue with 20 % of its spins flipped, every side from the same cue and the
same visiting orders (one generator seed), in this one process, taking turns (a block
of runs each) so that other work on the machine slows every side alike. The times are
CPU seconds of this process (``time.process_time``) per spin visit:

- ours: ``Asynchronous.run`` in bulk (what the recall worker calls), to the fixed point
  (or ``MAX_SWEEPS`` sweeps, every side alike);
- today: the per-spin path it replaces (``legacy_visits``: a field and, on a flip, an
  update per visit, as ``Asynchronous.events`` did), over the first visits only when it
  would take long (the same visits for ours, timed apart), to say how much faster ours is
  and that both make the same flips;
- naive (N = 1024): the classic dense loop ``s_i = sign(W[i] @ s)`` over W (N x N);
- compiled (when numba is installed; the row is skipped otherwise): the same exact loop
  as ours, one spin at a time, compiled, its compile time printed apart;
- stream (with numba): one compiled pass that reads every row of xi^T in order, the P
  bytes a visit must read at least, per row: what reading them from memory costs at the
  speed one core streams, a floor for any exact visit once the rows outgrow the cache.

The goal (issue 16): ours at least 5x faster per visit than naive at N = 1024, and within
3x of compiled at N = 65536. The machine, the BLAS threads and the load are printed.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for path in (str(REPO), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)

from engine import load_average, machine_info, set_blas_threads  # noqa: E402

from tui_hopfield.model.dynamics import Asynchronous  # noqa: E402
from tui_hopfield.model.network import Network  # noqa: E402
from tui_hopfield.model.patterns import flip_fraction, random_spins  # noqa: E402

CASES = ((1024, 51), (65536, 3277), (65536, 9830))
"""(N, P): N = 1024 at the engine benchmark's load 0.05; 65536 at 0.05 and 0.15."""
QUICK_CASES = ((1024, 51), (65536, 3277))
NOISE = 0.2
"""Fraction of pattern 0's spins flipped to make the cue."""
TODAY_VISITS = 65536
"""Visits the per-spin path is timed over at most (from the cue)."""
MAX_SWEEPS = 6
"""Sweeps at most per run (every side the same): past capacity a recall may wander."""
TURNS = 3
"""Rounds of turns: every side runs once per round; the fastest run is kept."""
GOALS = {"naive_1024": 5.0, "compiled_65536": 3.0}
"""Ours at least 5x faster than naive at 1024; at most 3x slower than compiled at 65536."""


def make_case(
    n: int, p: int, seed: int, uneven: bool = False
) -> tuple[Network, np.ndarray, np.ndarray]:
    """A prepared Hebbian network of P random patterns, the cue, and pattern 0.

    ``uneven`` draws each memory's strength from 0.5 to 1.5 (otherwise 1): then the
    sums of the fields round, and ours checks each turn in numpy.
    """
    rng = np.random.default_rng([seed, n, p])
    patterns = np.empty((p, n), dtype=np.int8)
    for k in range(p):
        patterns[k] = random_spins(n, rng)
    strengths = rng.uniform(0.5, 1.5, p) if uneven else 1.0
    side = math.isqrt(n)
    network = Network(side, side)
    network.imprint_many(patterns, [f"p{k}" for k in range(p)], strengths)
    cue = flip_fraction(patterns[0], NOISE, rng)
    network.set_state(cue)
    network.prepare()
    return network, cue, patterns[0].copy()


def order_rng(n: int, seed: int) -> np.random.Generator:
    """The generator of the visiting orders; every side draws the same ones."""
    return np.random.default_rng([seed, n, 1])


def ours(
    network: Network, cue: np.ndarray, seed: int, max_visits: int | None, max_sweeps: int
) -> dict:
    """``Asynchronous.run`` in bulk from the cue, to the fixed point, ``max_visits`` visits
    or ``max_sweeps`` sweeps."""
    network.set_state(cue)
    dynamics = Asynchronous(network, order_rng(network.n, seed))
    visits, flips = 0, []
    start = time.process_time()
    while max_visits is None or visits < max_visits:
        left = None if max_visits is None else max_visits - visits
        batch = dynamics.run(max_visits=left)
        visits += batch.visits
        flips.append(batch.indices)
        if batch.done or dynamics.sweeps >= max_sweeps:
            break
    seconds = time.process_time() - start
    return {
        "seconds": seconds,
        "visits": visits,
        "flips": int(sum(len(f) for f in flips)),
        "sweeps": dynamics.sweeps,
        "order": np.concatenate(flips).tolist(),
        "state": network.state.copy(),
    }


def legacy_visits(network: Network, cue: np.ndarray, seed: int, max_visits: int) -> dict:
    """The per-spin path ``Asynchronous.events`` took before the batches, at T = 0.

    One exact field per visit (``Network.field``), then ``Network.flip`` on a flip;
    the same visiting orders.
    """
    network.set_state(cue)
    rng = order_rng(network.n, seed)
    visits, flips, sweeps = 0, [], 0
    start = time.process_time()
    while visits < max_visits:
        flipped = 0
        for index in rng.permutation(network.n).tolist():
            h = network.field(index)
            if int(network.state[index]) * h < 0:
                network.flip(index, h)
                flips.append(index)
                flipped += 1
            visits += 1
            if visits >= max_visits:
                break
        else:
            sweeps += 1
            if not flipped:
                break
    seconds = time.process_time() - start
    return {
        "seconds": seconds,
        "visits": visits,
        "flips": len(flips),
        "sweeps": sweeps,
        "order": flips,
        "state": network.state.copy(),
    }


def naive(weights: np.ndarray, cue: np.ndarray, seed: int, max_sweeps: int) -> dict:
    """The classic loop ``s_i = sign(W[i] @ s)`` in a random order per sweep, to a quiet sweep."""
    n = weights.shape[0]
    rng = order_rng(n, seed)
    s = cue.astype(np.float64)
    visits, flips, sweeps = 0, 0, 0
    start = time.process_time()
    while True:
        changed = 0
        for i in rng.permutation(n):
            h = weights[i] @ s
            if h != 0:
                new = 1.0 if h > 0 else -1.0
                if new != s[i]:
                    s[i] = new
                    changed += 1
            visits += 1
        flips += changed
        sweeps += 1
        if not changed or sweeps >= max_sweeps:
            break
    seconds = time.process_time() - start
    return {"seconds": seconds, "visits": visits, "flips": flips, "sweeps": sweeps, "state": s}


def compiled_kernel() -> tuple[Callable | None, float | None]:
    """The compiled exact loop (numba), and its compile time; (None, None) without numba."""
    try:
        started = time.perf_counter()
        import numba
    except ImportError:
        return None, None
    imported = time.perf_counter() - started

    @numba.njit(cache=False)
    def sweep(columns, scale, k, state, dots, a, order):  # pragma: no cover - compiled
        flipped = 0
        p = a.size
        for t in range(order.size):
            i = order[t]
            acc = 0.0
            for m in range(p):
                acc += columns[i, m] * a[m]
            s = state[i]
            delta = k + s * acc  # dE = 2 s h
            if delta < 0.0:
                state[i] = -s
                for m in range(p):
                    dots[m] -= 2.0 * s * columns[i, m]
                    a[m] = dots[m] * scale[m]
                flipped += 1
        return flipped

    started = time.perf_counter()
    tiny = np.ones((2, 2), dtype=np.int8)
    sweep(tiny, np.ones(2), 0.0, np.ones(2, np.int8), np.ones(2), np.ones(2), np.zeros(1, np.int64))
    return sweep, imported + (time.perf_counter() - started)


def stream_kernel() -> Callable:
    """A compiled pass over int8 rows (N, P) in order, summing their bytes: the floor."""
    import numba

    @numba.njit(cache=False)
    def stream(columns):  # pragma: no cover - compiled
        total = 0
        for i in range(columns.shape[0]):
            row = columns[i]
            part = np.int32(0)
            for m in range(row.shape[0]):
                part = np.int32(part + row[m])
            total += part
        return total

    stream(np.ones((2, 2), dtype=np.int8))
    return stream


def streamed(kernel: Callable, network: Network) -> dict:
    """One pass of ``kernel`` over the column store: its CPU time, as N visits."""
    columns = network.landscape.columns
    start = time.process_time()
    kernel(columns)
    seconds = time.process_time() - start
    return {"seconds": seconds, "visits": network.n}


def compiled(
    kernel: Callable, network: Network, cue: np.ndarray, seed: int, max_sweeps: int
) -> dict:
    """The compiled exact loop from the cue, to a quiet sweep, the same visiting orders."""
    network.set_state(cue)
    columns = network.landscape.columns
    n = network.n
    scale = 2.0 * network.strengths / n
    k = -2.0 * float(network.strengths.sum()) / n
    state = cue.copy()
    dots = network.dots.copy()
    a = dots * scale
    rng = order_rng(n, seed)
    visits, flips, sweeps = 0, 0, 0
    start = time.process_time()
    while True:
        flipped = kernel(columns, scale, k, state, dots, a, rng.permutation(n))
        visits += n
        flips += flipped
        sweeps += 1
        if not flipped or sweeps >= max_sweeps:
            break
    seconds = time.process_time() - start
    return {"seconds": seconds, "visits": visits, "flips": flips, "sweeps": sweeps, "state": state}


def per_visit(result: dict) -> float:
    """CPU microseconds per spin visit."""
    return result["seconds"] / max(1, result["visits"]) * 1e6


def best(runs: list[dict]) -> dict:
    """The fastest run, with every run's time per visit."""
    top = dict(min(runs, key=lambda r: r["seconds"]))
    top["us_per_visit_all"] = [round(per_visit(r), 4) for r in runs]
    return top


def measure(
    n: int,
    p: int,
    seed: int,
    kernel: Callable | None,
    log,
    turns: int,
    today_visits: int,
    max_sweeps: int,
    uneven: bool = False,
) -> dict:
    """Every side of one case, taking turns; figures and checks."""
    log(f"N = {n}, P = {p}: imprinting")
    network, cue, target = make_case(n, p, seed, uneven)
    weights = None
    if n <= 4096:
        xi = network.patterns.astype(np.float64)
        weights = xi.T @ (network.strengths[:, None] * xi) / n
        np.fill_diagonal(weights, 0.0)
    prefix = min(today_visits, 3 * n)
    sides: dict[str, Callable[[], dict]] = {
        "ours": lambda: ours(network, cue, seed, None, max_sweeps),
        "ours_prefix": lambda: ours(network, cue, seed, prefix, max_sweeps),
        "today_prefix": lambda: legacy_visits(network, cue, seed, prefix),
    }
    if weights is not None:
        sides["naive"] = lambda: naive(weights, cue, seed, max_sweeps)
    if kernel is not None:
        sides["compiled"] = lambda: compiled(kernel, network, cue, seed, max_sweeps)
        stream = stream_kernel()
        sides["stream"] = lambda: streamed(stream, network)
    runs: dict[str, list[dict]] = {name: [] for name in sides}
    for turn in range(turns):
        for name, side in sides.items():
            log(f"  turn {turn + 1}: {name}")
            runs[name].append(side())
    results = {name: best(r) for name, r in runs.items()}
    mine = results["ours"]
    case: dict[str, Any] = {
        "n": n,
        "p": p,
        "visits": mine["visits"],
        "flips": mine["flips"],
        "sweeps": mine["sweeps"],
        "recalled": bool(np.array_equal(mine["state"], target)),
        "load_average": load_average(),
        "us_per_visit": {name: round(per_visit(r), 4) for name, r in results.items()},
        "us_per_visit_all": {name: r["us_per_visit_all"] for name, r in results.items()},
        "today_same_flips": results["ours_prefix"]["order"] == results["today_prefix"]["order"]
        and np.array_equal(results["ours_prefix"]["state"], results["today_prefix"]["state"]),
        "prefix_visits": prefix,
        "strengths": "0.5 to 1.5" if uneven else "1",
    }
    case["today_over_ours"] = per_visit(results["today_prefix"]) / per_visit(results["ours_prefix"])
    if "naive" in results:
        case["naive_over_ours"] = per_visit(results["naive"]) / per_visit(mine)
        case["naive_same_state"] = bool(np.array_equal(results["naive"]["state"], mine["state"]))
    if "compiled" in results:
        case["ours_over_compiled"] = per_visit(mine) / per_visit(results["compiled"])
        case["compiled_same_state"] = bool(
            np.array_equal(results["compiled"]["state"], mine["state"])
        )
        case["compiled_same_flips"] = results["compiled"]["flips"] == mine["flips"]
    if "stream" in results:
        case["ours_over_stream"] = per_visit(mine) / per_visit(results["stream"])
    return case


def report(cases: list[dict], compile_seconds: float | None, info: dict, turns: int) -> str:
    """The table, the goals and the machine."""
    lines = [
        f"machine: {info['cpu']}, {info['cpus_usable']} usable CPUs;"
        f" numpy {info['numpy']}; BLAS threads {info['blas_threads']};"
        f" load average at start {info['load_average']}",
        "CPU microseconds per spin visit, T = 0 recall from a 20 % cue (fastest of"
        f" {turns} turns), strengths {cases[0]['strengths'] if cases else '1'}:",
        "",
        f"{'N':>6} {'P':>5} {'visits':>8} {'flips':>6} {'ours':>8} {'today*':>8}"
        f" {'ours*':>8} {'naive':>8} {'compiled':>9} {'stream':>7}  ratios",
    ]
    for case in cases:
        us = case["us_per_visit"]

        def cell(name: str, us: dict = us) -> str:
            return f"{us[name]:.3f}" if name in us else "-"

        ratios = [f"today/ours {case['today_over_ours']:.1f}x"]
        if "naive_over_ours" in case:
            ratios.append(f"naive/ours {case['naive_over_ours']:.1f}x")
        if "ours_over_compiled" in case:
            ratios.append(f"ours/compiled {case['ours_over_compiled']:.2f}x")
        if "ours_over_stream" in case:
            ratios.append(f"ours/stream {case['ours_over_stream']:.1f}x")
        lines.append(
            f"{case['n']:>6} {case['p']:>5} {case['visits']:>8} {case['flips']:>6}"
            f" {cell('ours'):>8} {cell('today_prefix'):>8} {cell('ours_prefix'):>8}"
            f" {cell('naive'):>8} {cell('compiled'):>9} {cell('stream'):>7}"
            f"  {', '.join(ratios)}"
        )
    lines.append("")
    lines.append(
        "* today and ours* over the first min(3N, --today-visits) visits from the cue (flip-heavy)"
        "; ours, naive and compiled to the fixed point or --max-sweeps sweeps; stream: one"
        " pass over xi^T in order, per row (the bytes of a visit at one core's streaming speed)."
    )
    for case in cases:
        checks = [f"same flips as today's path: {case['today_same_flips']}"]
        for key in ("naive_same_state", "compiled_same_state", "compiled_same_flips"):
            if key in case:
                checks.append(f"{key.replace('_', ' ')}: {case[key]}")
        lines.append(
            f"N = {case['n']}, P = {case['p']}: recalled {case['recalled']}; {'; '.join(checks)};"
            f" load {case['load_average']}"
        )
    if compile_seconds is not None:
        lines.append(f"compiled loop: numba import and compile took {compile_seconds:.2f} s")
    else:
        lines.append("compiled loop: numba is not installed, row skipped")
    for case in cases:
        if case["n"] == 1024 and "naive_over_ours" in case:
            met = case["naive_over_ours"] >= GOALS["naive_1024"]
            lines.append(
                f"goal: >= {GOALS['naive_1024']:g}x faster than naive at N = 1024:"
                f" {case['naive_over_ours']:.1f}x, {'met' if met else 'NOT met'}"
            )
        if case["n"] == 65536 and "ours_over_compiled" in case:
            met = case["ours_over_compiled"] <= GOALS["compiled_65536"]
            lines.append(
                f"goal: within {GOALS['compiled_65536']:g}x of compiled at N = 65536,"
                f" P = {case['p']}: {case['ours_over_compiled']:.2f}x,"
                f" {'met' if met else 'NOT met'}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the cases and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N = 1024, and 65536 with 3,277")
    parser.add_argument("--seed", type=int, default=2026, help="the seed of every input")
    parser.add_argument("--blas-threads", type=int, default=1, help="BLAS threads (default 1)")
    parser.add_argument("--turns", type=int, default=TURNS, help=f"turns (default {TURNS})")
    parser.add_argument(
        "--today-visits",
        type=int,
        default=TODAY_VISITS,
        help=f"visits the per-spin path is timed over at most (default {TODAY_VISITS})",
    )
    parser.add_argument(
        "--max-sweeps",
        type=int,
        default=MAX_SWEEPS,
        help=f"sweeps at most (past capacity recall may wander; default {MAX_SWEEPS})",
    )
    parser.add_argument(
        "--uneven", action="store_true", help="strengths from 0.5 to 1.5 instead of 1"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    set_blas_threads(args.blas_threads)
    info = machine_info()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    kernel, compile_seconds = compiled_kernel()
    cases = [
        measure(
            n,
            p,
            args.seed,
            kernel,
            log,
            args.turns,
            args.today_visits,
            args.max_sweeps,
            args.uneven,
        )
        for n, p in (QUICK_CASES if args.quick else CASES)
    ]
    print(report(cases, compile_seconds, info, args.turns))
    if args.json:
        args.json.write_text(
            json.dumps({"machine": info, "compile_seconds": compile_seconds, "cases": cases})
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
