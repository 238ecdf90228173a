"""The side panel's lower views: what one frame of each costs, at 32x32 and 256x256.

For each grid it stores ``load x N`` random patterns (seeded), starts an asynchronous
recall and measures, over frames of ``--flips`` flips, the work each view does per
frame (the median of ``--frames`` frames): the overlaps' sample (caught up from the
recording, or the frame's own overlaps past ``CATCH_UP_WORK``) and its lines; the
modern rule's attention for a continuous state; the field split at one magnet; and
row i of W (the connections' picture, drawn once per cursor move). No widget is
involved: the views' own numpy and text, which is what grows with N and P.

    .venv/bin/python benchmarks/side_views.py              # 32x32 and 256x256, load 0.25
    .venv/bin/python benchmarks/side_views.py --load 0.05  # a lighter load
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from engine import load_average, machine_info

from tui_hopfield.model import Network
from tui_hopfield.model.dynamics import Asynchronous
from tui_hopfield.model.inside import OverlapTrace, attention, connections, field_split
from tui_hopfield.model.landscape_view import (
    closest_pair,
    contour_grid,
    levels,
    path_points,
    plane,
    reachable,
)
from tui_hopfield.model.recording import Recording, recorded
from tui_hopfield.model.rules import Rule
from tui_hopfield.ui.side_views import (
    SHADES,
    attention_lines,
    landscape_lines,
    overlap_lines,
    why_lines,
)


def median_ms(run, repeat: int) -> float:
    """The median wall time of ``run()`` over ``repeat`` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def measure(side: int, load: float, flips: int, frames: int) -> dict[str, float]:
    """Per-frame milliseconds of each view on a side x side grid at ``load``."""
    rng = np.random.default_rng(0)
    n = side * side
    count = max(1, round(load * n))
    network = Network(side, side)
    patterns = rng.choice(np.array([-1, 1], dtype=np.int8), size=(count, n))
    network.imprint_many(patterns, [f"r{k}" for k in range(count)])
    cue = patterns[0].copy()
    cue[rng.choice(n, n // 5, replace=False)] *= -1
    network.set_state(cue)
    landscape = network.landscape
    recording = Recording(network.state, side, side, network.energy(), patterns=patterns)
    trace = OverlapTrace(network.overlaps(), network.names)
    events = recorded(Asynchronous(network, rng).events(), recording, network)
    sample_times, line_times = [], []
    for _ in range(frames):
        for _, _event in zip(range(flips), events, strict=False):
            pass
        start = time.perf_counter()
        if not trace.catch_up(recording, landscape.columns, n):
            trace.add(len(recording), network.overlaps())
        sample_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        overlap_lines(trace, "flip", 42, 10, recording.energy_at)
        line_times.append(time.perf_counter() - start)
    index = n // 2 + side // 2
    dots = network.overlaps() * n
    names = network.names
    figures = {
        "overlaps sample": 1000 * statistics.median(sample_times),
        "overlaps lines": 1000 * statistics.median(line_times),
        "why split + lines": median_ms(
            lambda: why_lines(
                field_split(landscape, network.state, dots, index),
                names,
                (side // 2, side // 2),
                "hebbian",
                42,
                10,
                "",
            ),
            frames,
        ),
        "connections row": median_ms(lambda: connections(landscape, index), max(3, frames // 4)),
    }
    pair = closest_pair(trace.samples[0])

    def contours():
        found = plane(landscape, *pair)
        return found, levels(contour_grid(found, 42, 7), len(SHADES), reachable(found, 42, 7))

    found, bands = contours()
    figures["landscape contours"] = median_ms(contours, max(3, frames // 4))  # once a pair
    figures["landscape path + lines"] = median_ms(
        lambda: landscape_lines(found, bands, path_points(trace, pair)[1], names, 42), frames
    )
    network.rule = Rule("modern", beta=40.0)
    modern = network.landscape
    values = rng.uniform(-1, 1, n).astype(np.float32)
    figures["attention (new state)"] = median_ms(
        lambda: attention_lines(attention(modern, values), names, 40.0, 42, 10),
        max(3, frames // 4),
    )
    return {"P": count, **figures}


def main() -> None:
    """Print each view's per-frame cost at 32x32 and 256x256."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load", type=float, default=0.25, help="patterns per spin")
    parser.add_argument("--flips", type=int, default=30, help="flips per frame")
    parser.add_argument("--frames", type=int, default=40, help="frames measured")
    parser.add_argument("--sides", default="32,256", help="grid sides, comma separated")
    args = parser.parse_args()
    before = load_average()
    for side in (int(text) for text in args.sides.split(",")):
        figures = measure(side, args.load, args.flips, args.frames)
        count = figures.pop("P")
        print(f"{side}x{side}, P = {count} (load {args.load:g}), {args.flips} flips a frame:")
        for name, value in figures.items():
            print(f"  {name:24s} {value:8.3f} ms")
    machine = machine_info()
    print(
        f"Machine: {machine['cpu']}, {machine['cpus_usable']} usable CPUs; numpy"
        f" {machine['numpy']}; BLAS threads {machine['blas_threads']}; load average {before}"
        f" before, {machine['load_average']} after."
    )


if __name__ == "__main__":
    main()
