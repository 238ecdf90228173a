"""Rendering benchmark: how fast the spin grid reaches the screen in a headless app.

For grids of 64x64, 128x128 and 256x256 it runs the real app headless (Textual's
``run_test``) in a terminal of a given size and measures:

- one flip: flip a spin in the model, refresh its cell, and have the compositor
  render and write the update (the grid handed to ``Screen._on_timer_update``,
  what Textual runs each frame; private API, so pinned to Textual 8.2.8); the
  median of many flips;
- a full repaint: forget every cached line and redraw the whole visible grid;
- instant recall: flips per second sustained while a recall runs at the
  "instant" speed (frames capped at 30 per second) from a broken picture,
  and the longest gap between two frames of the recall loop.

These are absolute times on this machine, not ratios: there is no reference
renderer to run beside it. A frame at 30 per second has 33 ms.

Run: ``.venv/bin/python benchmarks/render.py [--terminal 200x60] [--json FILE]``
"""

from __future__ import annotations

import argparse
import asyncio
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


async def measure(side: int, terminal: tuple[int, int], flips: int, seconds: float) -> dict:
    """Measure one grid size; return the figures."""
    app = HopfieldApp(side, side, seed=1)
    async with app.run_test(size=terminal) as pilot:
        screen = app.magnets
        grid = screen.grid
        await pilot.press("1", "2", "3", "1", "b")
        await pilot.pause()

        def frame() -> None:
            # What Textual does between a refresh and the terminal, without waiting for
            # the idle message and the frame timer: hand the grid's dirty regions to the
            # compositor, which renders the lines they cover and writes the update.
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
        repaint = []
        for _ in range(20):
            start = time.perf_counter()
            grid.refresh_all()
            frame()
            repaint.append(time.perf_counter() - start)

        await pilot.press("1", "b")
        screen.speed_index = SPEEDS.index(0)
        gaps = []
        start = last = time.perf_counter()
        screen.action_recall()
        trace_before = 0
        while screen.recalling and time.perf_counter() - start < seconds:
            await asyncio.sleep(0)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now
        elapsed = time.perf_counter() - start
        done = not screen.recalling
        flipped = len(screen._trace) - 1 - trace_before
        if screen.recalling:
            screen.action_recall()  # stop it
        await pilot.pause()
    return {
        "side": side,
        "n": side * side,
        "terminal": f"{terminal[0]}x{terminal[1]}",
        "zoom": grid.zoom,
        "fits": grid.fits,
        "one_flip_ms_median": statistics.median(one_flip) * 1000,
        "one_flip_ms_p95": sorted(one_flip)[int(0.95 * len(one_flip))] * 1000,
        "full_repaint_ms_median": statistics.median(repaint) * 1000,
        "instant_flips_per_second": flipped / elapsed if elapsed else 0.0,
        "instant_recall_seconds": elapsed,
        "instant_recall_finished": done,
        "instant_flips": flipped,
        "longest_gap_ms": max(gaps) * 1000 if gaps else 0.0,
    }


def table(rows: list[dict]) -> str:
    """The figures as a plain-text table."""
    header = (
        f"{'grid':>9} {'zoom':>4} {'1 flip ms':>9} {'p95':>6} {'repaint ms':>10}"
        f" {'flips/s':>9} {'recall s':>8} {'max gap ms':>10}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row['side']:>4}x{row['side']:<4} {row['zoom']:>4}"
            f" {row['one_flip_ms_median']:>9.2f} {row['one_flip_ms_p95']:>6.2f}"
            f" {row['full_repaint_ms_median']:>10.1f} {row['instant_flips_per_second']:>9.0f}"
            f" {row['instant_recall_seconds']:>7.1f}{'' if row['instant_recall_finished'] else '+'}"
            f" {row['longest_gap_ms']:>10.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    """Run the rendering benchmark and print (and save) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terminal", default="200x60", help="headless terminal size")
    parser.add_argument("--sides", default=",".join(map(str, SIDES)), help="grid sides")
    parser.add_argument("--flips", type=int, default=200, help="single flips timed")
    parser.add_argument("--seconds", type=float, default=30.0, help="longest instant recall")
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results/render.json"))
    args = parser.parse_args()
    width, height = (int(part) for part in args.terminal.lower().split("x"))
    rows = [
        asyncio.run(measure(int(side), (width, height), args.flips, args.seconds))
        for side in args.sides.split(",")
    ]
    print(table(rows))
    print("(recall s with + : stopped at the time limit before it converged)")
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
