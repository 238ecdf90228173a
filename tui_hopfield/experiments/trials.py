"""Independent trials of a sweep as seeded tasks, run here or by any ``Executor``.

A sweep's trial is a generator function ``trial(seed)`` that yields its units
of work (a trial of the capacity sweep yields one result per load) from a
``numpy.random.SeedSequence`` of its own. The seeds are spawned from the
sweep's seed (``trial_seeds``), so trial k draws the same numbers whichever
process runs it, in whatever order: the results do not depend on the jobs.
The sweep combines the trials' results in trial order.

``run_trials`` runs them in this process (``jobs=1``), in a process pool of
its own (``jobs`` > 1: ``concurrent.futures.ProcessPoolExecutor``), or hands
them to any ``concurrent.futures.Executor`` given, such as a Dask cluster's
(``connect``). Each trial runs with one BLAS thread: a sweep's products are
small, and two OpenBLAS threads that wait for each other while another
process holds a core made the default capacity sweep four times slower.

Progress and stopping are as ``progress`` describes. In this process progress
counts each unit and ``stop`` is asked before each; elsewhere a trial counts
when it returns, ``stop`` is asked while waiting, and a stopped pool's
running trials end after their current unit. Whatever finished is kept.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from tui_hopfield.experiments.progress import Progress, Stop, report, stopping
from tui_hopfield.model.errors import ModelError

T = TypeVar("T")

Trial = Callable[[np.random.SeedSequence], Iterator[Any]]
"""One trial: yields its units from its seed. Picklable (a module-level function, or a
``functools.partial`` of one with picklable arguments) to run in other processes."""

MAX_JOBS = 256
"""The most worker processes a sweep starts."""
POLL = 0.1
"""Seconds between two looks at ``stop`` while trials run elsewhere."""
BLAS_THREADS = 1
"""BLAS threads per trial."""
CONNECT_TIMEOUT = 10
"""Seconds to wait for a Dask scheduler."""


def trial_seeds(seed: int | None, count: int) -> list[np.random.SeedSequence]:
    """``count`` independent seeds spawned from ``seed`` (None: fresh entropy)."""
    return np.random.SeedSequence(seed).spawn(count)


def default_jobs() -> int:
    """The cores this process may use (``os.process_cpu_count`` where there is one)."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counter is not None:
        return max(1, counter() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_jobs(jobs: int) -> int:
    """``jobs`` if it is a usable number of worker processes, else ``ModelError``."""
    if not 1 <= jobs <= MAX_JOBS:
        raise ModelError(f"jobs are from 1 to {MAX_JOBS}, not {jobs}")
    return jobs


@contextlib.contextmanager
def blas_threads(limit: int = BLAS_THREADS) -> Iterator[None]:
    """Limit the BLAS libraries to ``limit`` threads in the ``with`` block (threadpoolctl).

    threadpoolctl is imported here, not at start-up. The limit holds for the whole process.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=limit, user_api="blas"):
        yield


@dataclass(frozen=True)
class TrialsOutcome:
    """What ``run_trials`` brings back."""

    results: list[list[Any]]
    """Per trial, in trial order, the units it finished (all of them, fewer, or none)."""
    complete: bool
    """Whether every trial finished every unit."""


class _Stopped(Exception):
    """``stop`` asked to end the trials."""


def run_trials(
    trial: Trial,
    seeds: Sequence[np.random.SeedSequence],
    units: int,
    *,
    jobs: int = 1,
    executor: Executor | None = None,
    progress: Progress | None = None,
    stop: Stop | None = None,
) -> TrialsOutcome:
    """Run ``trial`` once per seed, each yielding ``units`` units; see the module's docstring.

    ``executor``, when given, runs the trials (and is not shut down); otherwise ``jobs``
    processes do (1: this one).
    """
    check_jobs(jobs)
    if executor is None and (jobs == 1 or len(seeds) <= 1):
        return _run_here(trial, seeds, units, progress, stop)
    if executor is not None:
        return _run_on(executor, trial, seeds, units, progress, stop, None)
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads
    halt = context.Event()
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(seeds)),
        mp_context=context,
        initializer=_start_worker,
        initargs=(halt,),
    ) as pool:
        return _run_on(pool, trial, seeds, units, progress, stop, halt)


def _run_here(
    trial: Trial,
    seeds: Sequence[np.random.SeedSequence],
    units: int,
    progress: Progress | None,
    stop: Stop | None,
) -> TrialsOutcome:
    results: list[list[Any]] = [[] for _ in seeds]
    total = len(seeds) * units
    done = 0
    report(progress, done, total)
    try:
        with blas_threads():
            for index, seed in enumerate(seeds):
                steps = trial(seed)
                try:
                    for _ in range(units):
                        if stopping(stop):
                            raise _Stopped
                        results[index].append(next(steps))
                        done += 1
                        report(progress, done, total)
                finally:
                    steps.close()
    except (KeyboardInterrupt, _Stopped):
        return TrialsOutcome(results, False)
    return TrialsOutcome(results, True)


def _run_on(
    executor: Executor,
    trial: Trial,
    seeds: Sequence[np.random.SeedSequence],
    units: int,
    progress: Progress | None,
    stop: Stop | None,
    halt: Any,
) -> TrialsOutcome:
    results: list[list[Any]] = [[] for _ in seeds]
    total = len(seeds) * units
    done = 0
    report(progress, done, total)
    index_of: dict[Future, int] = {}
    try:
        for index, seed in enumerate(seeds):
            index_of[executor.submit(run_trial, trial, seed)] = index
        pending = set(index_of)
        while pending:
            if stopping(stop):
                raise _Stopped
            finished, pending = wait(pending, timeout=POLL, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=index_of.__getitem__):
                results[index_of[future]] = future.result()
                done += units
                report(progress, done, total)
    except (KeyboardInterrupt, _Stopped):
        _wind_down(index_of, results, halt)
        return TrialsOutcome(results, False)
    return TrialsOutcome(results, True)


def _wind_down(index_of: dict[Future, int], results: list[list[Any]], halt: Any) -> None:
    """Cancel the trials not started; with ``halt`` (our pool), keep what running ones did."""
    running = [future for future in index_of if not future.done() and not future.cancel()]
    if halt is None:
        return  # another executor's running trials cannot be told to stop
    halt.set()
    with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl+C: do not wait for them
        for future in wait(running).done:
            with contextlib.suppress(Exception):
                results[index_of[future]] = future.result()


_halt: Any = None
"""In a worker of our own pool: the event set when the sweep stops."""


def _start_worker(halt: Any) -> None:
    """Set up a worker of our pool: Ctrl+C is the parent's to handle; note ``halt``."""
    global _halt
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _halt = halt


def run_trial(trial: Trial, seed: np.random.SeedSequence) -> list[Any]:
    """Run one trial to its end (or, in our pool, until the sweep stops): its units."""
    units: list[Any] = []
    steps = trial(seed)
    with blas_threads():
        try:
            while _halt is None or not _halt.is_set():  # a trial begun after the stop: none
                try:
                    units.append(next(steps))
                except StopIteration:
                    break
        finally:
            steps.close()
    return units


def connect(address: str) -> tuple[Executor, Callable[[], None]]:
    """An ``Executor`` on the Dask cluster at ``address``, and the function that closes it.

    Needs the ``distributed`` package (``pip install "tui-hopfield[dask]"``), on the
    cluster's workers too, with tui-hopfield. Raises ``ModelError`` saying what is wrong.
    """
    try:
        from distributed import Client
    except ImportError:
        raise ModelError(
            "--executor needs Dask's distributed package: pip install 'tui-hopfield[dask]'"
        ) from None
    problem = ""
    try:
        client = Client(address, timeout=f"{CONNECT_TIMEOUT}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        problem = str(error)
    if problem:
        # The half-made client closes itself when collected: now, while its loop runs,
        # rather than at exit, where it would wait and print a traceback.
        gc.collect()
        raise ModelError(f"cannot reach a Dask scheduler at {address!r}: {problem}")
    return client.get_executor(), client.close
