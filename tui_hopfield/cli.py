"""The ``tui-hopfield`` command: starts the app."""

from __future__ import annotations

import sys

from tui_hopfield import __version__
from tui_hopfield.model.errors import ModelError

# argparse, the model (numpy, Pillow), the config and the app are imported where they
# are first needed, not here: ``tui-hopfield --version`` imports none of them
# (tests/test_startup.py), and answers in the time Python itself starts.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from pathlib import Path

    from tui_hopfield.config import Config
    from tui_hopfield.model import Network
    from tui_hopfield.model.rules import Rule

MAX_STEM = 60
"""Names taken from image files are cut to this many characters."""

EXPERIMENTS = ("capacity", "reinforce", "chains", "basins", "rule-race", "phase")
"""Subcommands that run a headless experiment instead of the app."""

DEFAULT_SIZE = (32, 32)
"""The grid's rows and columns when neither ``--size`` nor the config says."""
MIN_SIDE = 4
"""The smallest number of rows or columns."""
MAX_SIDE = 256
"""The largest number of rows or columns."""


def parser() -> argparse.ArgumentParser:
    """The command line parser."""
    import argparse
    from pathlib import Path

    from tui_hopfield.argtypes import degree, grid_size, number, seed
    from tui_hopfield.model.dynamics import MAX_TEMPERATURE
    from tui_hopfield.model.paths import autosave_path
    from tui_hopfield.model.patterns import METHODS, THRESHOLDS, format_names
    from tui_hopfield.model.rules import MAX_BETA, MIN_BETA, RULE_NAMES
    from tui_hopfield.model.store import MAX_USE_BOOST, MODES

    parser = argparse.ArgumentParser(
        prog="tui-hopfield",
        description=(
            "Brain magnets in a terminal: a Hopfield network you can draw on. "
            "Imprint pictures, break them, and watch recall flip the magnets back."
        ),
        epilog="In a web browser: tui-hopfield serve --help."
        " Where the config, sessions and autosave live: tui-hopfield paths."
        " Experiments: tui-hopfield capacity --help, tui-hopfield reinforce --help,"
        " tui-hopfield chains --help, tui-hopfield basins --help, tui-hopfield rule-race --help,"
        " tui-hopfield phase --help."
        " In the app press ? for every key and mouse action.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--config-path",
        action="store_true",
        help="print where the config file is (or would be) and exit",
    )
    parser.add_argument(
        "--size",
        type=grid_size(MIN_SIDE, MAX_SIDE),
        default=None,
        metavar="ROWSxCOLS",
        help=f"grid size, {MIN_SIDE} to {MAX_SIDE} a side; one number is a square:"
        " 32 means 32x32 (default: the config's, else 32x32)",
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
        help="learning rule (default: the opened session's, else the config's, else hebbian)",
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
    parser.add_argument(
        "--tour",
        action="store_true",
        help="start with the guided tour open: short lessons from Hebb's magnets to"
        " Hinton's Boltzmann machine, each checked by the app (ctrl+n leaves and resumes it)",
    )
    return parser


class UsageError(ModelError):
    """A bad argument seen only after parsing (a rule the grid cannot hold): like argparse's
    own errors, it is printed with the usage and exits with status 2."""


class Start:
    """What the app starts with (a plain class: a dataclass would import ``dataclasses``
    and ``inspect`` on every start, ``--version``'s too)."""

    def __init__(
        self,
        network: Network,
        temperature: float,
        path: Path | None,
        saved: bool,
        mode: str = "async",
    ) -> None:
        self.network = network
        """The memories and the grid."""
        self.temperature = temperature
        """``--temperature``, else the opened session's, else 0."""
        self.path = path
        """The session file opened with ``--load``, where ctrl+s saves by default."""
        self.saved = saved
        """Whether every memory is already in a file (``--imprint`` adds ones that are not)."""
        self.mode = mode
        """The update mode: ``async`` or ``sync``."""


def prepare(args: argparse.Namespace) -> Start:
    """The start: a session opened, resumed or new, plus ``--imprint`` images.

    Raises ``ModelError`` (a session or picture error) naming the file and the reason.
    """
    from tui_hopfield.model import Network, load_picture
    from tui_hopfield.model.dynamics import MAX_TEMPERATURE
    from tui_hopfield.model.paths import autosave_path
    from tui_hopfield.model.patterns import picture_name
    from tui_hopfield.model.store import SessionError, load

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
    network = session.network() if session else Network(*(args.size or DEFAULT_SIZE))
    temperature = session.temperature if session else 0.0
    if args.temperature is not None:
        temperature = args.temperature
    try:
        network.rule = chosen_rule(args, network.rule)
    except ModelError as error:  # e.g. Storkey's rule on too big a grid: a bad argument
        raise UsageError(str(error)) from None
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
    from tui_hopfield.model.rules import Rule

    name = args.rule or current.name
    degree = getattr(args, "degree", current.degree)
    beta = current.beta if args.beta is None else args.beta
    return Rule(name, degree, beta)


def with_config(args: argparse.Namespace, config: Config) -> None:
    """Fill the options not given with the config's settings: the command line wins.

    The config's size and rule are for a new session only (one opened keeps its own);
    a rule the size refuses (Storkey past 8192 spins) is a problem of the config's line,
    and the default rule is used.
    """
    from tui_hopfield.model.rules import Rule

    if args.resume or args.load is not None:
        return
    if args.size is None and config.size is not None:
        args.size = config.size
    if args.rule is None and config.rule is not None:
        rows, cols = args.size or DEFAULT_SIZE
        try:
            Rule(config.rule).check_size(rows * cols)
        except ModelError as error:
            config.problem(config.line_of("rule"), f"{error}; hebbian is used")
        else:
            args.rule = config.rule


def paths_main(argv: Sequence[str]) -> int:
    """``tui-hopfield paths``: print where the config, the sessions and the autosave are."""
    import argparse

    from tui_hopfield.config import read
    from tui_hopfield.model.paths import autosave_path, config_path, data_dir, sessions_dir

    paths_parser = argparse.ArgumentParser(
        prog="tui-hopfield paths",
        description="Print where tui-hopfield keeps its config file, sessions and autosave "
        "(TUI_HOPFIELD_CONFIG_DIR and TUI_HOPFIELD_DATA move them).",
    )
    paths_parser.parse_args(argv)
    config = config_path()
    rows = [
        ("config", config, "" if config.exists() else " (not there yet: the defaults are used)"),
        ("sessions", sessions_dir(), ""),
        ("autosave", autosave_path(), ""),
        ("data", data_dir(), " (autosave, sessions, crash recovery)"),
    ]
    for name, path, note in rows:
        print(f"{name:<9}{path}{note}")
    problems = read(config, sides=(MIN_SIDE, MAX_SIDE)).problems
    for problem in problems:
        print(f"  {problem}")
    return 0


def check_app_options(app_args: list[str], prog: str) -> None:
    """Parse and check the app's options as ``main`` would, without starting the app."""
    app_parser = parser()
    app_parser.prog = prog
    try:
        prepare(app_parser.parse_args(app_args))
    except UsageError as error:
        app_parser.error(str(error))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status.

    When the reader of the output goes away (``tui-hopfield capacity | head``),
    the command stops quietly with status 1, as Unix tools do, instead of a
    traceback of ``BrokenPipeError``.
    """
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:
        import os

        # Python flushes standard output again at exit: point it at nothing first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _main(argv: list[str]) -> int:
    if argv and argv[0] == "serve":
        from tui_hopfield.serve import main as serve_main

        return serve_main(argv[1:], check_app_options)
    if argv and argv[0] == "replay":
        from tui_hopfield.replay_cli import main as replay_main

        return replay_main(argv[1:])
    if argv and argv[0] in EXPERIMENTS:
        from tui_hopfield.experiments.cli import main as experiment_main

        return experiment_main(argv)
    if argv and argv[0] == "paths":
        return paths_main(argv[1:])
    if "--version" in argv:  # as argparse's version action would, without the model
        print(f"tui-hopfield {__version__}")
        return 0
    import gc

    # Start-up makes long-lived objects only (modules, widgets, styles): the collector's
    # passes over them took about a tenth of importing the UI. The app collects again
    # once it is on screen (``HopfieldApp.on_mount``), and so does every other way out.
    gc.disable()
    try:
        return _start_app(argv)
    finally:
        gc.enable()


def _start_app(argv: list[str]) -> int:
    """Parse the app's options, read the config and the session, and run the app."""
    from tui_hopfield.config import read
    from tui_hopfield.model.paths import config_path

    app_parser = parser()
    args = app_parser.parse_args(argv)
    if args.config_path:
        print(config_path())
        return 0
    config = read(config_path(), sides=(MIN_SIDE, MAX_SIDE))
    with_config(args, config)
    try:
        start = prepare(args)
    except UsageError as error:
        app_parser.error(str(error))  # usage, status 2
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
        config=config,
        intro=config.intro,  # the first start shows what the screen is, once
        tour=args.tour,
    )
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
