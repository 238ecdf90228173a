"""Benchmark the tui-hopfield engine against a dense numpy reference, side by side.

Run it from the repository root::

    .venv/bin/python benchmarks/engine.py                 # N = 1024 ... 65536, under ~10 minutes
    .venv/bin/python benchmarks/engine.py --quick         # N = 1024, 4096, small time budgets
    .venv/bin/python benchmarks/engine.py --sizes 1024,4096 --json /tmp/engine.json

For each size N (a square grid) it stores P = round(0.05 N) random +-1 patterns and
recalls pattern 0 from a cue with 20 % of its spins flipped. Both sides run in this one
process on the same inputs (same seed, same cue, and the same visiting order for the
spin-by-spin sweeps): memory and imprint one side after the other, then the recall steps of
both sides timed taking turns, so that other work on the machine slows both alike:

- ours: ``Network.imprint`` for each pattern, then the landscape learned from them
  (``network.landscape``); synchronous recall by the engine's batch path
  (``batch.recall(landscape, cue[None, :])``); asynchronous recall two ways, the headless
  block descent ``descent.descend`` and the spin-by-spin ``Asynchronous`` sweeps the app
  animates;
- reference, "the classic blog code": ``W`` summed in float64 from ``np.outer(p, p)`` in a
  Python loop, divided by N, diagonal zeroed; recall synchronously with ``s = sign(W @ s)``
  until it stops changing, and asynchronously with a Python loop ``s_i = sign(W[i] @ s)``
  over a random order.

Memory is measured per side within the process: ``tracemalloc`` (numpy reports its buffers
to it) phase by phase with ``reset_peak``, and the process's resident high-water mark,
reset between the sides through ``/proc/self/clear_refs``. Where the reference would take
minutes, part of its work is timed and scaled up, and the figure is marked as extrapolated.
Where the dense matrix does not fit the memory limit, the reference is skipped and the
table says "does not fit". The reference's W is freed before the next size.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime
import gc
import hashlib
import json
import math
import os
import platform
import resource
import shlex
import subprocess
import sys
import textwrap
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tui_hopfield.model.batch import recall  # noqa: E402
from tui_hopfield.model.descent import descend  # noqa: E402
from tui_hopfield.model.dynamics import Asynchronous, Flip, Progress, SweepDone  # noqa: E402
from tui_hopfield.model.network import Network  # noqa: E402
from tui_hopfield.model.patterns import flip_fraction, random_spins  # noqa: E402

DEFAULT_JSON = HERE / "results" / "engine.json"

DEFAULT_SIZES = (1024, 4096, 16384, 65536)
QUICK_SIZES = (1024, 4096)
LOAD = 0.05
"""Patterns per spin: P = round(LOAD * N)."""
NOISE = 0.2
"""Fraction of the target's spins flipped to make the cue."""
TARGET = 0
"""Index of the pattern that is recalled."""
GIB = 1024**3
MIB = 1024**2
GB = 10**9
CHUNK = 64 * MIB
"""Largest temporary the reference's blocked completion of W makes."""

TARGETS = {"imprint_speedup_4096": 1000.0, "sync_speedup_4096": 30.0, "peak_bytes_65536": 1.5 * GB}
"""What the engine should reach: imprint and sync recall speed-ups at N = 4096, memory at 65536."""

DEFAULT_SWEEPS = 3
"""Sweeps assumed for a cut-short spin-by-spin run when no run on the same cue finished."""


@dataclass(frozen=True)
class Budgets:
    """Time budgets in seconds for the steps at one size, and caps on steps."""

    reference_imprint: float = 30.0
    """The np.outer loop; past it the rest of the patterns are extrapolated linearly."""
    ours_imprint: float = 120.0
    """Network.imprint for all patterns; past it the figure is extrapolated, recall skipped."""
    reference_async: float = 60.0
    """The reference's spin-by-spin Python loop; past it, time per sweep is extrapolated."""
    ours_async: float = 60.0
    """The engine's spin-by-spin ``Asynchronous`` sweeps; past it, extrapolated likewise."""
    sync: float = 120.0
    """The reference's synchronous recall; checked after each step."""
    max_sync_steps: int = 50
    """Synchronous recall gives up after this many steps (it may cycle)."""
    max_sweeps: int = 100
    """Spin-by-spin recall gives up after this many sweeps."""

    def scaled(self, factor: float) -> Budgets:
        """The same budgets with every time multiplied by ``factor``."""
        return replace(
            self,
            reference_imprint=self.reference_imprint * factor,
            ours_imprint=self.ours_imprint * factor,
            reference_async=self.reference_async * factor,
            ours_async=self.ours_async * factor,
            sync=self.sync * factor,
        )


# -- inputs and helpers -------------------------------------------------------------------


def make_inputs(n: int, p: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The stored patterns (int8, P x N) and the cue (int8, N) for one size."""
    rng = np.random.default_rng([seed, n])
    patterns = np.empty((p, n), dtype=np.int8)
    for k in range(p):
        patterns[k] = random_spins(n, rng)
    cue = flip_fraction(patterns[TARGET], NOISE, rng)
    return patterns, cue


def order_rng(n: int, seed: int) -> np.random.Generator:
    """The generator of the visiting orders; both spin-by-spin loops draw the same orders."""
    return np.random.default_rng([seed, n, 1])


def digest(spins: np.ndarray) -> str:
    """A short fingerprint of a spin vector (as int8), to compare final states across sides."""
    return hashlib.sha256(np.asarray(spins, dtype=np.int8).tobytes()).hexdigest()[:16]


def outcome(state: np.ndarray, target: np.ndarray) -> dict[str, Any]:
    """Whether a recall ended on the stored pattern, its overlap, and the state's digest."""
    state = np.asarray(state)
    n = target.size
    overlap = float(state.astype(np.float64) @ target.astype(np.float64) / n)
    return {
        "overlap": overlap,
        "exact": bool(np.array_equal(state.astype(np.int8), target)),
        "final_digest": digest(state),
    }


QUICK = 0.5
"""A step faster than this (seconds) is repeated, since one short timing is noisy."""
MAX_RUNS = 15
"""The most runs of a quick step."""
QUICK_TOTAL = 3.0
"""A quick step is repeated until it has spent this many seconds in all."""
AGAIN = 10.0
"""A step faster than this runs at least twice, so that no figure rests on one cold run."""
BLOCK = 3
"""Timed runs of one step in a row before the next step takes its turn (keeps caches warm)."""


class Timings:
    """The runs of one step; ``summary`` keeps the fastest and lists them all.

    Every run must start from the same state and do the same work (and report its own
    outcome), so that any run stands for the step.
    """

    def __init__(self, run: Callable[[], dict[str, Any]]) -> None:
        self.run = run
        self.infos: list[dict[str, Any]] = []

    def wants_more(self) -> bool:
        """Whether the step should run again (see ``QUICK``, ``AGAIN``)."""
        if not self.infos:
            return True
        last = self.infos[-1]
        if last.get("extrapolated"):
            return False
        spent = [info["seconds"] for info in self.infos]
        return (len(spent) < 2 and last["seconds"] < AGAIN) or (
            last["seconds"] < QUICK and len(spent) < MAX_RUNS and sum(spent) < QUICK_TOTAL
        )

    def block(self) -> None:
        """Run the step up to ``BLOCK`` times in a row (once if it is slow).

        A quick step's later blocks begin with one untimed run: the other steps' turns
        have emptied the caches it uses (the reference streams its whole W through
        them) and let the BLAS threads sleep, and the first run after that measures
        refilling them rather than the step.
        """
        if self.infos and self.infos[-1]["seconds"] < QUICK:
            self.run()
        for _ in range(BLOCK):
            if not self.wants_more():
                return
            self.infos.append(self.run())
            if self.infos[-1]["seconds"] >= QUICK:
                return

    def summary(self) -> dict[str, Any]:
        """The fastest run's figures, with every run's time."""
        spent = [info["seconds"] for info in self.infos]
        best = dict(min(self.infos, key=lambda info: info["seconds"]))
        best["runs"] = len(spent)
        best["median_seconds"] = float(np.median(spent))
        best["seconds_all_runs"] = spent
        return best


def best_of(run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Time one step alone: repeated as ``Timings`` says, the fastest run kept."""
    timings = Timings(run)
    while timings.wants_more():
        timings.block()
    return timings.summary()


def take_turns(steps: dict[str, Timings]) -> dict[str, dict[str, Any]]:
    """Time several steps taking turns, a block of runs each, until none wants more.

    Both sides' recalls are timed this way, so that a stretch when other work holds the
    cores slows both rather than one.
    """
    while any(timings.wants_more() for timings in steps.values()):
        for timings in steps.values():
            if timings.wants_more():
                timings.block()
    return {name: timings.summary() for name, timings in steps.items()}


# -- memory -------------------------------------------------------------------------------


def proc_status(key: str) -> int | None:
    """A ``Vm...`` line of /proc/self/status in bytes, or None where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def max_rss() -> int:
    """This process's ru_maxrss in bytes (Linux reports it in KiB)."""
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


class Meter:
    """The process's resident high-water mark, resettable between the sides.

    On Linux, writing ``5`` to /proc/self/clear_refs resets the high-water mark (VmHWM, which
    ru_maxrss also reports), so each side gets its own; the process's overall peak is kept
    as the largest mark read before each reset.
    """

    def __init__(self) -> None:
        self.process_peak = max_rss()
        self.can_reset = self._reset()

    @staticmethod
    def _reset() -> bool:
        try:
            with open("/proc/self/clear_refs", "w") as handle:
                handle.write("5")
        except OSError:
            return False
        return True

    def high_water(self) -> int:
        """The resident high-water mark since the last reset, in bytes."""
        return proc_status("VmHWM") or max_rss()

    def reset(self) -> None:
        """Start a new high-water mark (after noting the old one in ``process_peak``)."""
        self.process_peak = max(self.process_peak, self.high_water(), max_rss())
        if self.can_reset:
            self._reset()

    def overall(self) -> int:
        """The process's peak resident set size over the whole run."""
        return max(self.process_peak, self.high_water(), max_rss())


class SideMemory:
    """One side's memory at one size: tracemalloc peaks per phase and the RSS high-water mark.

    tracemalloc is started when the side begins, so its figures count only what the side
    allocated (not the shared inputs, nor the interpreter); ``reset_peak`` starts each phase.
    """

    def __init__(self, meter: Meter) -> None:
        gc.collect()
        meter.reset()
        self.meter = meter
        self.rss_start = proc_status("VmRSS")
        self.phases: dict[str, dict[str, int]] = {}
        tracemalloc.start()

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Trace the peak of the work done in the ``with`` block under ``name``."""
        if not tracemalloc.is_tracing():
            raise RuntimeError("tracing stopped before a traced phase")
        tracemalloc.reset_peak()
        yield
        current, peak = tracemalloc.get_traced_memory()
        self.phases[name] = {"traced_peak": peak, "traced_live_after": current}

    def stop_tracing(self) -> None:
        """Stop tracemalloc (before the timed work, which it would slow down)."""
        if tracemalloc.is_tracing():
            tracemalloc.stop()

    def finish(self) -> dict[str, Any]:
        """The side's memory figures (call after the side's last step, before freeing)."""
        self.stop_tracing()
        return {
            "traced_peak": max((v["traced_peak"] for v in self.phases.values()), default=0),
            "phases": self.phases,
            "rss_high_water": self.meter.high_water(),
            "rss_at_start": self.rss_start,
            "rss_high_water_is_per_side": self.meter.can_reset,
        }


# -- ours -----------------------------------------------------------------------------------


def extrapolate_growing(times: list[float], total: int) -> float:
    """Estimate the time of ``total`` imprints from the first ``len(times)`` ones.

    The time per imprint is fitted as a straight line in the pattern's index over the last
    half of the measured imprints, and the line is summed over the imprints not measured.
    """
    k = len(times)
    measured = float(sum(times))
    tail = np.asarray(times[k // 2 :])
    index = np.arange(k // 2, k, dtype=np.float64)
    if tail.size >= 4:
        slope, intercept = np.polyfit(index, tail, 1)
    else:
        slope, intercept = 0.0, float(tail.mean())
    rest = np.arange(k, total, dtype=np.float64)
    predicted = np.maximum(intercept + max(slope, 0.0) * rest, float(tail.mean()))
    return measured + float(predicted.sum())


def imprint_ours(rows: int, cols: int, patterns: np.ndarray, budget: float):
    """A new Network with every pattern imprinted and its landscape learned, timed.

    The time is that of every ``Network.imprint`` plus ``network.landscape`` (learning the
    rule's landscape, which is when the patterns' column layout is filled in), so that it
    covers everything needed before the first recall. If the budget runs out first, the
    network holds only the patterns imprinted so far and the figure is extrapolated.
    """
    p = len(patterns)
    network = Network(rows, cols)
    times: list[float] = []
    start = time.perf_counter()
    for k in range(p):
        t0 = time.perf_counter()
        network.imprint(patterns[k], f"pattern {k}")
        times.append(time.perf_counter() - t0)
        if k + 1 < p and time.perf_counter() - start > budget:
            break
    imprint_seconds = float(sum(times))
    t0 = time.perf_counter()
    network.landscape  # noqa: B018  (learning happens on first access)
    learn_seconds = time.perf_counter() - t0
    info: dict[str, Any] = {
        "seconds": imprint_seconds + learn_seconds,
        "imprint_seconds": imprint_seconds,
        "learn_seconds": learn_seconds,
        "patterns_timed": len(times),
        "extrapolated": len(times) < p,
    }
    if info["extrapolated"]:
        info["measured_seconds"] = info["seconds"]
        info["seconds"] = extrapolate_growing(times, p) + learn_seconds
        info["method"] = (
            f"{len(times)} of {p} imprints timed; time per imprint fitted as a line in the"
            " pattern's index and summed over the rest"
        )
    return info, network


def ours_sync(
    network: Network, cue: np.ndarray, max_steps: int
) -> tuple[dict[str, Any], np.ndarray]:
    """Synchronous recall by the engine's batch path: ``batch.recall(landscape, cue[None])``."""
    landscape = network.landscape
    start = time.perf_counter()
    result = recall(landscape, cue[None, :], max_steps=max_steps)
    seconds = time.perf_counter() - start
    info = {
        "seconds": seconds,
        "steps": int(result.steps[0]),
        "converged": bool(result.converged[0]),
        "cycled": bool(result.cycled[0]),
        "extrapolated": False,
    }
    return info, result.states[0].copy()


def ours_descend(network: Network, cue: np.ndarray, rng: np.random.Generator) -> dict[str, Any]:
    """Asynchronous T = 0 descent in blocks (``descent.descend``), from setting the cue on."""
    start = time.perf_counter()
    network.set_state(cue)
    flips = descend(network, rng)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "flips": flips, "extrapolated": False}


def ours_async(
    network: Network,
    cue: np.ndarray,
    rng: np.random.Generator,
    budget: float,
    max_sweeps: int,
    assume_sweeps: int,
) -> dict[str, Any]:
    """Spin-by-spin T = 0 recall with the engine's ``Asynchronous`` events, as the app runs it.

    The time counts from setting the cue. If the budget runs out before a sweep flips
    nothing, the time per spin visit so far gives the time per sweep, and the total is
    estimated as that times ``assume_sweeps``.
    """
    n = network.n
    start = time.perf_counter()
    network.set_state(cue)
    dynamics = Asynchronous(network, rng, temperature=0.0)
    flips = 0
    visited = 0  # spins visited in completed sweeps plus the current one's progress
    stopped = False
    for event in dynamics.events():
        if isinstance(event, Flip):
            flips += 1
            continue
        if isinstance(event, Progress):
            visited = dynamics.sweeps * n + event.visited
        elif isinstance(event, SweepDone):
            visited = event.sweep * n
            if event.flips == 0:
                continue  # the generator ends after this sweep and sets ``converged``
            if event.sweep >= max_sweeps:
                break
        if time.perf_counter() - start > budget:
            stopped = True
            break
    elapsed = time.perf_counter() - start
    info: dict[str, Any] = {
        "seconds": elapsed,
        "sweeps": dynamics.sweeps,
        "seconds_per_sweep": elapsed / max(1, dynamics.sweeps),
        "flips": flips,
        "converged": dynamics.converged,
        "extrapolated": stopped,
    }
    if stopped:
        per_sweep = elapsed / max(1, visited) * n
        info.update(
            measured_seconds=elapsed,
            spin_visits_timed=visited,
            seconds_per_sweep=per_sweep,
            seconds=per_sweep * assume_sweeps,
            sweeps=assume_sweeps,
            method=(
                f"{visited} spin visits timed ({visited / n:.2f} sweeps); time per sweep ="
                f" time per visit x N, times {assume_sweeps} sweeps"
            ),
        )
    return info


def ours_bytes(n: int, p: int) -> int:
    """A generous estimate of the engine's peak: int8 row and column stores grown by doubling,
    a float32 copy of the patterns, and float temporaries of the chunked products."""
    return 6 * n * p + 4 * n * p + 2 * CHUNK + 64 * n


# -- the reference --------------------------------------------------------------------------


def add_gram(w: np.ndarray, x: np.ndarray) -> None:
    """Add ``x.T @ x`` to ``w`` in blocks of rows, with bounded temporaries.

    numpy's bundled OpenBLAS has been seen to crash on ``x.T @ x`` (its syrk path) for large
    results, so the right-hand operand is always a separate copy, never ``x`` itself.
    """
    n = w.shape[0]
    other = x.copy()
    block = max(1, CHUNK // (8 * n))
    for r0 in range(0, n, block):
        left = np.ascontiguousarray(x[:, r0 : r0 + block].T)
        w[r0 : r0 + block] += left @ other


def imprint_reference(x: np.ndarray, budget: float) -> tuple[dict[str, Any], np.ndarray]:
    """W the classic way: a Python loop of ``W += np.outer(p, p)``, then ``/ N``, zero diagonal.

    If the budget runs out, the loop's time is scaled linearly to all patterns (each outer
    product costs the same) and the rest of W is filled in faster, untimed, so that recall
    still runs on the full W.
    """
    p, n = x.shape
    start = time.perf_counter()
    w = np.zeros((n, n))
    done = 0
    first = 0.0  # the first outer product also pays for touching W's pages
    for k in range(p):
        w += np.outer(x[k], x[k])
        done = k + 1
        if done == 1:
            first = time.perf_counter() - start
        if done < p and time.perf_counter() - start > budget:
            break
    loop_seconds = time.perf_counter() - start
    info: dict[str, Any] = {"patterns_timed": done, "extrapolated": done < p}
    if done < p:
        t0 = time.perf_counter()
        add_gram(w, x[done:])
        info["completion_seconds"] = time.perf_counter() - t0
        info["completion"] = (
            f"the other {p - done} patterns added by blocked matrix products (not timed as"
            " part of the reference), so that recall runs on the full W"
        )
        info["measured_seconds"] = loop_seconds
        info["method"] = (
            f"np.outer loop timed on {done} of {p} patterns, scaled linearly to {p}"
            " (the first pattern, which also touches W's pages, counted once)"
        )
        if done > 1:
            loop_seconds = first + (loop_seconds - first) / (done - 1) * (p - 1)
        else:
            loop_seconds = loop_seconds * p
    t0 = time.perf_counter()
    w /= n
    np.fill_diagonal(w, 0.0)
    info["seconds"] = loop_seconds + time.perf_counter() - t0
    return info, w


def reference_sync(
    w: np.ndarray, cue: np.ndarray, budget: float, max_steps: int
) -> tuple[dict[str, Any], np.ndarray]:
    """Synchronous recall the classic way: ``s = sign(W @ s)`` until nothing changes.

    A zero field keeps the spin. ``steps`` counts the steps that changed something, as the
    engine's batch recall does; ``products`` counts every ``W @ s``.
    """
    start = time.perf_counter()
    s = cue.astype(np.float64)
    steps = 0
    products = 0
    converged = False
    while steps < max_steps:
        h = w @ s
        products += 1
        new = s.copy()
        new[h > 0] = 1.0
        new[h < 0] = -1.0
        if np.array_equal(new, s):
            converged = True
            break
        s = new
        steps += 1
        if time.perf_counter() - start > budget:
            break
    seconds = time.perf_counter() - start
    info = {
        "seconds": seconds,
        "steps": steps,
        "products": products,
        "converged": converged,
        "extrapolated": False,
    }
    return info, s


def reference_async(
    w: np.ndarray,
    cue: np.ndarray,
    rng: np.random.Generator,
    budget: float,
    max_sweeps: int,
    assume_sweeps: int,
) -> tuple[dict[str, Any], np.ndarray]:
    """Asynchronous recall the classic way: a Python loop ``s_i = sign(W[i] @ s)``.

    Sweeps in a fresh random order until a sweep changes nothing. If the time budget runs
    out first, the time per spin update so far gives the time per sweep, and the total is
    estimated as that times ``assume_sweeps`` (the sweeps the engine needed on the same cue,
    in the same visiting order).
    """
    n = w.shape[0]
    start = time.perf_counter()
    s = cue.astype(np.float64)
    updates = 0
    sweeps = 0
    flips = 0
    converged = False
    stopped = False
    while sweeps < max_sweeps and not stopped:
        changed = 0
        for i in rng.permutation(n):
            h = w[i] @ s
            if h != 0:
                new = 1.0 if h > 0 else -1.0
                if new != s[i]:
                    s[i] = new
                    changed += 1
            updates += 1
            if updates % 1024 == 0 and time.perf_counter() - start > budget:
                stopped = True
                break
        flips += changed
        if stopped:
            break
        sweeps += 1
        if changed == 0:
            converged = True
            break
    elapsed = time.perf_counter() - start
    info: dict[str, Any] = {
        "seconds": elapsed,
        "sweeps": sweeps,
        "seconds_per_sweep": elapsed / max(1, sweeps),
        "flips": flips,
        "converged": converged,
        "extrapolated": stopped,
    }
    if stopped:
        per_sweep = elapsed / updates * n
        info.update(
            measured_seconds=elapsed,
            spin_updates_timed=updates,
            seconds_per_sweep=per_sweep,
            seconds=per_sweep * assume_sweeps,
            sweeps=assume_sweeps,
            method=(
                f"{updates} spin updates timed ({updates / n:.2f} sweeps); time per sweep"
                f" = time per update x N, times {assume_sweeps} sweeps (what the engine's"
                " spin-by-spin run needed on the same cue and order)"
            ),
        )
    return info, s


def ours_side(
    n: int, p: int, patterns: np.ndarray, cue: np.ndarray, budgets: Budgets, meter: Meter, seed: int
) -> tuple[dict[str, Any], Network | None]:
    """The engine's memory (a traced, untimed pass) and imprint time; returns the network.

    The traced pass runs imprint, synchronous recall and descend; then imprint is timed
    untraced, and the first synchronous recall on the new network (which builds the float32
    copy of the patterns) is timed once. The recall timings are taken later, taking turns
    with the reference's (see ``measure_size``).
    """
    side = math.isqrt(n)
    memory = SideMemory(meter)
    with memory.phase("imprint"):
        info, network = imprint_ours(side, side, patterns, budgets.ours_imprint)
    if not info["extrapolated"]:
        with memory.phase("sync recall"):
            ours_sync(network, cue, budgets.max_sync_steps)
        with memory.phase("descend"):
            ours_descend(network, cue, order_rng(n, seed))
    memory.stop_tracing()
    del network, info
    gc.collect()

    result: dict[str, Any] = {}
    holder: dict[str, Network] = {}

    def imprint_once() -> dict[str, Any]:
        holder.clear()  # drop the previous network first, so that two never coexist
        gc.collect()
        info, holder["network"] = imprint_ours(side, side, patterns, budgets.ours_imprint)
        return info

    result["imprint"] = best_of(imprint_once)
    network: Network | None = holder.pop("network")
    if result["imprint"]["extrapolated"]:
        reason = "imprint ran out of its time budget, so the network is incomplete"
        for step in ("sync", "descend", "async"):
            result[step] = {"skipped": reason}
        network = None
    else:
        result["sync_first_call"] = ours_sync(network, cue, budgets.max_sync_steps)[0]
    result["memory"] = memory.finish()
    return result, network


def reference_side(
    patterns: np.ndarray, cue: np.ndarray, budgets: Budgets, meter: Meter
) -> tuple[dict[str, Any], np.ndarray]:
    """The reference's memory and imprint time; returns W.

    Imprint is traced while it is timed (a few large numpy operations, which tracemalloc does
    not slow measurably); one synchronous recall is traced for its memory. The recall
    timings are taken later, taking turns with ours (see ``measure_size``).
    """
    memory = SideMemory(meter)
    result: dict[str, Any] = {}
    with memory.phase("patterns as float64"):
        x = patterns.astype(np.float64)  # the classic code keeps float patterns
    holder: dict[str, np.ndarray] = {}

    def imprint_once() -> dict[str, Any]:
        holder.clear()  # the previous W is dropped first, so that two never coexist
        gc.collect()
        info, holder["w"] = imprint_reference(x, budgets.reference_imprint)
        return info

    with memory.phase("imprint"):
        result["imprint"] = best_of(imprint_once)
    w = holder.pop("w")
    with memory.phase("sync recall"):
        reference_sync(w, cue, budgets.sync, budgets.max_sync_steps)
    result["memory"] = memory.finish()
    return result, w


def reference_bytes(n: int, p: int) -> int:
    """Peak bytes the reference needs: W and one outer product (8 N^2 each), patterns."""
    return 16 * n * n + 9 * n * p


# -- one size -------------------------------------------------------------------------------


def speedup(reference: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any] | None:
    """reference seconds / our seconds, or None where either is missing."""
    a, b = reference.get("seconds"), ours.get("seconds")
    if a is None or b is None or b <= 0:
        return None
    return {
        "times": a / b,
        "extrapolated": bool(reference.get("extrapolated") or ours.get("extrapolated")),
    }


def recall_steps(
    n: int,
    cue: np.ndarray,
    target: np.ndarray,
    seed: int,
    budgets: Budgets,
    network: Network | None,
    w: np.ndarray | None,
) -> dict[str, Timings]:
    """The recall steps of both sides as ``Timings``, each run reporting its own outcome."""
    sweeps: dict[str, int] = {}  # converged sweep counts, for each other's extrapolation

    def ended(info: dict[str, Any], state: np.ndarray) -> dict[str, Any]:
        if info.get("extrapolated"):
            return info | {"overlap": None, "exact": None, "final_digest": None}
        return info | outcome(state, target)

    def assumed(other: str) -> int:
        return sweeps.get(other, DEFAULT_SWEEPS)

    steps: dict[str, Timings] = {}
    if network is not None:
        net = network

        def sync() -> dict[str, Any]:
            return ended(*ours_sync(net, cue, budgets.max_sync_steps))

        def blocks() -> dict[str, Any]:
            return ended(ours_descend(net, cue, order_rng(n, seed)), net.state)

        def per_spin() -> dict[str, Any]:
            info = ours_async(
                net,
                cue,
                order_rng(n, seed),
                budgets.ours_async,
                budgets.max_sweeps,
                assumed("reference"),
            )
            if info["converged"]:
                sweeps["ours"] = info["sweeps"]
            return ended(info, net.state)

        steps["ours sync"] = Timings(sync)
    if w is not None:
        matrix = w

        def reference_sync_run() -> dict[str, Any]:
            return ended(*reference_sync(matrix, cue, budgets.sync, budgets.max_sync_steps))

        def reference_async_run() -> dict[str, Any]:
            info, state = reference_async(
                matrix,
                cue,
                order_rng(n, seed),
                budgets.reference_async,
                budgets.max_sweeps,
                assumed("ours"),
            )
            if info["converged"]:
                sweeps["reference"] = info["sweeps"]
            return ended(info, state)

        steps["reference sync"] = Timings(reference_sync_run)
    if network is not None:
        steps["ours descend"] = Timings(blocks)
        steps["ours async"] = Timings(per_spin)
    if w is not None:
        steps["reference async"] = Timings(reference_async_run)
    return steps


def measure_size(
    n: int, seed: int, budgets: Budgets, limits: dict[str, int], meter: Meter
) -> dict[str, Any]:
    """Run both sides at one size and collect the figures.

    Ours first: its memory, its imprint, then the network is dropped. The reference next:
    its memory and imprint; with W built, our network is imprinted again (untimed) and the
    recall steps of both sides are timed taking turns. W is freed before the next size.
    """
    side = math.isqrt(n)
    p = round(LOAD * n)
    entry: dict[str, Any] = {"n": n, "rows": side, "cols": side, "p": p}
    patterns, cue = make_inputs(n, p, seed)
    entry["inputs_bytes"] = patterns.nbytes + cue.nbytes
    reference_fits = reference_bytes(n, p) <= limits["reference"]

    network: Network | None = None
    need = ours_bytes(n, p)
    if need > limits["ours"]:
        entry["ours"] = {
            "skipped": f"needs about {need / GIB:.1f} GiB > {limits['ours'] / GIB:.1f} GiB"
        }
    else:
        log(f"N={n}: ours, memory and imprint ...")
        entry["ours"], network = ours_side(n, p, patterns, cue, budgets, meter, seed)
        if reference_fits:
            network = None  # so that the reference's memory is its own

    w: np.ndarray | None = None
    if not reference_fits:
        need = reference_bytes(n, p)
        entry["reference"] = {
            "skipped": (
                f"does not fit: W and one outer product need {need / GIB:.1f} GiB"
                f" (8 N^2 bytes each), over the {limits['reference'] / GIB:.1f} GiB limit"
            )
        }
    else:
        log(f"N={n}: reference, memory and imprint ...")
        entry["reference"], w = reference_side(patterns, cue, budgets, meter)
        if "imprint" in entry["ours"] and not entry["ours"]["imprint"]["extrapolated"]:
            network = imprint_ours(side, side, patterns, math.inf)[1]  # untimed, as before
            ours_sync(network, cue, budgets.max_sync_steps)  # its first call, untimed

    log(f"N={n}: recall, both sides taking turns ...")
    started = time.perf_counter()
    steps = recall_steps(n, cue, patterns[TARGET], seed, budgets, network, w)
    for name, summary in take_turns(steps).items():
        who, step = name.split(" ")
        entry[who][step] = summary
    if "sync_first_call" in entry["ours"]:
        entry["ours"]["sync"]["first_call_seconds"] = entry["ours"].pop("sync_first_call")[
            "seconds"
        ]
    entry["recall_wall_seconds"] = time.perf_counter() - started
    if w is not None:
        del w, steps
        gc.collect()
        entry["reference"]["rss_after_free"] = proc_status("VmRSS")
    log(f"N={n}: done")

    ours, ref = entry["ours"], entry["reference"]
    entry["speedup"] = {
        "imprint": speedup(ref.get("imprint", {}), ours.get("imprint", {})),
        "sync": speedup(ref.get("sync", {}), ours.get("sync", {})),
        "async_descend": speedup(ref.get("async", {}), ours.get("descend", {})),
        "async_per_spin": speedup(ref.get("async", {}), ours.get("async", {})),
    }
    a = ours.get("async", {}).get("final_digest")
    b = ref.get("async", {}).get("final_digest")
    entry["same_async_final_state"] = None if a is None or b is None else a == b
    return entry


# -- the machine ----------------------------------------------------------------------------


def meminfo() -> dict[str, int]:
    """MemTotal and MemAvailable in bytes, from /proc/meminfo where there is one."""
    values: dict[str, int] = {}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("MemTotal", "MemAvailable"):
                values[key] = int(rest.split()[0]) * 1024
    except OSError:
        pass
    return values


def cpu_model() -> str:
    """The CPU's model name, from /proc/cpuinfo where there is one."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def openblas() -> ctypes.CDLL | None:
    """numpy's OpenBLAS, already loaded in this process (None if it is another BLAS)."""
    try:
        for line in Path("/proc/self/maps").read_text().splitlines():
            path = line.split()[-1]
            if "openblas" in Path(path).name.lower() and ".so" in path:
                return ctypes.CDLL(path)
    except (OSError, IndexError):
        pass
    return None


def blas_call(name_part: str, *args: int) -> Any:
    """Call the OpenBLAS function whose exported name contains ``name_part`` (a few spellings)."""
    lib = openblas()
    if lib is None:
        return None
    for name in (
        f"scipy_openblas_{name_part}64_",
        f"scipy_openblas_{name_part}",
        f"openblas_{name_part}64_",
        f"openblas_{name_part}",
    ):
        function = getattr(lib, name, None)
        if function is not None:
            if name_part == "get_config":
                function.restype = ctypes.c_char_p
                return function().decode()
            return function(*args)
    return None


def set_blas_threads(threads: int) -> bool:
    """Set OpenBLAS's thread count in this process; whether it could be done."""
    if blas_call("set_num_threads", threads) is None and openblas() is None:
        return False
    return blas_call("get_num_threads") == threads


def machine_info() -> dict[str, Any]:
    """Python, numpy, BLAS, CPU and memory of this machine."""
    blas: Any = None
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        blas = {k: blas.get(k) for k in ("name", "version", "openblas configuration")}
    except (TypeError, KeyError, AttributeError):
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "numpy": np.__version__,
        "blas": blas,
        "blas_runtime": blas_call("get_config"),
        "blas_threads": blas_call("get_num_threads"),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "memory": meminfo(),
        "load_average": load_average(),
    }


def git_info() -> dict[str, Any]:
    """The commit measured, and whether the engine had uncommitted changes (read-only git)."""
    info: dict[str, Any] = {}
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=REPO, check=True
        )
        info["commit"] = head.stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", "tui_hopfield/model"],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=True,
        )
        info["engine_modified"] = bool(status.stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        pass
    return info


def cpu_busy(seconds: float = 1.0) -> float | None:
    """The fraction of all CPUs' time spent busy over the next ``seconds`` (Linux only).

    Taken while this script itself is idle, it tells whether other work shares the machine.
    """

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return sum(fields[:8]), idle

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    if total1 <= total0:
        return None
    return round(1.0 - (idle1 - idle0) / (total1 - total0), 3)


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages, or None where the system has none."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


# -- the table ------------------------------------------------------------------------------


def fmt_seconds(seconds: float | None, extrapolated: bool = False) -> str:
    """A duration with a sensible unit; extrapolated figures get a ``~`` and a ``*``."""
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        text = f"{seconds * 1e6:.0f} us"
    elif seconds < 1:
        text = f"{seconds * 1e3:.3g} ms"
    elif seconds < 120:
        text = f"{seconds:.3g} s"
    else:
        text = f"{seconds / 60:.3g} min"
    return f"~{text}*" if extrapolated else text


def fmt_bytes(count: int | None) -> str:
    """A size in MiB or GiB."""
    if count is None:
        return "-"
    if count >= GIB:
        return f"{count / GIB:.2f} GiB"
    return f"{count / MIB:.0f} MiB"


def cell_time(
    step: dict[str, Any], count_key: str | None = None, seconds_key: str = "seconds"
) -> str:
    """A timing cell: the time, and the sweeps or steps it took in parentheses."""
    if "skipped" in step:
        return "skipped"
    if seconds_key not in step:
        return "-"
    extrapolated = bool(step.get("extrapolated")) and seconds_key == "seconds"
    text = fmt_seconds(step[seconds_key], extrapolated)
    if count_key and step.get(count_key) is not None:
        cut = "+" if step.get("converged") is False and not step.get("extrapolated") else ""
        text += f" ({step[count_key]}{cut})"
    return text


def cell_speedup(value: dict[str, Any] | None) -> str:
    """A ratio cell: reference time / our time."""
    if value is None:
        return "-"
    times = value["times"]
    if times >= 100:
        text = f"{times:,.0f}x"
    else:
        text = f"{times:.3g}x" if times >= 0.1 else f"{times:.2g}x"
    return f"~{text}*" if value["extrapolated"] else text


def cell_exact(step: dict[str, Any]) -> str:
    """Whether a recall ended exactly on the stored pattern."""
    if "exact" not in step or step["exact"] is None:
        return "-"
    if step["exact"]:
        return "yes"
    return f"no (m={step['overlap']:.3f})"


def side_cell(side: dict[str, Any], fmt: Callable[[dict[str, Any]], str]) -> str:
    """A cell for a side that may have been skipped."""
    if "skipped" in side:
        return "does not fit" if side["skipped"].startswith("does not fit") else "skipped"
    return fmt(side)


def table(entries: list[dict[str, Any]]) -> str:
    """The results as a plain-text table, one column per size, with notes."""
    label_width, width = 36, 16
    lines: list[str] = []

    def row(group: str, label: str, cells: list[str]) -> None:
        text = f"{group:<8}{label:<{label_width - 8}}" + "".join(f"{c:>{width}}" for c in cells)
        lines.append(text.rstrip())

    def per_side(name: str, fmt: Callable[[dict[str, Any]], str]) -> list[str]:
        return [side_cell(e[name], fmt) for e in entries]

    def step(name: str, key: str, count: str | None = None, seconds: str = "seconds"):
        return per_side(name, lambda s: cell_time(s[key], count, seconds))

    row("", "N", [str(e["n"]) for e in entries])
    row("", "grid", [f"{e['rows']}x{e['cols']}" for e in entries])
    row("", "patterns P", [str(e["p"]) for e in entries])
    lines.append("")
    row("imprint", "ours (imprint + learn)", step("ours", "imprint"))
    row("", "reference (np.outer loop)", step("reference", "imprint"))
    row("", "speed-up", [cell_speedup(e["speedup"]["imprint"]) for e in entries])
    lines.append("")
    row("sync", "ours batch.recall (steps)", step("ours", "sync", "steps"))
    row("", "ours batch.recall, 1st call", step("ours", "sync", None, "first_call_seconds"))
    row("", "reference sign(W @ s) (steps)", step("reference", "sync", "steps"))
    row("", "speed-up", [cell_speedup(e["speedup"]["sync"]) for e in entries])
    lines.append("")
    row("async", "ours descend (blocks)", step("ours", "descend"))
    row("", "ours Asynchronous (sweeps)", step("ours", "async", "sweeps"))
    row("", "reference Python loop (sweeps)", step("reference", "async", "sweeps"))
    row("", "speed-up, descend", [cell_speedup(e["speedup"]["async_descend"]) for e in entries])
    row(
        "",
        "speed-up, Asynchronous",
        [cell_speedup(e["speedup"]["async_per_spin"]) for e in entries],
    )
    lines.append("")
    row("exact", "ours sync", per_side("ours", lambda s: cell_exact(s["sync"])))
    row("", "ours descend", per_side("ours", lambda s: cell_exact(s["descend"])))
    row("", "ours Asynchronous", per_side("ours", lambda s: cell_exact(s["async"])))
    row("", "reference sync", per_side("reference", lambda s: cell_exact(s["sync"])))
    row("", "reference async", per_side("reference", lambda s: cell_exact(s["async"])))
    same = []
    for e in entries:
        value = e.get("same_async_final_state")
        same.append("-" if value is None else ("yes" if value else "no"))
    row("", "per-spin runs: same end state", same)
    lines.append("")

    def traced(s: dict[str, Any]) -> str:
        return fmt_bytes(s["memory"]["traced_peak"])

    def rss(s: dict[str, Any]) -> str:
        return fmt_bytes(s["memory"]["rss_high_water"])

    row("memory", "ours traced peak", per_side("ours", traced))
    row("", "ours RSS high-water", per_side("ours", rss))
    row("", "reference traced peak", per_side("reference", traced))
    row("", "reference RSS high-water", per_side("reference", rss))
    return "\n".join(lines)


def notes(entries: list[dict[str, Any]], meter: Meter) -> list[str]:
    """The notes under the table: how to read it, and every estimate's method."""
    per_side = (
        "reset for each side through /proc/self/clear_refs"
        if meter.can_reset
        else "NOT resettable here, so a later side's figure includes earlier peaks"
    )
    result = [
        "Times are wall-clock, the fastest of at least 2 runs, of up to 15 for a step under"
        " 0.5 s (the JSON keeps every run and the median; a step over 10 s or extrapolated"
        " runs once). The recall steps of both sides are timed taking turns, a block of up"
        " to 3 runs each, so that other work on the machine slows both alike; a quick step's"
        " later blocks start with one untimed run, which refills the caches the other"
        " steps emptied (the reference streams all of W through them). (n) = steps"
        " that changed something (sync) or sweeps, the last of which flips nothing (spin by"
        " spin); n+ = stopped by a cap before it was stable. Recall times count from the cue"
        " (ours: setting it, overlaps included); our imprint includes learning the"
        " landscape. '1st call' is our first batch recall after imprinting (it also builds"
        " the float32 copy of the patterns the engine keeps).",
        "Speed-up = reference time / our time: 12x means ours is 12 times faster. Async"
        " speed-ups compare the reference's spin-by-spin loop with our block descent and"
        " with our spin-by-spin Asynchronous sweeps.",
        "* extrapolated: only part of the work was timed and scaled up (method below).",
        "exact: the recall ended on the stored pattern (else m = its overlap). Same end state:"
        " the two spin-by-spin runs visit the spins in the same orders and should agree.",
        "Memory, all in this one process: traced peak = tracemalloc peak of what the side"
        " allocated (numpy reports its buffers to tracemalloc; the shared inputs and the"
        " interpreter excluded), reset_peak between phases. Ours is traced in a separate"
        " untimed pass of imprint, sync recall and descend (tracemalloc slows its Python"
        " loops several-fold); the reference's imprint is traced while timed (a few large"
        " numpy operations), and one of its sync recalls is traced. Spin-by-spin loops are"
        " untraced. RSS high-water = the process's VmHWM / ru_maxrss over the side's"
        f" imprint and memory pass, {per_side}; it includes the interpreter, numpy, the"
        " engine and the inputs. Our network is dropped while the reference is measured and"
        " imprinted again (untimed) for the recall turns.",
    ]
    for e in entries:
        for name in ("ours", "reference"):
            side = e[name]
            if "skipped" in side:
                result.append(f"N={e['n']} {name}: skipped, {side['skipped']}.")
                continue
            for key in ("imprint", "async"):
                method = side.get(key, {}).get("method")
                if method:
                    result.append(f"N={e['n']} {name} {key}*: {method}.")
            completion = side.get("imprint", {}).get("completion")
            if completion:
                result.append(f"N={e['n']} {name} imprint: {completion}.")
    return result


def target_lines(entries: list[dict[str, Any]]) -> tuple[list[str], dict[str, Any]]:
    """Each target, what was measured and whether it is met."""
    by_n = {e["n"]: e for e in entries}
    lines: list[str] = []
    verdicts: dict[str, Any] = {}

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("met" if ok else "NOT met")

    for key, label in (("imprint", "imprint"), ("sync", "synchronous recall")):
        goal = TARGETS[f"{key}_speedup_4096"]
        value = by_n.get(4096, {}).get("speedup", {}).get(key)
        ok = None if value is None else value["times"] >= goal
        verdicts[f"{key}_speedup_4096"] = {"goal": goal, "value": value, "met": ok}
        shown = cell_speedup(value)
        lines.append(
            f"{label} at N = 4096 at least {goal:g}x the reference: {shown}, {verdict(ok)}"
        )
    goal = TARGETS["peak_bytes_65536"]
    ours = by_n.get(65536, {}).get("ours", {})
    ok = None
    peak = None
    if "memory" in ours:
        peak = ours["memory"]["rss_high_water"]
        recalled = all(ours.get(k, {}).get("exact") for k in ("sync", "descend"))
        ok = peak < goal and recalled
        shown = (
            f"RSS high-water {fmt_bytes(peak)} ({peak / GB:.2f} GB), traced peak"
            f" {fmt_bytes(ours['memory']['traced_peak'])}, recall exact: {recalled}"
        )
    else:
        shown = "-"
    verdicts["peak_bytes_65536"] = {"goal": goal, "value": peak, "met": ok}
    lines.append(f"N = 65536 works with peak memory under {goal / GB:g} GB: {shown}, {verdict(ok)}")
    return lines, verdicts


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the report."""
    print(message, file=sys.stderr, flush=True)


def parse_sizes(text: str) -> tuple[int, ...]:
    """``1024,4096`` -> (1024, 4096); each size must be a square number of spins."""
    sizes = []
    for part in text.split(","):
        n = int(part)
        if n < 4 or math.isqrt(n) ** 2 != n:
            raise argparse.ArgumentTypeError(f"{n} is not a square grid's number of spins")
        sizes.append(n)
    return tuple(sizes)


def command_line() -> str:
    """How this script was started, with paths relative to the repository where they can be."""
    parts = [sys.executable, *sys.argv]
    shown = []
    for part in parts:
        try:
            shown.append(str(Path(part).absolute().relative_to(REPO)) if os.sep in part else part)
        except ValueError:
            shown.append(part)
    return shlex.join(shown)


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run every size, print the table and write the JSON."""
    parser = argparse.ArgumentParser(
        description="Time and size the tui-hopfield engine against a dense numpy reference."
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        help="comma-separated numbers of spins, each a square (default 1024,4096,16384,65536;"
        " with --quick 1024,4096)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and a quarter of the time budgets"
    )
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"where to write (default {DEFAULT_JSON})"
    )
    parser.add_argument("--seed", type=int, default=2024, help="seed of patterns, cue and orders")
    parser.add_argument(
        "--max-reference-gib",
        type=float,
        default=6.0,
        help="skip the reference where it would need more memory than this (default 6)",
    )
    parser.add_argument(
        "--max-ours-gib",
        type=float,
        default=8.0,
        help="skip the engine where it would need more memory than this (default 8)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="OpenBLAS threads for both sides (default: as numpy started, usually one per core)",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    if args.threads and not set_blas_threads(args.threads):
        log(f"could not set the BLAS threads to {args.threads}; set OPENBLAS_NUM_THREADS instead")
    sizes = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    budgets = Budgets().scaled(0.25) if args.quick else Budgets()
    available = meminfo().get("MemAvailable", 1 << 62)
    limits = {
        "reference": int(min(args.max_reference_gib * GIB, available // 2)),
        "ours": int(min(args.max_ours_gib * GIB, available // 2)),
    }
    machine = machine_info()
    command = command_line()
    busy_before = cpu_busy()
    meter = Meter()
    idle_rss = meter.high_water()
    entries = [measure_size(n, args.seed, budgets, limits, meter) for n in sizes]
    elapsed = time.perf_counter() - started
    busy_after = cpu_busy()

    title = (
        f"tui-hopfield engine vs dense numpy reference, side by side in one process:"
        f" P = round({LOAD} N) random patterns, cue = pattern {TARGET} with {NOISE:.0%} of"
        " spins flipped"
    )
    print("\n".join(textwrap.wrap(title, 100)))
    print("=" * 100)
    print(table(entries))
    print()
    for note in notes(entries, meter):
        print("\n".join(textwrap.wrap(note, 100, subsequent_indent="  ")))
    overall = (
        "Process peak RSS over the whole run (ru_maxrss, highest mark):"
        f" {fmt_bytes(meter.overall())}; idle with numpy and the engine imported:"
        f" {fmt_bytes(idle_rss)}."
    )
    print("\n".join(textwrap.wrap(overall, 100, subsequent_indent="  ")))
    print("\nTargets:")
    lines, verdicts = target_lines(entries)
    for line in lines:
        print("\n".join(textwrap.wrap("- " + line, 100, subsequent_indent="  ")))
    busy = max(x for x in (busy_before, busy_after, -1.0) if x is not None)
    if busy > 0.2:
        note = (
            f"NOTE: other work was using {busy:.0%} of the CPUs (sampled for 1 s before and"
            " after the run, while this script was idle); it competes for the cores and skews"
            " the times."
        )
        if (machine["blas_threads"] or 1) > 1:
            note += (
                f" With {machine['blas_threads']} BLAS threads, a matrix product can wait a"
                " whole scheduler time slice (tens of ms) for a core, so the short steps (sync"
                " recall at small N) may be far off on either side: check the runs in the JSON,"
                " or run again with --threads 1."
            )
        print("\n" + "\n".join(textwrap.wrap(note, 100, subsequent_indent="  ")))
    blas = machine["blas"] or {}
    about = (
        f"Machine: {machine['cpu']}, {machine['cpus_usable']} usable CPUs,"
        f" {fmt_bytes(machine['memory'].get('MemTotal'))} RAM; Python {machine['python']},"
        f" numpy {machine['numpy']} with {blas.get('name', '?')} {blas.get('version', '')}"
        f"; BLAS threads: {machine['blas_threads'] or '?'}; load average at start"
        f" {machine['load_average']}."
    )
    print("\n" + "\n".join(textwrap.wrap(about, 100, subsequent_indent="  ")))
    print(f"Command: {command}")
    print(f"Run time {fmt_seconds(elapsed)}.")

    report = {
        "benchmark": "engine",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": command,
        "run_seconds": elapsed,
        "load_average_at_end": load_average(),
        "cpu_busy_before": busy_before,
        "cpu_busy_after": busy_after,
        "machine": machine,
        "source": git_info(),
        "settings": {
            "sizes": list(sizes),
            "load": LOAD,
            "noise": NOISE,
            "target": TARGET,
            "seed": args.seed,
            "quick": args.quick,
            "threads": args.threads,
            "budgets": asdict(budgets),
            "memory_limits_bytes": limits,
        },
        "memory_method": {
            "traced_peak": "tracemalloc peak of what one side allocated, from the side's start"
            " (inputs and interpreter excluded), reset_peak between phases; ours in a separate"
            " untimed pass, the reference's imprint while timed and one sync recall;"
            " spin-by-spin loops untraced",
            "rss_high_water": "VmHWM (= ru_maxrss) of this process, reset per side through"
            " /proc/self/clear_refs" + ("" if meter.can_reset else " (reset unavailable here)"),
            "process_peak_rss": meter.overall(),
            "idle_rss": idle_rss,
        },
        "notes": notes(entries, meter),
        "targets": verdicts,
        "results": entries,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"JSON written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
