"""The ``tui-hopfield`` command: starts the app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tui_hopfield import __version__
from tui_hopfield.argtypes import degree, grid_size, number, seed
from tui_hopfield.model import ModelError, Network, load_picture
from tui_hopfield.model.dynamics import MAX_TEMPERATURE
from tui_hopfield.model.paths import autosave_path
from tui_hopfield.model.patterns import METHODS, THRESHOLDS, format_names, picture_name
from tui_hopfield.model.rules import MAX_BETA, MIN_BETA, RULE_NAMES, Rule
from tui_hopfield.model.store import MAX_USE_BOOST, MODES, SessionError, load

MAX_STEM = 60
"""Names taken from image files are cut to this many characters."""

EXPERIMENTS = ("capacity", "reinforce")
"""Subcommands that run a headless experiment instead of the app."""

MIN_SIDE = 4
"""The smallest number of rows or columns."""
MAX_SIDE = 256
"""The largest number of rows or columns."""


def parser() -> argparse.ArgumentParser:
    """The command line parser."""
    parser = argparse.ArgumentParser(
        prog="tui-hopfield",
        description=(
            "Brain magnets in a terminal: a Hopfield network you can draw on. "
            "Imprint pictures, break them, and watch recall flip the magnets back."
        ),
        epilog="In a web browser: tui-hopfield serve --help."
        " Experiments: tui-hopfield capacity --help, tui-hopfield reinforce --help."
        " In the app press ? for every key and mouse action.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--size",
        type=grid_size(MIN_SIDE, MAX_SIDE),
        default=(32, 32),
        metavar="ROWSxCOLS",
        help=f"grid size, {MIN_SIDE} to {MAX_SIDE} a side (default: 32x32)",
    )
    parser.add_argument(
        "--seed",
        type=seed,
        default=None,
        metavar="N",
        help="seed for breaking, random grids and the recall order (default: random)",
    )
    parser.add_argument(
        "--temperature",
        type=number(float, 0.0, MAX_TEMPERATURE, "the temperature"),
        default=None,
        metavar="T",
        help=f"temperature of recall at start, 0 to {MAX_TEMPERATURE:g}"
        " (default: the opened session's, else 0)",
    )
    parser.add_argument(
        "--rule",
        choices=RULE_NAMES,
        default=None,
        help="learning rule (default: the opened session's, else hebbian)",
    )
    parser.add_argument(
        "--degree",
        type=degree,
        default=argparse.SUPPRESS,
        metavar="N|exp",
        help="dense rule: F(x) = x^N for N from 2 to 10, or exp (default: 3)",
    )
    parser.add_argument(
        "--beta",
        type=number(float, MIN_BETA, MAX_BETA, "beta"),
        default=None,
        metavar="B",
        help=f"modern rule: inverse temperature on overlaps, {MIN_BETA:g} to {MAX_BETA:g}"
        " (default: 40)",
    )
    parser.add_argument(
        "--mode",
        choices=MODES,
        default=None,
        help="update mode: async (one spin at a time) or sync (the whole grid at once)",
    )
    parser.add_argument(
        "--decay",
        type=number(float, 0.0, 1.0, "the decay", open_low=True),
        default=None,
        metavar="L",
        help="multiply every strength by L at each new imprint: old memories fade (default: 1)",
    )
    parser.add_argument(
        "--learn-from-use",
        type=number(float, 0.0, MAX_USE_BOOST, "the strength gained"),
        default=None,
        metavar="C",
        help="strength a memory gains each time a recall ends on it (default: 0)",
    )
    opening = parser.add_mutually_exclusive_group()
    opening.add_argument(
        "--load", type=Path, metavar="FILE", help="open a saved session (.hopfield file)"
    )
    opening.add_argument(
        "--resume",
        action="store_true",
        help=f"open the session autosaved when the app last quit ({autosave_path()})",
    )
    parser.add_argument(
        "--imprint",
        type=Path,
        nargs="+",
        default=[],
        metavar="FILE",
        help=f"imprint these images ({format_names()}) at start, named by file",
    )
    parser.add_argument(
        "--threshold",
        choices=METHODS,
        default="fixed",
        help="how --imprint turns gray into north and south: "
        + "; ".join(f"{name}: {text}" for name, text in THRESHOLDS)
        + " (default: fixed)",
    )
    parser.add_argument(
        "--no-autosave",
        dest="autosave",
        action="store_false",
        help="do not save the session to the data folder on quit",
    )
    return parser


@dataclass
class Start:
    """What the app starts with."""

    network: Network
    """The memories and the grid."""
    temperature: float
    """``--temperature``, else the opened session's, else 0."""
    path: Path | None
    """The session file opened with ``--load``, where ctrl+s saves by default."""
    saved: bool
    """Whether every memory is already in a file (``--imprint`` adds ones that are not)."""
    mode: str = "async"
    """The update mode: ``async`` or ``sync``."""


def prepare(args: argparse.Namespace) -> Start:
    """The start: a session opened, resumed or new, plus ``--imprint`` images.

    Raises ``ModelError`` (a session or picture error) naming the file and the reason.
    """
    path = None
    if args.resume:
        resumed = autosave_path()
        if not resumed.exists():
            raise SessionError(f"nothing to resume: no autosaved session at {resumed}")
        session = load(resumed)
    elif args.load is not None:
        session = load(args.load)
        path = args.load
    else:
        session = None
    network = session.network() if session else Network(*args.size)
    temperature = session.temperature if session else 0.0
    if args.temperature is not None:
        temperature = args.temperature
    network.rule = chosen_rule(args, network.rule)
    if args.decay is not None:
        network.decay = args.decay
    if args.learn_from_use is not None:
        network.use_boost = args.learn_from_use
    mode = args.mode or (session.mode if session else "async")
    for image in args.imprint:
        spins = load_picture(image, network.rows, network.cols, method=args.threshold)
        network.set_state(spins)
        network.imprint(spins, network.unique_name(picture_name(image, MAX_STEM)))
    return Start(network, min(temperature, MAX_TEMPERATURE), path, not args.imprint, mode)


def chosen_rule(args: argparse.Namespace, current: Rule) -> Rule:
    """The rule the options ask for, on top of ``current`` (the opened session's)."""
    name = args.rule or current.name
    degree = getattr(args, "degree", current.degree)
    beta = current.beta if args.beta is None else args.beta
    return Rule(name, degree, beta)


def check_app_options(app_args: list[str], prog: str) -> None:
    """Parse and check the app's options as ``main`` would, without starting the app."""
    app_parser = parser()
    app_parser.prog = prog
    prepare(app_parser.parse_args(app_args))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "serve":
        from tui_hopfield.serve import main as serve_main

        return serve_main(argv[1:], check_app_options)
    if argv and argv[0] == "replay":
        from tui_hopfield.replay_cli import main as replay_main

        return replay_main(argv[1:])
    if argv and argv[0] in EXPERIMENTS:
        from tui_hopfield.experiments.cli import main as experiment_main

        return experiment_main(argv)
    args = parser().parse_args(argv)
    try:
        start = prepare(args)
    except ModelError as error:
        print(f"tui-hopfield: {error}", file=sys.stderr)
        return 1
    from tui_hopfield.ui.app import HopfieldApp

    app = HopfieldApp(
        network=start.network,
        seed=args.seed,
        temperature=start.temperature,
        autosave=args.autosave,
        saved=start.saved,
        session_path=start.path,
        mode=start.mode,
        offer_recovery=True,  # a session a crash saved is offered at start
    )
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
