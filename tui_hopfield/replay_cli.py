"""``tui-hopfield replay``: recall a saved session's grid headless and write the recording.

The session's grid (broken first with ``--break``, if asked) is recalled under
its own rule, update mode and temperature, every flip recorded, and the
recording written as an animated GIF (``--gif``), the path as data
(``--csv``, ``--json``) and/or an asciicast of the app's screen replaying it
(``--cast``: the app runs headless, ``ui.headless_cast``). Bad arguments exit
with the usage and status 2; a session that cannot be opened or a file that
cannot be written with one line and status 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tui_hopfield.argtypes import grid_size, number, seed
from tui_hopfield.model.asciicast import checked_path
from tui_hopfield.model.changes import DEFAULT_SPEED, SPEEDS, plural
from tui_hopfield.model.dynamics import SweepDone
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.noise import BREAKS
from tui_hopfield.model.recording import Recording
from tui_hopfield.model.replay_export import (
    FPS,
    MAX_CELL,
    MAX_FRAMES,
    write_csv,
    write_gif,
    write_json,
)
from tui_hopfield.model.store import MODES, load
from tui_hopfield.model.workspace import Workspace

MAX_SWEEPS = 50
"""A hot recall (T > 0) never settles: it is recorded for this many sweeps by default."""
CAST_SIZE = (120, 40)
"""The terminal of ``--cast`` by default: columns and lines."""
MIN_CAST_SIZE = (60, 16)
"""The smallest terminal the app's screen works in (``magnets_screen.MIN_WIDTH``...)."""


def parser() -> argparse.ArgumentParser:
    """The ``replay`` subcommand's parser."""
    parser = argparse.ArgumentParser(
        prog="tui-hopfield replay",
        description=(
            "Recall a saved session's grid under its rule, record every flip, and write"
            " the recording as an animated GIF and/or the path as CSV or JSON."
        ),
        epilog="Example: tui-hopfield replay faces.hopfield --break scramble --gif recall.gif",
    )
    parser.add_argument("session", type=Path, metavar="SESSION", help="a saved .hopfield file")
    parser.add_argument("--gif", type=Path, metavar="FILE", help="write an animated GIF")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="write the path as CSV")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the path as JSON")
    parser.add_argument(
        "--cast",
        type=Path,
        metavar="FILE",
        help="write an asciicast (.cast) of the app's screen replaying the recall",
    )
    parser.add_argument(
        "--cast-size",
        type=grid_size(MIN_CAST_SIZE[1], 1000, "columns and lines"),
        default=CAST_SIZE,
        metavar="COLSxLINES",
        help=f"the terminal of the asciicast (default: {CAST_SIZE[0]}x{CAST_SIZE[1]})",
    )
    parser.add_argument(
        "--speed",
        type=int,
        choices=SPEEDS,
        default=SPEEDS[DEFAULT_SPEED],
        metavar="N",
        help=(
            "the asciicast's pace: flips (steps) a second, one of"
            f" {', '.join(map(str, SPEEDS))} (0: instant; default: {SPEEDS[DEFAULT_SPEED]})"
        ),
    )
    parser.add_argument(
        "--break",
        dest="how",
        choices=sorted(BREAKS),
        default=None,
        help="break the grid this way before recalling (default: recall the grid as saved)",
    )
    parser.add_argument(
        "--mode", choices=MODES, default=None, help="update mode (default: the session's)"
    )
    parser.add_argument(
        "--seed", type=seed, default=0, metavar="N", help="seed of the break and the order"
    )
    parser.add_argument(
        "--cell",
        type=number(int, 1, MAX_CELL, "the cell size"),
        default=None,
        metavar="PX",
        help="pixels a magnet in the GIF (default: the grid about 512 pixels)",
    )
    parser.add_argument(
        "--fps",
        type=number(float, 0.5, 50.0, "the frame rate"),
        default=FPS,
        metavar="F",
        help=f"GIF frames a second (default: {FPS})",
    )
    parser.add_argument(
        "--frames",
        type=number(int, 2, 1000, "the frame cap"),
        default=MAX_FRAMES,
        metavar="N",
        help=f"at most this many GIF frames: a long recall is sampled (default: {MAX_FRAMES})",
    )
    parser.add_argument(
        "--max-sweeps",
        type=number(int, 1, 10_000, "the sweeps"),
        default=MAX_SWEEPS,
        metavar="N",
        help=f"stop a recall that has not settled after N sweeps (default: {MAX_SWEEPS})",
    )
    return parser


def record(workspace: Workspace, how: str | None = None, max_sweeps: int = MAX_SWEEPS) -> Recording:
    """Break the grid (``how``), recall it to its end (or ``max_sweeps``); the recording."""
    if how is not None:
        workspace.break_grid(how)
    change = workspace.start_recall()
    dynamics = workspace.dynamics
    if dynamics is None:
        raise ModelError(change.message or "nothing to recall")
    finished = True
    for event in workspace.recall_events(dynamics):
        if isinstance(event, SweepDone) and event.sweep >= max_sweeps:
            finished = False
            break
    if finished:
        workspace.finish_recall(dynamics)
    else:
        workspace.stopped()
    return workspace.recordings[-1]


def main(argv: Sequence[str]) -> int:
    """Run ``tui-hopfield replay``; return the exit status."""
    arguments = parser()
    args = arguments.parse_args(list(argv))
    if all(path is None for path in (args.gif, args.csv, args.json, args.cast)):
        arguments.error("say what to write: --gif FILE, --csv FILE, --json FILE and/or --cast FILE")
    if args.cast_size[0] < MIN_CAST_SIZE[0]:
        arguments.error(f"--cast-size: the app needs at least {MIN_CAST_SIZE[0]} columns")
    try:
        if args.cast is not None:
            checked_path(args.cast)  # a bad name is said before the recall, not after
        session = load(args.session)
        network = session.network()
        workspace = Workspace(
            network,
            np.random.default_rng(args.seed),
            temperature=session.temperature,
            mode=args.mode or session.mode,
        )
        recording = record(workspace, args.how, args.max_sweeps)
        if recording.unit == "flip":
            how = f"{plural(recording.flips, 'flip')}, {plural(len(recording.sweeps), 'sweep')}"
        else:
            how = f"{plural(recording.flips, 'flip')}, {plural(len(recording), 'step')}"
        print(f"{recording.state or 'stopped'}: {how}")
        if not recording.flips:
            print("Nothing flipped: the grid was settled. Try --break scramble.")
        for path, write in ((args.gif, None), (args.csv, write_csv), (args.json, write_json)):
            if path is None:
                continue
            if write is None:
                written = write_gif(
                    recording, path, cell=args.cell, fps=args.fps, max_frames=args.frames
                )
            else:
                written = write(recording, path)
            print(f"wrote {written}")
        if args.cast is not None:
            from tui_hopfield.ui.headless_cast import write_cast_headless  # Textual: only here

            written = write_cast_headless(
                workspace.network,
                recording,
                args.cast,
                size=args.cast_size,
                speed=args.speed,
                temperature=workspace.temperature,
                mode=workspace.mode,
            )
            print(f"wrote {written}")
    except ModelError as error:
        print(f"tui-hopfield replay: {error}", file=sys.stderr)
        return 1
    return 0
