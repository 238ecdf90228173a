"""The experiments' command line: ``capacity``, ``reinforce``, ``chains``, ``basins``,
``rule-race`` and ``phase``, their options and their argument types (``cli`` runs them)."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui_hopfield.argtypes import (
    degree,
    from_model,
    grid_size,
    number,
    output_file,
    seed,
    spin_count,
)
from tui_hopfield.experiments.basins import DEFAULT_ALPHAS as BASIN_ALPHAS
from tui_hopfield.experiments.basins import (
    DEFAULT_NOISES,
    parse_noises,
)
from tui_hopfield.experiments.capacity import (
    DEFAULT_ALPHAS,
    parse_alphas,
)
from tui_hopfield.experiments.chains import (
    DEFAULT_ALPHAS as CHAIN_ALPHAS,
)
from tui_hopfield.experiments.chains import (
    DEFAULT_LAMBDAS,
    MAX_ALPHA,
    parse_values,
)
from tui_hopfield.experiments.phase import (
    DEFAULT_ALPHAS as PHASE_ALPHAS,
)
from tui_hopfield.experiments.phase import (
    DEFAULT_TEMPERATURES,
    MAX_T,
    parse_grid,
)
from tui_hopfield.experiments.phase import (
    MAX_ALPHA as PHASE_MAX_ALPHA,
)
from tui_hopfield.experiments.recall import MODES
from tui_hopfield.experiments.trials import MAX_JOBS, default_jobs
from tui_hopfield.model.links import MAX_LAMBDA
from tui_hopfield.model.rules import MAX_BETA, MIN_BETA, RULE_NAMES

# -- argument types ---------------------------------------------------------------


alphas = from_model(parse_alphas)
"""``--alphas``: ``START:STOP:STEP`` (STOP included) or a list ``0.05,0.1,0.2``."""
chain_alphas = from_model(lambda text: parse_values(text, "loads", 0.0, MAX_ALPHA))
"""``chains --alphas``: loads, as ``--alphas``."""
lambdas = from_model(lambda text: parse_values(text, "lambdas", 0.0, MAX_LAMBDA))
"""``chains --lambdas``: link strengths, ``START:STOP:STEP`` or a list."""
noises = from_model(parse_noises)
"""``basins --noises``, ``rule-race --noises``: fractions flipped in [0, 0.5]."""
phase_alphas = from_model(lambda text: parse_grid(text, "loads", 1e-9, PHASE_MAX_ALPHA))
"""``phase --alphas``: loads, ``START:STOP:STEP`` or a list."""
temperatures = from_model(lambda text: parse_grid(text, "temperatures", 0.0, MAX_T))
"""``phase --temperatures``: ``START:STOP:STEP`` or a list, 0 allowed."""


def _here(text: str) -> tuple[float, float]:
    """``phase --here ALPHA,T``: a load and a temperature to mark on the map."""
    parts = text.split(",")
    try:
        alpha, temperature = (float(part) for part in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not ALPHA,T (e.g. 0.05,0.4)") from None
    if not (0 <= alpha <= 10 and 0 <= temperature <= 100):
        raise argparse.ArgumentTypeError(f"{text!r}: alpha is from 0 to 10, T from 0 to 100")
    return alpha, temperature


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
            " pattern and from a cue with a fraction flipped (T = 0, asynchronous by default),"
            " and report the mean final overlap, the fraction recalled exactly (a fixed point"
            " equal to the pattern) and how the recalls ended (fixed point, 2-cycle, cut off)."
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
        help="loads: START:STOP:STEP, START:STOP:xFACTOR (geometric, e.g. 1:1000:x2) or a"
        " list a,b,c (default 0.02:0.30:0.02); past 1 for dense n >= 3 and dense exp only",
    )
    capacity.add_argument(
        "--mode",
        choices=MODES,
        default="async",
        help="async: one spin at a time in a random order, to a fixed point; sync: every spin"
        " at once (default async; the modern rule always runs its continuous update)",
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
        help="sweeps (async) or steps (sync) per recall at most (default 50)",
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
        help="images named <scene>_bg, <scene>_old, <scene>_new (default: the built-in scenes;"
        " with --preset blog every scene gets the first one's companions)",
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
        "--preset",
        choices=("default", "blog"),
        default="default",
        help="default: a companion pair per scene, 5 scenes, 40 rounds, old strength 3,"
        " asynchronous recall; blog: the blog's design, one ex and one new companion in"
        " all 7 places, 30 rounds, 10 synchronous steps, only the scene lived probed, each"
        " reinforcement weighing P/R old imprints (default: default)",
    )
    reinforce.add_argument(
        "--rounds",
        type=number(int, 1, 10_000, "rounds"),
        default=None,
        help="(default 40; blog 30)",
    )
    reinforce.add_argument(
        "--old-strength",
        type=number(float, 0.1, 1000, "the old strength"),
        default=None,
        metavar="S",
        help="strength of every old memory (default 3; blog 1)",
    )
    reinforce.add_argument(
        "--noise",
        type=number(float, 0, 0.5, "the noise"),
        default=None,
        metavar="F",
        help="fraction of the place's spins flipped in a probe (default 0.1)",
    )
    reinforce.add_argument(
        "--sync-steps",
        type=number(int, 0, 1000, "synchronous steps"),
        default=None,
        metavar="K",
        help="0: recall asynchronously to a fixed point; K: K synchronous steps"
        " (default 0; blog 10)",
    )
    reinforce.add_argument(
        "--repeats",
        type=number(float, 0.01, 1000, "the repeats R"),
        default=None,
        metavar="R",
        help="the blog's normalisation: the P old memories are imprinted R times over P,"
        " so a reinforcement adds S P / R (blog 10; the default preset adds 1)",
    )
    reinforce.add_argument(
        "--probe",
        choices=("all", "chosen"),
        default=None,
        help="probe every scene each round, or only the one just lived (default all; blog chosen)",
    )
    reinforce.add_argument(
        "--decay",
        type=number(float, 0.5, 1, "the decay factor"),
        default=None,
        metavar="L",
        help="every strength is multiplied by L at the start of each round (default 1: none)",
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
    _basins_parser(commands)
    _race_parser(commands)

    phase = commands.add_parser(
        "phase",
        help="the phase diagram: recall against load and temperature, with AGS's lines",
        description=(
            "Store P random patterns of N spins (Hebb's rule) for each load alpha = P/N, start"
            " a network on a pattern and run asynchronous Glauber dynamics at each"
            " temperature T, and report the overlap it keeps with the pattern; the map"
            " draws Amit, Gutfreund & Sompolinsky's retrieval line T_M(alpha), ending at"
            " alpha_c = 0.138, and the spin-glass line T_g = 1 + sqrt(alpha) over it."
        ),
    )
    phase.add_argument(
        "--size",
        type=spin_count(16, 2048),
        default=500,
        metavar="N",
        help="spins N, or ROWSxCOLS (default 500)",
    )
    phase.add_argument(
        "--alphas",
        type=phase_alphas,
        default=PHASE_ALPHAS,
        metavar="SPEC",
        help="loads: START:STOP:STEP or a list a,b,c (default 0.01:0.2:0.01)",
    )
    phase.add_argument(
        "--temperatures",
        type=temperatures,
        default=DEFAULT_TEMPERATURES,
        metavar="SPEC",
        help="temperatures: START:STOP:STEP or a list (default 0:1.5:0.1)",
    )
    phase.add_argument(
        "--trials",
        type=number(int, 1, 1000, "trials"),
        default=1,
        help="sets of patterns (default 1)",
    )
    phase.add_argument(
        "--cues",
        type=number(int, 1, 64, "cues"),
        default=4,
        help="runs per point and trial, each from another pattern (default 4)",
    )
    phase.add_argument(
        "--sweeps",
        type=number(int, 2, 10_000, "sweeps"),
        default=20,
        help="asynchronous sweeps per run; m is averaged over the second half (default 20)",
    )
    phase.add_argument(
        "--here",
        type=_here,
        metavar="ALPHA,T",
        help="mark this load and temperature on the map (you are here)",
    )
    phase.add_argument(
        "--png", type=output_file, metavar="FILE", help="draw the phase diagram as a PNG"
    )
    _common_options(phase)
    phase.set_defaults(parser=phase)
    return main


def _basins_parser(commands: argparse._SubParsersAction) -> None:
    basins = commands.add_parser(
        "basins",
        help="basin maps: recall against cue noise and load, each memory's basin radius",
        description=(
            "For each load alpha = P/N store P random patterns (or a session's memories,"
            " --session), cue some of them with a fraction of their spins flipped at each"
            " noise level, recall (asynchronous and exact by default), and map the share"
            " recalled exactly and the final overlap; each pattern's basin radius is the"
            " largest noise up to which at least half of its cues recall it exactly."
        ),
    )
    _rule_options(basins)
    basins.add_argument(
        "--size",
        type=spin_count(16, 2048),
        default=256,
        metavar="N",
        help="spins N, or ROWSxCOLS (default 256)",
    )
    basins.add_argument(
        "--alphas",
        type=alphas,
        default=BASIN_ALPHAS,
        metavar="SPEC",
        help="loads: START:STOP:STEP or a list a,b,c (default 0.02,0.05,0.1,0.15,0.2,0.3)",
    )
    basins.add_argument(
        "--noises",
        type=noises,
        default=DEFAULT_NOISES,
        metavar="SPEC",
        help="fractions of a cue flipped, 0 to 0.5: START:STOP:STEP or a list (default 0:0.5:0.05)",
    )
    basins.add_argument(
        "--cues",
        type=number(int, 1, 100, "cues"),
        default=4,
        help="cues per pattern and noise level (default 4)",
    )
    basins.add_argument(
        "--probes",
        type=number(int, 1, 1000, "patterns cued"),
        default=16,
        metavar="K",
        help="patterns cued per load and trial (default 16; every memory with --session)",
    )
    basins.add_argument(
        "--trials", type=number(int, 1, 100, "trials"), default=2, help="(default 2)"
    )
    basins.add_argument(
        "--session",
        type=Path,
        metavar="FILE",
        help="measure the memories of a saved session (.hopfield) instead of random patterns;"
        " its rule unless --rule is given",
    )
    basins.set_defaults(rule=None)  # with --session: the session's rule unless --rule
    _mode_options(basins)
    _common_options(basins)
    basins.add_argument("--png", type=output_file, metavar="FILE", help="save the heat maps as PNG")
    basins.add_argument(
        "--radii-csv",
        type=output_file,
        metavar="FILE",
        help="write every cued pattern's basin radius as CSV",
    )
    basins.set_defaults(parser=basins)


def _race_parser(commands: argparse._SubParsersAction) -> None:
    race = commands.add_parser(
        "rule-race",
        help="a rule race in numbers: the same cues recalled by several rules",
        description=(
            "Store P = alpha N random patterns, cue some of them at each noise level, and"
            " recall the very same cues with each rule (the same visiting orders too):"
            " final overlap, share exact, how the runs ended, steps and spins changed."
        ),
    )
    race.add_argument(
        "--rules",
        default="hebbian,storkey,pseudo-inverse",
        metavar="LIST",
        help="rules raced, e.g. hebbian,storkey,pseudo-inverse,dense:exp,modern:20"
        " (default hebbian,storkey,pseudo-inverse)",
    )
    race.add_argument(
        "--degree",
        type=degree,
        default=3,
        metavar="N|exp",
        help="dense rule without its own (dense:N): 2..10 or exp (default 3)",
    )
    race.add_argument(
        "--beta",
        type=number(float, MIN_BETA, MAX_BETA, "beta"),
        default=40.0,
        metavar="B",
        help="modern rule without its own (modern:B) (default 40)",
    )
    race.add_argument(
        "--size",
        type=spin_count(16, 2048),
        default=256,
        metavar="N",
        help="spins N, or ROWSxCOLS (default 256)",
    )
    race.add_argument(
        "--alpha",
        type=number(float, 0, 1, "the load", open_low=True),
        default=0.1,
        metavar="A",
        help="load P/N, in (0, 1] (default 0.1)",
    )
    race.add_argument(
        "--noises",
        type=noises,
        default=(0.1, 0.2, 0.3, 0.4),
        metavar="SPEC",
        help="fractions of a cue flipped, 0 to 0.5 (default 0.1,0.2,0.3,0.4)",
    )
    race.add_argument(
        "--probes",
        type=number(int, 1, 1000, "patterns cued"),
        default=32,
        metavar="K",
        help="patterns cued per trial and noise level (default 32)",
    )
    race.add_argument(
        "--trials", type=number(int, 1, 1000, "trials"), default=5, help="(default 5)"
    )
    _mode_options(race)
    _common_options(race)
    race.add_argument("--png", type=output_file, metavar="FILE", help="save the plots as PNG")
    race.set_defaults(parser=race)


def _mode_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--mode",
        choices=MODES,
        default="async",
        help="async: exact asynchronous recall; sync: every spin at once (default async;"
        " the modern rule always takes its own retrieval steps)",
    )
    command.add_argument(
        "--max-steps",
        type=number(int, 1, 1000, "steps"),
        default=50,
        help="sweeps (async) or steps (sync) per recall at most (default 50)",
    )


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
