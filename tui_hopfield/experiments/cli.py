"""``tui-hopfield capacity``, ``reinforce``, ``chains``, ``phase``: the experiments in a terminal.

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
from typing import TypeVar

from tui_hopfield.experiments.basin_views import (
    BASINS_NOTE,
    RACE_NOTE,
    basins_csv,
    basins_heatmap,
    basins_matrix_table,
    basins_png,
    pictures_table,
    race_chart,
    race_csv,
    race_png,
    race_table,
    radii_csv,
    radius_table,
)
from tui_hopfield.experiments.basins import (
    BasinSettings,
    memories_of_session,
    run_basins,
)
from tui_hopfield.experiments.capacity import (
    CapacityResult,
    CapacitySettings,
    run_capacity,
)
from tui_hopfield.experiments.chains import (
    ChainResult,
    ChainSettings,
    run_chains,
)
from tui_hopfield.experiments.charts import (
    capacity_chart,
    chain_chart,
    energy_chart,
    similarity_chart,
)
from tui_hopfield.experiments.cli_parser import parser
from tui_hopfield.experiments.phase import (
    PhaseResult,
    PhaseSettings,
    describe_here,
    run_phase,
)
from tui_hopfield.experiments.phase_plots import (
    PHASE_NOTE,
    phase_csv,
    phase_map,
    phase_png,
    phase_table,
)
from tui_hopfield.experiments.plots import beside
from tui_hopfield.experiments.png import write_png
from tui_hopfield.experiments.progress import TerminalProgress
from tui_hopfield.experiments.reinforce import (
    ReinforceResult,
    ReinforceSettings,
    run_reinforce,
    tie_note,
)
from tui_hopfield.experiments.rule_race import RaceSettings, parse_rules, run_race
from tui_hopfield.experiments.scenes import blog_scenes, builtin_scenes, load_scenes
from tui_hopfield.experiments.tables import (
    CHAIN_NOTE,
    capacity_csv,
    capacity_note,
    capacity_table,
    chain_csv,
    chain_table,
    format_table,
    json_text,
    reinforce_csv,
    reinforce_table,
    write_text,
)
from tui_hopfield.experiments.trials import connect, default_jobs
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.rules import Rule

INTERRUPTED = 130
"""Exit status after Ctrl+C (128 + SIGINT), once the partial results are out."""
MAX_PLOT_WIDTH = 100
"""Plots never get wider than this, however wide the terminal."""

R = TypeVar("R")


# -- running ----------------------------------------------------------------------


def main(argv: Sequence[str]) -> int:
    """Run ``capacity ...`` or ``reinforce ...``; return the exit status."""
    args = parser().parse_args(list(argv))
    try:
        if args.command == "chains":  # Hebb's rule: the links' field is written for it
            return _chains(args, args.parser)
        if args.command == "basins":
            return _basins(args, args.parser)
        if args.command == "rule-race":
            return _race(args, args.parser)
        if args.command == "phase":  # Hebb's rule: AGS's lines are its
            return _phase(args, args.parser)
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
            rule,
            args.size,
            args.alphas,
            args.trials,
            args.flip,
            args.seed,
            args.max_steps,
            mode=args.mode,
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
    print(capacity_note(result))
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


def _phase(args: argparse.Namespace, command_parser: argparse.ArgumentParser) -> int:
    try:
        settings = PhaseSettings(
            args.size,
            args.alphas,
            args.temperatures,
            args.trials,
            args.cues,
            args.sweeps,
            args.seed,
        )
    except ModelError as error:
        command_parser.error(str(error))
    progress = None if args.quiet else TerminalProgress(sys.stderr, "phase")
    result = run_phase(settings, progress)
    if progress:
        progress.close()
    _report_time(result, args.quiet)
    print(format_table(phase_table(result)))
    print(PHASE_NOTE)
    if args.here is not None:
        print(f"you are here: {describe_here(*args.here)}")
    if args.plot and result.points:
        print()
        print(phase_map(result, _width(), 28, args.here).text())
    if args.png is not None and result.points:
        try:
            phase_png(result, args.png, args.here)
        except ModelError as error:
            print(f"tui-hopfield: {error}", file=sys.stderr)
            return 1
    return _finish(result, args, phase_csv)


def _reinforce(
    args: argparse.Namespace, rule: Rule, command_parser: argparse.ArgumentParser
) -> int:
    try:
        settings = ReinforceSettings.of_preset(
            args.preset,
            rule=rule,
            rounds=args.rounds,
            old_strength=args.old_strength,
            noise=args.noise,
            seed=args.seed,
            sync_steps=args.sync_steps,
            repeats=args.repeats,
            probe=args.probe,
            decay=args.decay,
        )
        rule.check_size(args.size[0] * args.size[1] * 2)
    except ModelError as error:
        command_parser.error(str(error))
    try:
        if args.scenes is None and settings.shared:
            scenes = blog_scenes(*args.size)
        elif args.scenes is None:
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
    print(tie_note(result))
    if args.plot and result.probes:
        width = _width()
        half = (width - 2) // 2
        for scene in result.scenes:
            print()
            left = similarity_chart(result, scene).draw(half, 14)
            right = energy_chart(result, scene).draw(half, 14)
            print(beside(left, right).text())
    return _finish(result, args, reinforce_csv)


def _basins(args: argparse.Namespace, command_parser: argparse.ArgumentParser) -> int:
    memories = None
    rule = None
    if args.session is not None:
        try:
            memories, rule = memories_of_session(args.session)
        except ModelError as error:
            print(f"tui-hopfield: {error}", file=sys.stderr)
            return 1
    try:
        if rule is None or args.rule is not None:  # --rule wins over the session's
            rule = Rule(args.rule or "hebbian", args.degree, args.beta)
        settings = BasinSettings(
            rule=rule,
            n=args.size,
            alphas=args.alphas,
            noises=args.noises,
            cues=args.cues,
            probes=args.probes,
            trials=args.trials,
            seed=args.seed,
            mode=args.mode,
            max_steps=args.max_steps,
            memories=memories,
        )
    except ModelError as error:
        command_parser.error(str(error))
    progress = None if args.quiet else TerminalProgress(sys.stderr, "basins")
    result = run_basins(settings, progress)
    if progress:
        progress.close()
    _report_time(result, args.quiet)
    print(f"recall: {settings.dynamics}")
    if memories is not None:
        print(f"memories: {memories.source}, P = {len(memories.names)}, N = {settings.n}")
        print(format_table(pictures_table(result)))
    else:
        print("share exact, by noise (rows) and load a = P/N (columns):")
        print(format_table(basins_matrix_table(result, "exact")))
        print("mean final overlap m:")
        print(format_table(basins_matrix_table(result, "overlap")))
        print("basin radius of the patterns cued:")
        print(format_table(radius_table(result)))
    cells = result.cells
    if cells:
        cycled = sum(c.cycled * c.recalls for c in cells) / sum(c.recalls for c in cells)
        cut = sum(c.cut * c.recalls for c in cells) / sum(c.recalls for c in cells)
        ends = f"2-cycles: {cycled:.1%}; cut off at {settings.max_steps} steps: {cut:.1%}"
        print(f"runs that ended in {ends}")
    print(BASINS_NOTE)
    if args.plot and result.cells:
        width = _width()
        half = (width - 2) // 2
        rows = len(settings.noises) + 3
        left = basins_heatmap(result, "exact").draw(half, rows)
        right = basins_heatmap(result, "overlap").draw(half, rows)
        print()
        print(beside(left, right).text())
    status = _finish(result, args, basins_csv)
    try:
        if args.png is not None and result.cells:
            write_png(args.png, basins_png(result))
        if args.radii_csv is not None:
            write_text(args.radii_csv, radii_csv(result))
    except ModelError as error:
        print(f"tui-hopfield: {error}", file=sys.stderr)
        return 1
    return status


def _race(args: argparse.Namespace, command_parser: argparse.ArgumentParser) -> int:
    try:
        settings = RaceSettings(
            rules=parse_rules(args.rules, args.degree, args.beta),
            n=args.size,
            alpha=args.alpha,
            noises=args.noises,
            probes=args.probes,
            trials=args.trials,
            seed=args.seed,
            mode=args.mode,
            max_steps=args.max_steps,
        )
    except ModelError as error:
        command_parser.error(str(error))
    progress = None if args.quiet else TerminalProgress(sys.stderr, "rule-race")
    result = run_race(settings, progress)
    if progress:
        progress.close()
    _report_time(result, args.quiet)
    for label, text in settings.to_dict()["dynamics"].items():
        print(f"{label}: {text}")
    print(format_table(race_table(result)))
    print(RACE_NOTE)
    if args.plot and result.rows:
        width = _width()
        half = (width - 2) // 2
        left = race_chart(result, "exact").draw(half, 16)
        right = race_chart(result, "overlap").draw(half, 16)
        print()
        print(beside(left, right).text())
    status = _finish(result, args, race_csv)
    try:
        if args.png is not None and result.rows:
            write_png(args.png, race_png(result))
    except ModelError as error:
        print(f"tui-hopfield: {error}", file=sys.stderr)
        return 1
    return status


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


def _report_time(
    result: CapacityResult | ReinforceResult | ChainResult | PhaseResult, quiet: bool
) -> None:
    if not result.complete:
        print("interrupted: showing what was measured so far", file=sys.stderr)
    elif not quiet:
        print(f"done in {result.seconds:.1f} s", file=sys.stderr)


def _width() -> int:
    return min(MAX_PLOT_WIDTH, shutil.get_terminal_size((80, 24)).columns - 1)


def _finish(
    result: CapacityResult | ReinforceResult | ChainResult | PhaseResult,
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
