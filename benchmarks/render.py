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

These are absolute times on this machine, not ratios: there is no reference
renderer to run beside it. A frame at 30 per second has 33 ms.

Run: ``.venv/bin/python benchmarks/render.py [--terminal 200x60,310x140] [--json FILE]``
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
import time
from pathlib import Path

import numpy as np
import textual

from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.magnets_screen import SPEEDS

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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
