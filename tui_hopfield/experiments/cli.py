"""``tui-hopfield capacity``, ``reinforce`` and ``chains``: the experiments in a terminal.

Each prints a table and character plots to standard output, a progress
report to standard error (a bar on a terminal, a few lines otherwise), and
writes ``--csv`` / ``--json`` files atomically. Ctrl+C stops the run and
prints what was measured (exit status 130). Bad arguments exit with status 2
and the usage (a rule the size cannot hold, a ``--csv`` or ``--json`` in a folder
that does not exist, too: no folder is made); scene folders or files that cannot
be used, with one line and status 1.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import TypeVar

from tui_hopfield.argtypes import (
    degree,
    from_model,
    grid_size,
    number,
    output_file,
    seed,
    spin_count,
)
from tui_hopfield.experiments.capacity import (
    DEFAULT_ALPHAS,
    CapacityResult,
    CapacitySettings,
    parse_alphas,
    run_capacity,
)
from tui_hopfield.experiments.chains import (
    DEFAULT_ALPHAS as CHAIN_ALPHAS,
)
from tui_hopfield.experiments.chains import (
    DEFAULT_LAMBDAS,
    MAX_ALPHA,
    ChainResult,
    ChainSettings,
    parse_values,
    run_chains,
)
from tui_hopfield.experiments.charts import (
    capacity_chart,
    chain_chart,
    energy_chart,
    similarity_chart,
)
from tui_hopfield.experiments.plots import beside
from tui_hopfield.experiments.progress import TerminalProgress
from tui_hopfield.experiments.reinforce import ReinforceResult, ReinforceSettings, run_reinforce
from tui_hopfield.experiments.scenes import builtin_scenes, load_scenes
from tui_hopfield.experiments.tables import (
    CAPACITY_NOTE,
    CHAIN_NOTE,
    capacity_csv,
    capacity_table,
    chain_csv,
    chain_table,
    format_table,
    json_text,
    reinforce_csv,
    reinforce_table,
    write_text,
)
from tui_hopfield.experiments.trials import MAX_JOBS, connect, default_jobs
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.links import MAX_LAMBDA
from tui_hopfield.model.rules import MAX_BETA, MIN_BETA, RULE_NAMES, Rule

INTERRUPTED = 130
"""Exit status after Ctrl+C (128 + SIGINT), once the partial results are out."""
MAX_PLOT_WIDTH = 100
"""Plots never get wider than this, however wide the terminal."""

R = TypeVar("R")


# -- argument types ---------------------------------------------------------------


alphas = from_model(parse_alphas)
"""``--alphas``: ``START:STOP:STEP`` (STOP included) or a list ``0.05,0.1,0.2``."""
chain_alphas = from_model(lambda text: parse_values(text, "loads", 0.0, MAX_ALPHA))
"""``chains --alphas``: loads, as ``--alphas``."""
lambdas = from_model(lambda text: parse_values(text, "lambdas", 0.0, MAX_LAMBDA))
"""``chains --lambdas``: link strengths, ``START:STOP:STEP`` or a list."""


# -- the parser -------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    """The parser of both experiments (a subcommand each)."""
    main = argparse.ArgumentParser(prog="tui-hopfield", description="Headless experiments.")
    commands = main.add_subparsers(dest="command", required=True)
    capacity = commands.add_parser(
        "capacity",
        help="sweep the load alpha = P/N and measure recall",
        description=(
            "Store P random patterns of N spins for each load alpha = P/N, recall from each"
            " pattern and from a cue with a fraction flipped (synchronous, T = 0), and"
            " report the mean final overlap and the fraction recalled exactly."
        ),
    )
    _rule_options(capacity)
    capacity.add_argument(
        "--size",
        type=spin_count(16, 4096),
        default=1000,
        metavar="N",
        help="spins N, or ROWSxCOLS: 32 means N = 32 spins, 32x32 N = 1024 (default 1000)",
    )
    capacity.add_argument(
        "--alphas",
        type=alphas,
        default=DEFAULT_ALPHAS,
        metavar="SPEC",
        help="loads: START:STOP:STEP or a list a,b,c (default 0.02:0.30:0.02)",
    )
    capacity.add_argument(
        "--trials", type=number(int, 1, 1000, "trials"), default=10, help="per load (default 10)"
    )
    capacity.add_argument(
        "--flip",
        type=number(float, 0, 0.5, "the fraction flipped"),
        default=0.1,
        metavar="F",
        help="fraction of a cue's spins flipped (default 0.1)",
    )
    capacity.add_argument(
        "--max-steps",
        type=number(int, 1, 1000, "steps"),
        default=50,
        help="synchronous steps per recall at most (default 50)",
    )
    _common_options(capacity)
    _scale_options(capacity)
    capacity.set_defaults(parser=capacity)  # its errors show its own usage

    reinforce = commands.add_parser(
        "reinforce",
        help='the "letting go" study: old and new companions in remembered places',
        description=(
            "Store every scene's place beside its old companion, then keep living a random"
            " scene with its new companion (imprint, then reinforce) and probe every place:"
            " when does recall bring back the new companion instead of the old?"
        ),
    )
    _rule_options(reinforce)
    reinforce.add_argument(
        "--scenes",
        type=Path,
        metavar="FOLDER",
        help="images named <scene>_bg, <scene>_old, <scene>_new (default: the built-in scenes)",
    )
    reinforce.add_argument(
        "--size",
        type=grid_size(4, 128, "a picture's sides"),
        default=(32, 32),
        metavar="ROWSxCOLS",
        help="size of each picture, one number is a square (32 means 32x32); a memory is"
        " two side by side (default 32x32)",
    )
    reinforce.add_argument(
        "--rounds", type=number(int, 1, 10_000, "rounds"), default=40, help="(default 40)"
    )
    reinforce.add_argument(
        "--old-strength",
        type=number(float, 0.1, 1000, "the old strength"),
        default=3.0,
        metavar="S",
        help="strength of every old memory (default 3)",
    )
    reinforce.add_argument(
        "--noise",
        type=number(float, 0, 0.5, "the noise"),
        default=0.1,
        metavar="F",
        help="fraction of the place's spins flipped in a probe (default 0.1)",
    )
    _common_options(reinforce)
    reinforce.set_defaults(parser=reinforce)

    chains = commands.add_parser(
        "chains",
        help="memories that call each other: when does recall hop along links?",
        description=(
            "Store P random patterns of N spins for each load alpha = P/N, link the first"
            " three in a ring (0 -> 1 -> 2 -> 0), recall from pattern 0 with a fraction"
            " flipped (asynchronous, T = 0, the links' delayed push of strength lambda),"
            " and report how often the first hop and the whole ring succeed."
        ),
    )
    chains.add_argument(
        "--size",
        type=spin_count(16, 2048),
        default=400,
        metavar="N",
        help="spins N, or ROWSxCOLS (default 400)",
    )
    chains.add_argument(
        "--alphas",
        type=chain_alphas,
        default=CHAIN_ALPHAS,
        metavar="SPEC",
        help="loads: START:STOP:STEP or a list a,b,c (default 0.01,0.05,0.1,0.15)",
    )
    chains.add_argument(
        "--lambdas",
        type=lambdas,
        default=DEFAULT_LAMBDAS,
        metavar="SPEC",
        help="link strengths: START:STOP:STEP or a list (default 0.5,0.75,1,1.25,1.5,2,3)",
    )
    chains.add_argument(
        "--trials", type=number(int, 1, 1000, "trials"), default=5, help="per point (default 5)"
    )
    chains.add_argument(
        "--flip",
        type=number(float, 0, 0.5, "the fraction flipped"),
        default=0.1,
        metavar="F",
        help="fraction of the cue's spins flipped (default 0.1)",
    )
    chains.add_argument(
        "--hop-factor",
        type=number(float, 0, 1, "the hop factor", open_low=True),
        default=1.0,
        metavar="F",
        help="each hop pushes this much less than the one before (default 1)",
    )
    _common_options(chains)
    _scale_options(chains)
    chains.set_defaults(parser=chains)
    return main


def _rule_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--rule", choices=RULE_NAMES, default="hebbian", help="(default hebbian)")
    command.add_argument(
        "--degree",
        type=degree,
        default=3,
        metavar="N|exp",
        help="dense rule: 2..10 or exp (default 3)",
    )
    command.add_argument(
        "--beta",
        type=number(float, MIN_BETA, MAX_BETA, "beta"),
        default=40.0,
        metavar="B",
        help=f"modern rule: inverse temperature, {MIN_BETA:g} to {MAX_BETA:g} (default 40)",
    )


def _common_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--seed", type=seed, default=None, metavar="N", help="(default random)")
    command.add_argument(
        "--csv",
        type=output_file,
        metavar="FILE",
        help="write the data as CSV (the folder must exist)",
    )
    command.add_argument(
        "--json", type=output_file, metavar="FILE", help="write everything as JSON (likewise)"
    )
    command.add_argument("--no-plot", dest="plot", action="store_false", help="table only")
    command.add_argument("--quiet", action="store_true", help="no progress report")


def _scale_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--jobs",
        type=number(int, 1, MAX_JOBS, "jobs"),
        default=None,
        metavar="N",
        help=f"worker processes running the trials, 1: this one (default: the cores,"
        f" {default_jobs()} here); the same seed gives the same numbers for any N",
    )
    command.add_argument(
        "--executor",
        metavar="ADDRESS",
        help="run the trials on the Dask cluster whose scheduler is at ADDRESS"
        " (tcp://host:8786; needs pip install 'tui-hopfield[dask]')",
    )


# -- running ----------------------------------------------------------------------


def main(argv: Sequence[str]) -> int:
    """Run ``capacity ...`` or ``reinforce ...``; return the exit status."""
    args = parser().parse_args(list(argv))
    try:
        if args.command == "chains":  # Hebb's rule: the links' field is written for it
            return _chains(args, args.parser)
        rule = Rule(args.rule, args.degree, args.beta)
        if args.command == "capacity":
            return _capacity(args, rule, args.parser)
        return _reinforce(args, rule, args.parser)
    except KeyboardInterrupt:  # outside a run (which keeps its results itself)
        print("interrupted", file=sys.stderr)
        return INTERRUPTED


def _capacity(args: argparse.Namespace, rule: Rule, command_parser: argparse.ArgumentParser) -> int:
    try:
        settings = CapacitySettings(
            rule, args.size, args.alphas, args.trials, args.flip, args.seed, args.max_steps
        )
    except ModelError as error:
        command_parser.error(str(error))
    progress = None if args.quiet else TerminalProgress(sys.stderr, "capacity")
    result = _spread(
        args, lambda jobs, executor: run_capacity(settings, progress, jobs=jobs, executor=executor)
    )
    if progress:
        progress.close()
    if result is None:
        return 1
    _report_time(result, args.quiet)
    print(format_table(capacity_table(result)))
    print(CAPACITY_NOTE.format(flip=settings.flip))
    if args.plot and result.points:
        print()
        print(capacity_chart(result).draw(_width(), 18).text())
    return _finish(result, args, capacity_csv)


def _chains(args: argparse.Namespace, command_parser: argparse.ArgumentParser) -> int:
    try:
        settings = ChainSettings(
            args.size, args.alphas, args.lambdas, args.trials, args.flip, args.hop_factor, args.seed
        )
    except ModelError as error:
        command_parser.error(str(error))
    progress = None if args.quiet else TerminalProgress(sys.stderr, "chains")
    result = _spread(
        args, lambda jobs, executor: run_chains(settings, progress, jobs=jobs, executor=executor)
    )
    if progress:
        progress.close()
    if result is None:
        return 1
    _report_time(result, args.quiet)
    print(format_table(chain_table(result)))
    print(CHAIN_NOTE.format(flip=settings.flip))
    if args.plot and result.points:
        print()
        print(chain_chart(result).draw(_width(), 18).text())
    return _finish(result, args, chain_csv)


def _reinforce(
    args: argparse.Namespace, rule: Rule, command_parser: argparse.ArgumentParser
) -> int:
    try:
        settings = ReinforceSettings(rule, args.rounds, args.old_strength, args.noise, args.seed)
        rule.check_size(args.size[0] * args.size[1] * 2)
    except ModelError as error:
        command_parser.error(str(error))
    try:
        if args.scenes is None:
            scenes = builtin_scenes(*args.size)
        else:
            scenes = load_scenes(args.scenes, *args.size)
    except ModelError as error:
        print(f"tui-hopfield: {error}", file=sys.stderr)
        return 1
    progress = None if args.quiet else TerminalProgress(sys.stderr, "reinforce")
    result = run_reinforce(scenes, settings, progress)
    if progress:
        progress.close()
    _report_time(result, args.quiet)
    print(format_table(reinforce_table(result)))
    if args.plot and result.probes:
        width = _width()
        half = (width - 2) // 2
        for scene in result.scenes:
            print()
            left = similarity_chart(result, scene).draw(half, 14)
            right = energy_chart(result, scene).draw(half, 14)
            print(beside(left, right).text())
    return _finish(result, args, reinforce_csv)


def _spread(args: argparse.Namespace, run: Callable[[int, Executor | None], R]) -> R | None:
    """``run(jobs, executor)`` as ``--jobs`` and ``--executor`` say.

    None, after one line on standard error, when the cluster cannot be reached or fails
    to run a trial (a worker without tui-hopfield, say).
    """
    if args.executor is None:
        return run(args.jobs or default_jobs(), None)
    try:
        executor, close = connect(args.executor)
    except ModelError as error:
        print(f"tui-hopfield: {error}", file=sys.stderr)
        return None
    try:
        return run(1, executor)
    except Exception as error:  # raised on the cluster: its environment, not these settings
        print(f"tui-hopfield: the Dask cluster could not run the trials: {error}", file=sys.stderr)
        return None
    finally:
        close()


def _report_time(result: CapacityResult | ReinforceResult | ChainResult, quiet: bool) -> None:
    if not result.complete:
        print("interrupted: showing what was measured so far", file=sys.stderr)
    elif not quiet:
        print(f"done in {result.seconds:.1f} s", file=sys.stderr)


def _width() -> int:
    return min(MAX_PLOT_WIDTH, shutil.get_terminal_size((80, 24)).columns - 1)


def _finish(
    result: CapacityResult | ReinforceResult | ChainResult,
    args: argparse.Namespace,
    to_csv: Callable[..., str],
) -> int:
    try:
        if args.csv is not None:
            write_text(args.csv, to_csv(result))
        if args.json is not None:
            write_text(args.json, json_text(result))
    except ModelError as error:
        print(f"tui-hopfield: {error}", file=sys.stderr)
        return 1
    return 0 if result.complete else INTERRUPTED
