"""The engine at N = 65536 (256x256): products against the memory's bandwidth, side by side.

Run it from the repository root::

    .venv/bin/python benchmarks/large.py                  # P = 3277 (alpha 0.05)
    .venv/bin/python benchmarks/large.py --patterns 9830  # alpha 0.15, past capacity
    .venv/bin/python benchmarks/large.py --json /tmp/large.json

It stores P random +-1 patterns (seeded) on a 256x256 grid and recalls pattern 0 from a
cue with 10 % of its spins flipped. Every figure is a ratio against a reference timed in the
same process, taking turns, so that other work on the machine slows both alike:

- **bandwidth**: the reference is one pass that reads the int8 pattern store (P x N bytes)
  and nothing else (``np.max`` of its bytes, which streams at the memory's speed); a product
  of every pattern with a state cannot read less. A synchronous recall is compared with
  that pass times the number of whole-grid products it made (counted, not assumed);
- **sync recall**: ``batch.recall(landscape, cue)``;
- **descend**: ``descent.descend`` (asynchronous, T = 0, headless), compared with sync;
- **imprint**: ``Network.imprint_many`` of the P patterns plus learning the landscape
  (Hebb's), which lays out the column store; the compiled kernels (numba) it and the
  products use are loaded first, on a small network, and timed on their own (once a
  process: importing numba and reading the kernels from its cache);
- **fresh memory**: allocating and filling 2 P N bytes once (imprint writes its rows and
  its columns into that much fresh memory: first touches cost page faults), after all
  else, so that it neither lends imprint recycled pages nor counts in the peak RSS; both
  as numpy allocates (huge pages, a fault a page) and as the store does
  (``pattern_store.fresh_bytes``: P N bytes in small pages and P N in huge ones, each
  faulted in with one call, ``prefault``).
  On a virtual machine whose host backs memory as the guest first touches it, how much
  of that is fresh to the host too varies from run to run;
- **peak RSS**: the process's resident high-water mark (``ru_maxrss``) after the rest.

Goals (issue 16): sync within 3x of the bandwidth bound for the products it makes, descend
within 3x of sync, imprint of 3,277 patterns under 1 s, peak RSS under 1.5 GiB.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from engine import cpu_busy, machine_info  # noqa: E402

from tui_hopfield.model.batch import recall  # noqa: E402
from tui_hopfield.model.blas import blas_threads  # noqa: E402
from tui_hopfield.model.descent import descend  # noqa: E402
from tui_hopfield.model.network import Network  # noqa: E402
from tui_hopfield.model.pattern_store import fresh_bytes, prefault  # noqa: E402
from tui_hopfield.model.rules import Linear  # noqa: E402

SIDE = 256
N = SIDE * SIDE
GIB = 2**30


class ProductCounter:
    """Counts the whole-grid products a Linear landscape makes (wraps ``flip_energies_from``)."""

    def __init__(self) -> None:
        self.count = 0
        self._original = Linear.flip_energies_from

    def __enter__(self) -> ProductCounter:
        counter, original = self, self._original

        def counted(landscape, state, a, k, index=None):  # type: ignore[no-untyped-def]
            if index is None:
                counter.count += 1
            return original(landscape, state, a, k, index)

        Linear.flip_energies_from = counted  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        Linear.flip_energies_from = self._original  # type: ignore[method-assign]


def best(run, repeats: int) -> float:  # type: ignore[no-untyped-def]
    """The fastest of ``repeats`` runs of ``run()``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def met(ok: bool) -> str:
    """A goal's verdict as the other benchmarks print it."""
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--patterns", type=int, default=3277)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    p = args.patterns
    print(f"machine: {json.dumps(machine_info())}", flush=True)
    print(f"BLAS threads: {blas_threads()} (one inside the blocked products)", flush=True)
    print(f"cpu busy before: {cpu_busy()}", flush=True)
    rng = np.random.default_rng(args.seed)
    patterns = np.empty((p, N), dtype=np.int8)
    for start in range(0, p, 256):  # a block at a time: no P x N float temporary
        block = patterns[start : start + 256]
        block[...] = np.where(rng.random(block.shape, dtype=np.float32) < 0.5, 1, -1)
    cue = patterns[0].copy()
    cue[rng.choice(N, N // 10, replace=False)] *= -1
    names = [f"m{k}" for k in range(p)]

    # The compiled kernels (numba) load once a process, on first use: timed on their own,
    # on a small network, so that imprint's row is the work that grows with N P.
    start = time.perf_counter()
    from tui_hopfield.model import compiled

    numba_import = time.perf_counter() - start
    small = np.ascontiguousarray(patterns[:9, :64])
    compiled.patterns_times(small, np.ones(9, dtype=np.float32), np.empty(64, dtype=np.float32))
    compiled.patterns_dot(small, small[0], np.empty(9, dtype=np.int64))
    compiled.all_spins(small)
    compiled.transpose_into(small, np.empty((64, 16), dtype=np.int8), 0, 9)
    kernels = time.perf_counter() - start

    network = Network(SIDE, SIDE)
    start = time.perf_counter()
    network.imprint_many(patterns, names)
    landscape = network.landscape
    learn = time.perf_counter() - start
    start = time.perf_counter()
    landscape.columns  # noqa: B018  (lays out xi^T)
    columns = time.perf_counter() - start
    imprint = learn + columns

    store = landscape.patterns.view(np.uint8)

    def stream() -> None:
        store.max()

    results: dict[str, float] = {}
    with ProductCounter() as counter:
        state = recall(landscape, cue[None, :]).states[0]
        products = counter.count
    exact = bool(np.array_equal(state, patterns[0]))
    turns = {"bandwidth": stream, "sync": lambda: recall(landscape, cue[None, :])}

    def run_descend() -> None:
        network.set_state(cue)
        descend(network, np.random.default_rng(0))

    turns["descend"] = run_descend
    times: dict[str, list[float]] = {name: [] for name in turns}
    for _ in range(args.repeats):
        for name, run in turns.items():
            times[name].append(best(run, 1))
    results = {name: min(values) for name, values in times.items()}
    network.set_state(cue)
    flips = descend(network, np.random.default_rng(0))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    # Imprint's floor: the bytes it must write into fresh memory (its rows and its
    # columns, 2 P N), allocated and filled once, after the peak RSS is read.
    start = time.perf_counter()
    for huge in (False, True):  # the rows in small pages, the columns in huge ones
        fresh = fresh_bytes((p, N), huge=huge)
        prefault(fresh, 0, fresh.nbytes)
        fresh.fill(1)
        del fresh
    touch = time.perf_counter() - start
    start = time.perf_counter()
    fresh = np.empty((2, p, N), dtype=np.int8)
    fresh.fill(1)
    touch_numpy = time.perf_counter() - start
    del fresh
    bound = results["bandwidth"] * max(1, products)
    rows = [
        ("stream the int8 store once", results["bandwidth"], ""),
        (
            f"sync recall ({products} whole products, exact={exact})",
            results["sync"],
            f"{results['sync'] / bound:.2f}x the bound"
            f" (goal <= 3x: {met(results['sync'] <= 3 * bound)})",
        ),
        (
            f"descend ({flips} flips)",
            results["descend"],
            f"{results['descend'] / results['sync']:.2f}x sync"
            f" (goal <= 3x: {met(results['descend'] <= 3 * results['sync'])})",
        ),
        (f"imprint {p} + learn", learn, ""),
        ("lay out columns", columns, ""),
        ("imprint total", imprint, f"goal < 1 s: {met(imprint < 1)}" if p == 3277 else ""),
        (
            "fill 2 P N fresh bytes as the store does",
            touch,
            f"imprint is {imprint / touch:.2f}x this",
        ),
        ("fill 2 P N fresh bytes as numpy allocates", touch_numpy, ""),
        (
            "load the compiled kernels (once a process)",
            kernels,
            f"numba import {numba_import:.2f} s",
        ),
    ]
    print(f"\nN = {N}, P = {p}, store {store.nbytes / 2**20:.0f} MiB int8")
    for label, seconds, note in rows:
        print(f"  {label:<44} {seconds * 1e3:9.1f} ms   {note}")
    print(f"  {'peak RSS':<44} {rss / GIB:9.2f} GiB  (goal < 1.5 GiB: {met(rss < 1.5 * GIB)})")
    print(f"cpu busy after: {cpu_busy()}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "n": N,
                    "patterns": p,
                    "products": products,
                    "exact": exact,
                    "seconds": results,
                    "runs": times,
                    "imprint": {"learn": learn, "columns": columns},
                    "compiled": {"import": numba_import, "first_use": kernels},
                    "fresh_fill": touch,
                    "fresh_fill_numpy": touch_numpy,
                    "peak_rss": rss,
                    "machine": machine_info(),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
