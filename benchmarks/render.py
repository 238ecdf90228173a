"""Rendering benchmark: how fast the spin grid reaches the screen in a headless app.

For grids of 64x64, 128x128 and 256x256 it runs the real app headless (Textual's
``run_test``) in a terminal of each given size and measures:

- one flip: flip a spin in the model, refresh its cell, and have the compositor
  render the update (the grid handed to ``Screen._on_timer_update``, what Textual
  runs each frame; private API, so pinned to Textual 8.2.8); the median of many
  flips;
- a full repaint: every visible line forgotten (``refresh_all``, what showing a
  picture or breaking one does) and the whole visible grid rendered by the
  compositor; the median of 20;
- write: turning that full repaint's update into the escape sequences a real
  terminal would be sent (a headless app skips this step, so it is timed apart);
- instant recall from a broken picture at the "instant" speed (frames capped at
  30 per second): flips per second, the longest gap between two turns of the
  event loop (a stall of the UI), and the garbage collector's full (generation 2)
  collections meanwhile: how many and the longest.

With ``--loads`` (say ``3,9833``) it measures instead an instant recall on 256x256
(``--load-side``) holding that many random memories (the overload's cap, the most
the app allows there, is 16,384), from one of them with 20 % of its spins flipped:

- frames: each run of the screen's update timer (``Screen._on_timer_update``, the
  compositor drawing what changed), their mean, 95th percentile and longest, and
  the share of the recall's wall time they took; and the three longest, with what
  each drew (the ids of the widgets that changed, and LAYOUT for a layout);
- the recall worker's own turns (each frame's flips and the panels' updates
  before it yields), longest and mean, and the longest gap of the event loop;
- flips per second in the app, beside the flips per second of the same recall's
  events taken alone in the same process without the app drawing them (the
  generator: the workspace's recorded events), and their ratio.

These are absolute times on this machine, not ratios: there is no reference
renderer to run beside it. A frame at 30 per second has 33 ms.

Run: ``.venv/bin/python benchmarks/render.py [--terminal 200x60,310x140] [--json FILE]``
or ``.venv/bin/python benchmarks/render.py --loads 3,9833 [--seconds 15]``
(310x140 is the smallest usual size that shows a whole 256x256 grid in the
half-block view next to the side panel.)
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import textual

from tui_hopfield.model import Flip
from tui_hopfield.model.dynamics import Step
from tui_hopfield.model.network import Network
from tui_hopfield.model.noise import flip_fraction
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.magnets_screen import SPEEDS

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from engine import cpu_busy, load_average, machine_info  # noqa: E402
from flips import stream_kernel  # noqa: E402

SIDES = (64, 128, 256)
"""Grid sides measured."""
TERMINALS = "200x60,310x140"
"""Headless terminal sizes measured by default: a common one, and one that shows 256x256 whole."""


class FullCollections:
    """Times the garbage collector's generation-2 collections while it is installed."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._start = 0.0

    def __enter__(self) -> FullCollections:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses.append(time.perf_counter() - self._start)


async def measure(
    side: int, terminal: tuple[int, int], flips: int, seconds: float, freeze: bool
) -> dict:
    """Measure one grid size in one terminal size; return the figures."""
    app = HopfieldApp(side, side, seed=1)
    async with app.run_test(size=terminal) as pilot:
        screen = app.magnets
        grid = screen.grid
        await pilot.press("1", "2", "3", "1", "b")
        await pilot.pause()
        zoom, fits = grid.zoom, grid.fits
        updates: list = []
        display = app._display

        def keep_update(on_screen, update) -> None:
            updates.append(update)
            display(on_screen, update)

        app._display = keep_update

        def frame() -> None:
            # What Textual does between a refresh and the terminal, without waiting for
            # the idle message and the frame timer: hand the grid's dirty regions to the
            # compositor, which renders the lines they cover into an update.
            grid._repaint_required = False
            screen._dirty_widgets.add(grid)
            screen._on_timer_update()

        frame()
        rng = np.random.default_rng(0)
        visible_rows = min(side, grid.size.height * 2 // grid.zoom)
        visible_cols = min(side, grid.size.width // grid.zoom)
        one_flip = []
        for _ in range(flips):
            index = int(rng.integers(visible_rows)) * side + int(rng.integers(visible_cols))
            start = time.perf_counter()
            app.network.flip(index)
            grid.refresh_spins([index])
            frame()
            one_flip.append(time.perf_counter() - start)
        repaint, write = [], []
        for _ in range(20):
            start = time.perf_counter()
            grid.refresh_all()
            frame()
            repaint.append(time.perf_counter() - start)
            start = time.perf_counter()
            updates[-1].render_segments(app.console)
            write.append(time.perf_counter() - start)
        app._display = display

        await pilot.press("1", "b")
        screen.speed_index = SPEEDS.index(0)
        flipped = 0
        refresh_spins = grid.refresh_spins

        def count_flips(indices) -> None:
            nonlocal flipped
            indices = list(indices)
            flipped += len(indices)
            refresh_spins(indices)

        grid.refresh_spins = count_flips  # the recall loop repaints exactly what flipped
        if freeze:
            gc.freeze()
        gaps = []
        with FullCollections() as collections:
            start = last = time.perf_counter()
            screen.action_recall()
            while screen.recalling and time.perf_counter() - start < seconds:
                await asyncio.sleep(0)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now
            elapsed = time.perf_counter() - start
        if freeze:
            gc.unfreeze()
        done = not screen.recalling
        if screen.recalling:
            screen.action_recall()  # stop it
        await pilot.pause()
    return {
        "side": side,
        "n": side * side,
        "terminal": f"{terminal[0]}x{terminal[1]}",
        "zoom": zoom,
        "fits": fits,
        "one_flip_ms_median": statistics.median(one_flip) * 1000,
        "one_flip_ms_p95": sorted(one_flip)[int(0.95 * len(one_flip))] * 1000,
        "full_repaint_ms_median": statistics.median(repaint) * 1000,
        "full_repaint_write_ms_median": statistics.median(write) * 1000,
        "instant_flips_per_second": flipped / elapsed if elapsed else 0.0,
        "instant_recall_seconds": elapsed,
        "instant_recall_finished": done,
        "instant_flips": flipped,
        "longest_gap_ms": max(gaps) * 1000 if gaps else 0.0,
        "gc_freeze": freeze,
        "full_collections": len(collections.pauses),
        "longest_full_collection_ms": max(collections.pauses, default=0.0) * 1000,
    }


def random_network(side: int, count: int, seed: int) -> Network:
    """A ``side`` x ``side`` network of ``count`` random memories (untimed set-up), its
    grid on the first memory with 20 % of its spins flipped."""
    rng = np.random.default_rng(seed)
    network = Network(side, side)
    network.reserve(count)
    block = max(1, 2**24 // network.n)
    for first in range(0, count, block):
        last = min(first + block, count)
        patterns = rng.choice(np.array([-1, 1], dtype=np.int8), (last - first, network.n))
        network.imprint_many(patterns, [f"random {k + 1}" for k in range(first, last)])
    network.set_state(flip_fraction(network.memory(0).pattern, 0.2, rng))
    network.prepare()  # as the app's workers do before a new network is shown
    return network


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (0 without values)."""
    return sorted(values)[min(len(values) - 1, int(share * len(values)))] if values else 0.0


async def recall_under_load(
    side: int, memories: int, terminal: tuple[int, int], seconds: float
) -> dict:
    """An instant recall on ``side`` x ``side`` with ``memories`` random memories: its
    frames, the event loop's gaps, and flips per second beside the generator's alone."""
    network = random_network(side, memories, seed=5)
    cue = network.state.copy()
    app = HopfieldApp(side, side, seed=1, network=network)
    async with app.run_test(size=terminal) as pilot:
        screen = app.magnets
        await pilot.pause()
        screen.speed_index = SPEEDS.index(0)
        for _ in range(20):  # the speed's label drawn (a layout) before the recall starts
            await pilot.pause()
            if not (screen._layout_required or screen._dirty_widgets):
                break
        timer = screen._update_timer  # Textual 8.2.8: the timer that draws each frame
        draw = timer._callback
        frames: list[float] = []
        frames_cpu: list[float] = []  # this thread's CPU time: less swayed by a busy machine
        drawn: list[str] = []  # what each frame drew: the widgets that changed, and a layout

        def timed_frame() -> None:
            what = sorted({widget.id or type(widget).__name__ for widget in screen._dirty_widgets})
            if screen._layout_required:
                what.insert(0, "LAYOUT")
            start, cpu = time.perf_counter(), time.thread_time()
            draw()
            frames.append(time.perf_counter() - start)
            frames_cpu.append(time.thread_time() - cpu)
            drawn.append(" ".join(what))

        timer._callback = timed_frame
        # The recall worker's drawing work: what it hands the panels each frame.
        panel_work: list[float] = []
        for owner, name in (
            (screen.memory_list, "show_network"),
            (screen.grid, "refresh_spins"),
            (screen, "_show"),
            (screen, "_show_view"),
        ):
            original = getattr(owner, name)

            def timed(*args, original=original, **kwargs):
                start = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    panel_work.append(time.perf_counter() - start)

            setattr(owner, name, timed)
        flipped = 0
        refresh_spins = screen.grid.refresh_spins

        def count_flips(indices) -> None:
            nonlocal flipped
            indices = list(indices)
            flipped += len(indices)
            refresh_spins(indices)

        screen.grid.refresh_spins = count_flips
        gaps = []
        start = last = time.perf_counter()
        screen.action_recall()
        while screen.recalling and time.perf_counter() - start < seconds:
            await asyncio.sleep(0)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now
        elapsed = time.perf_counter() - start
        done = not screen.recalling
        if screen.recalling:
            screen.action_recall()  # stop it
        await pilot.pause()
        timer._callback = draw
        frames_during = frames[:]
        del frames_cpu[len(frames_during) :]
        longest = sorted(range(len(frames_during)), key=frames_during.__getitem__)[-3:]
        # The generator alone: the same recall's events from the same cue, in this process,
        # recorded as the app records them, but not drawn.
        workspace = screen.workspace
        workspace.network.set_state(cue)
        workspace.start_recall()
        events = workspace.recall_events(workspace.dynamics)
        alone = 0
        begin = time.perf_counter()
        limit = min(seconds, max(elapsed, 1.0))
        for event in events:
            if isinstance(event, Flip):
                alone += 1
            elif isinstance(event, Step):
                alone += len(event.changed)
            if not alone % 64 and time.perf_counter() - begin > limit:
                break
        alone_seconds = time.perf_counter() - begin
        dynamics = workspace.dynamics
        visits = dynamics.sweeps * network.n + dynamics.visited if dynamics is not None else 0
        workspace.stop_recall()
        # The floor of a visit: its row of xi^T (P bytes) read at the speed one core
        # streams them (one compiled pass over every row, in order, the fastest of 3).
        stream = stream_kernel()
        columns = workspace.network.landscape.columns
        row_seconds = min(_timed(stream, columns) for _ in range(3)) / network.n
    in_app = flipped / elapsed if elapsed else 0.0
    generator = alone / alone_seconds if alone_seconds else 0.0
    return {
        "side": side,
        "memories": memories,
        "terminal": f"{terminal[0]}x{terminal[1]}",
        "frames": len(frames_during),
        "frame_ms_mean": statistics.fmean(frames_during) * 1000 if frames_during else 0.0,
        "frame_ms_p95": percentile(frames_during, 0.95) * 1000,
        "frame_ms_max": max(frames_during, default=0.0) * 1000,
        "frames_share": sum(frames_during) / elapsed if elapsed else 0.0,
        "frame_cpu_ms_mean": statistics.fmean(frames_cpu) * 1000 if frames_cpu else 0.0,
        "frame_cpu_ms_max": max(frames_cpu, default=0.0) * 1000,
        "panel_work_ms_mean": statistics.fmean(panel_work) * 1000 if panel_work else 0.0,
        "panel_work_ms_max": max(panel_work, default=0.0) * 1000,
        "longest_gap_ms": max(gaps) * 1000 if gaps else 0.0,
        "flips_per_second": in_app,
        "generator_flips_per_second": generator,
        "alone_visits": visits,
        "visits_per_flip": visits / alone if alone else 0.0,
        "row_us": row_seconds * 1e6,
        "ceiling_flips_per_second": alone / (visits * row_seconds) if visits else 0.0,
        "ratio_to_generator": in_app / generator if generator else 0.0,
        "recall_seconds": elapsed,
        "recall_finished": done,
        "flips": flipped,
        "longest_frames": [
            {
                "ms": frames_during[k] * 1000,
                "cpu_ms": frames_cpu[k] * 1000,
                "drew": drawn[k],
                "frame": k,
            }
            for k in reversed(longest)
        ],
    }


def load_table(rows: list[dict]) -> str:
    """The figures of ``recall_under_load`` as a plain-text table."""
    header = (
        f"{'terminal':>8} {'grid':>9} {'memories':>8} {'frames':>6} {'mean ms':>7}"
        f" {'p95 ms':>6} {'max ms':>6} {'cpu ms':>6} {'cpu max':>7} {'share':>5}"
        f" {'panel ms':>8} {'max gap':>7}"
        f" {'flips/s':>8} {'alone/s':>8} {'ratio':>5}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row['terminal']:>8} {row['side']:>4}x{row['side']:<4} {row['memories']:>8,}"
            f" {row['frames']:>6} {row['frame_ms_mean']:>7.1f} {row['frame_ms_p95']:>6.1f}"
            f" {row['frame_ms_max']:>6.1f} {row['frame_cpu_ms_mean']:>6.1f}"
            f" {row['frame_cpu_ms_max']:>7.1f} {row['frames_share']:>5.0%}"
            f" {row['panel_work_ms_mean']:>8.2f} {row['longest_gap_ms']:>7.1f}"
            f" {row['flips_per_second']:>8.0f} {row['generator_flips_per_second']:>8.0f}"
            f" {row['ratio_to_generator']:>5.2f}"
        )
    return "\n".join(lines)


def table(rows: list[dict]) -> str:
    """The figures as a plain-text table."""
    header = (
        f"{'terminal':>8} {'grid':>9} {'zoom':>4} {'1 flip ms':>9} {'p95':>5}"
        f" {'repaint ms':>10} {'write ms':>8} {'flips/s':>8} {'recall s':>8}"
        f" {'max gap ms':>10} {'gc2':>3} {'gc2 ms':>6}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row['terminal']:>8} {row['side']:>4}x{row['side']:<4}"
            f" {row['zoom']:>3}{' ' if row['fits'] else '~'}"
            f" {row['one_flip_ms_median']:>9.2f} {row['one_flip_ms_p95']:>5.2f}"
            f" {row['full_repaint_ms_median']:>10.1f}"
            f" {row['full_repaint_write_ms_median']:>8.1f}"
            f" {row['instant_flips_per_second']:>8.0f}"
            f" {row['instant_recall_seconds']:>7.1f}{'' if row['instant_recall_finished'] else '+'}"
            f" {row['longest_gap_ms']:>10.1f} {row['full_collections']:>3}"
            f" {row['longest_full_collection_ms']:>6.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    """Run the rendering benchmark and print (and save) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--terminal", default=TERMINALS, help="headless terminal sizes, comma-separated"
    )
    parser.add_argument("--sides", default=",".join(map(str, SIDES)), help="grid sides")
    parser.add_argument("--flips", type=int, default=200, help="single flips timed")
    parser.add_argument("--seconds", type=float, default=30.0, help="longest instant recall")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() before the recall (moves every object alive to a generation"
        " the collector never scans)",
    )
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results/render.json"))
    parser.add_argument(
        "--loads",
        default="",
        help="instead: instant recall on --load-side with these numbers of random memories,"
        " comma-separated (say 3,9833; the overload's cap at 256x256 is 16384)",
    )
    parser.add_argument("--load-side", type=int, default=256, help="grid side for --loads")
    args = parser.parse_args()
    if args.loads:
        load_main(args)
        return
    rows = []
    for terminal in args.terminal.split(","):
        width, height = (int(part) for part in terminal.lower().split("x"))
        for side in args.sides.split(","):
            size = (width, height)
            rows.append(
                asyncio.run(measure(int(side), size, args.flips, args.seconds, args.gc_freeze))
            )
    print(table(rows))
    print("(zoom with ~ : the grid does not fit and scrolls, only the visible part is drawn;")
    print(" recall s with + : stopped at the time limit before it converged;")
    print(" gc2: full garbage collections during the recall and the longest, in ms)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "textual": textual.__version__,
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "results": rows,
    }
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.json}")


FRAME_GOAL_MS = 16
"""Issue 16: at 256x256 with the largest load, no frame over this (on an idle machine)."""
FLIPS_GOAL = 20_000
"""Issue 16: an instant recall at 256x256 applies at least this many flips a second."""


def _timed(kernel, columns: np.ndarray) -> float:
    """Seconds of one call of ``kernel(columns)``."""
    start = time.perf_counter()
    kernel(columns)
    return time.perf_counter() - start


def load_main(args: argparse.Namespace) -> None:
    """``--loads``: the instant recall under each load, with the machine and its load."""
    load_before, busy_before = load_average(), cpu_busy()
    rows = []
    for terminal in args.terminal.split(","):
        width, height = (int(part) for part in terminal.lower().split("x"))
        for memories in args.loads.split(","):
            rows.append(
                asyncio.run(
                    recall_under_load(args.load_side, int(memories), (width, height), args.seconds)
                )
            )
    machine = machine_info()
    print(load_table(rows))
    print(
        "(frames: runs of the screen's update timer during the recall, wall and CPU time;"
        " share: of the wall"
        " time; panel ms: each call handing a frame's changes to a panel (grid, memory list,"
        " status, view); alone/s: the same recall's events without the app; ratio: in the"
        " app / alone)"
    )
    print(
        f"Machine: {machine['cpu']}, {machine['cpus_usable']} usable CPUs; Python"
        f" {machine['python']}, numpy {machine['numpy']}, Textual {textual.__version__};"
        f" BLAS threads {machine['blas_threads'] or '?'}; load average {load_before} before,"
        f" {machine['load_average']} after; CPUs busy with other work before: {busy_before}."
    )
    for row in rows:
        where = f"{row['memories']:,} memories, {row['terminal']}"
        frame = row["frame_ms_max"]
        met = "met" if frame <= FRAME_GOAL_MS else "NOT met"
        print(f"goal: no frame over {FRAME_GOAL_MS} ms ({where}): longest {frame:.1f} ms, {met}")
        for longest in row["longest_frames"]:
            print(
                f"  a longest frame: {longest['ms']:.1f} ms ({longest['cpu_ms']:.1f} CPU),"
                f" frame {longest['frame'] + 1} of the recall, drew {longest['drew']}"
            )
        rate = row["flips_per_second"]
        met = "met" if rate >= FLIPS_GOAL else "NOT met"
        print(f"goal: instant recall at {FLIPS_GOAL:,} flips/s ({where}): {rate:,.0f}, {met}")
        print(
            f"  the recall alone made {row['visits_per_flip']:,.1f} visits a flip in"
            f" {row['alone_visits']:,} visits; a visit reads a row of xi^T at least"
            f" ({row['row_us']:.2f} us at this core's streaming speed), so exact asynchronous"
            f" dynamics reach at most {row['ceiling_flips_per_second']:,.0f} flips/s here"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    path = args.json.with_name(args.json.stem + "_loads.json")
    path.write_text(json.dumps({"machine": machine, "results": rows}, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
