"""Stall benchmark: how long the event loop stops during each heavy action of the app.

Each action runs in the real app, headless (Textual's ``run_test``), at the
largest size and load the app allows for it, while a ticker scheduled every
10 ms on the same event loop records the gaps between its turns. The longest
gap beyond the 10 ms it asked for is the action's *stall*: how long the
interface could not answer a key. The action is driven the way a key would
(``save_to``, ``open_from``, ``apply_learning``, the overload prompt, the
memory panel's ``end``), and the benchmark waits until its result is on screen.

Actions and sizes (see ``--help`` for the loads):

- open the overload's prompt over the 256x256 grid (any dialog's drawing), then
  overload the grid to the most it may hold (``OVERLOAD_BYTES``: 16,384 memories);
- save that session (ctrl+s); open (ctrl+o) the largest session that may be opened
  (``MAX_ARRAY_BYTES``: its first 16,349 memories, saved untimed); move the memory
  panel to its last memory (its valley depths); switch the rule to dense n=3;
- switch to Storkey's rule on its largest grid (``STORKEY_MAX_BYTES``: 8192 spins, 64x128);
- switch to the pseudo-inverse on 256x256;
- switch the magnet palette (each in turn) over a random 256x256 grid, and a
  Textual theme for comparison;
- during a recall on 256x256 at the overload's cap (16,384 random memories), switch
  (``d``) to each lower view in turn (overlaps, attention, why, landscape, then the
  memories again), each held on screen for ``HOLD`` seconds of the recall; and the
  same recall at the instant speed for ``HOLD`` seconds, with its flips per second and
  its frames' times (runs of the screen's update timer).

Run: ``.venv/bin/python benchmarks/stalls.py [--quick] [--only big,storkey,pinv,palette,views]
[--profile MS] [--json FILE]``; ``--profile`` prints where the event loop was while
it was late by more than MS ms. To measure
other code (say a copy of the project before a change) put it first on the
path: ``PYTHONPATH=/other/copy .venv/bin/python benchmarks/stalls.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
try:  # the code on PYTHONPATH, if any, else this checkout's
    import tui_hopfield
except ImportError:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from textual.color import Color  # noqa: E402
from textual.widgets import Input  # noqa: E402

import tui_hopfield  # noqa: E402
from tui_hopfield.model.changes import SPEEDS  # noqa: E402
from tui_hopfield.model.network import Network  # noqa: E402
from tui_hopfield.model.rules import STORKEY_MAX_BYTES, Rule  # noqa: E402
from tui_hopfield.model.store import MAX_ARRAY_BYTES, MAX_SIDE, Session, save  # noqa: E402
from tui_hopfield.ui.app import HopfieldApp  # noqa: E402
from tui_hopfield.ui.learning_prompt import Learning  # noqa: E402
from tui_hopfield.ui.magnets_screen import OVERLOAD_BYTES, MagnetsScreen  # noqa: E402
from tui_hopfield.ui.side_views import VIEWS  # noqa: E402
from tui_hopfield.ui.theme import DEFAULT_PALETTE, PALETTES  # noqa: E402

sys.path.insert(0, str(HERE))
from engine import cpu_busy, fmt_bytes, load_average, machine_info, set_blas_threads  # noqa: E402

TICK = 0.010
"""Seconds between the ticker's turns."""
TERMINAL = (200, 60)
"""The headless terminal: the grid scrolls, the memory panel shows a few rows."""
DEFAULT_JSON = HERE / "results" / "stalls.json"
HOLD = 3.0
"""Seconds each lower view is held on screen during the recall (``views``)."""
PROFILE = 0.0
"""Seconds late past which the event loop's stack is sampled (``--profile``; 0: never)."""


class StallMeter:
    """Records the longest gap between turns of a ticker on the running event loop.

    With ``profile`` set, a watchdog thread samples the event loop's stack
    every few milliseconds while the ticker is late by more than ``profile``
    seconds, and ``samples`` counts where the loop was (innermost frames first).
    """

    def __init__(self, profile: float = 0.0) -> None:
        self.worst = 0.0
        self.ticks = 0
        self._last = 0.0
        self._task: asyncio.Task | None = None
        self.profile = profile
        self.samples: Counter[tuple[str, ...]] = Counter()
        self._watching = False
        self._watchdog: threading.Thread | None = None

    def _watch(self, loop_thread: int) -> None:
        while self._watching:
            time.sleep(0.004)
            if time.perf_counter() - self._last - TICK < self.profile:
                continue
            frame = sys._current_frames().get(loop_thread)
            stack: list[str] = []
            while frame is not None:
                code = frame.f_code
                where = Path(code.co_filename)
                stack.append(f"{where.parent.name}/{where.name}:{frame.f_lineno} {code.co_name}")
                frame = frame.f_back
            self.samples[tuple(stack)] += 1

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            self.worst = max(self.worst, now - self._last - TICK)
            self.ticks += 1
            self._last = now

    def __enter__(self) -> StallMeter:
        # Counted from now: work done before the ticker's first turn is a stall too.
        self._last = time.perf_counter()
        self._task = asyncio.get_running_loop().create_task(self._tick())
        if self.profile:
            self._watching = True
            self._watchdog = threading.Thread(
                target=self._watch, args=(threading.get_ident(),), daemon=True
            )
            self._watchdog.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        if self._watchdog is not None:
            self._watching = False
            self._watchdog.join()
        self.worst = max(self.worst, time.perf_counter() - self._last - TICK)


def idle(screen: MagnetsScreen) -> bool:
    """Whether no job runs in a worker (always True for code without jobs)."""
    return getattr(screen, "running", None) is None


async def until(condition: Callable[[], bool], timeout: float) -> bool:
    """Wait, letting the loop turn, until ``condition`` holds; whether it did in time."""
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            return False
        await asyncio.sleep(0.02)
    return True


async def measure(
    name: str,
    size: str,
    memories: int,
    act: Callable[[], Awaitable[None] | None],
    done: Callable[[], bool],
    timeout: float,
) -> dict:
    """Run ``act`` under the stall meter until ``done``; return the figures."""
    print(f"  {name} ...", file=sys.stderr, flush=True)
    await asyncio.sleep(0.1)
    with StallMeter(PROFILE) as meter:
        start = time.perf_counter()
        result = act()
        if inspect.isawaitable(result):
            await result
        finished = await until(done, timeout)
        elapsed = time.perf_counter() - start
        await asyncio.sleep(0.2)  # the frames after the result landed (drawing it)
    row = {
        "action": name,
        "size": size,
        "memories": memories,
        "seconds": round(elapsed, 3),
        "finished": finished,
        "longest_stall_ms": round(meter.worst * 1000, 1),
        "ticks": meter.ticks,
    }
    print(f"    {row}", file=sys.stderr, flush=True)
    if meter.samples:
        print(profile_report(meter.samples), file=sys.stderr, flush=True)
    return row


def profile_report(samples: Counter[tuple[str, ...]], top: int = 25) -> str:
    """The functions the late event loop was in, by samples that include them."""
    inclusive: Counter[str] = Counter()
    innermost: Counter[str] = Counter()
    for stack, count in samples.items():
        innermost[stack[0]] += count
        for function in {line.split(":", 1)[0] + " " + line.rsplit(" ", 1)[1] for line in stack}:
            inclusive[function] += count
    total = sum(samples.values())
    lines = [f"    {total} samples while late; functions by samples that include them:"]
    lines += [f"      {count:5d} {function}" for function, count in inclusive.most_common(top)]
    lines.append("    innermost lines:")
    lines += [f"      {count:5d} {line}" for line, count in innermost.most_common(8)]
    return "\n".join(lines)


def random_network(rows: int, cols: int, count: int, seed: int) -> Network:
    """A network of ``count`` random memories (untimed set-up)."""
    rng = np.random.default_rng(seed)
    network = Network(rows, cols)
    network.reserve(count)
    block = max(1, 2**24 // network.n)
    for first in range(0, count, block):
        last = min(first + block, count)
        patterns = rng.choice(np.array([-1, 1], dtype=np.int8), (last - first, network.n))
        network.imprint_many(patterns, [f"random {k + 1}" for k in range(first, last)])
    return network


def largest_openable(n: int) -> int:
    """The most memories of ``n`` spins a session may hold and still open (with room for
    its header of names)."""
    return (MAX_ARRAY_BYTES - n - 2**21) // (n + 8)


def save_first(network: Network, count: int, path: Path) -> None:
    """Save the first ``count`` memories of ``network`` as a session (untimed set-up)."""
    session = Session.of(network)
    session.names = session.names[:count]
    session.patterns = session.patterns[:count]
    session.strengths = session.strengths[:count]
    save(session, path)


def learning(screen: MagnetsScreen, rule: Rule) -> Learning:
    """The screen's learning settings with another rule."""
    network = screen.network
    return Learning(rule, screen.mode, network.decay, network.use_boost)


async def big_grid(args: argparse.Namespace, folder: Path) -> list[dict]:
    """The 256x256 actions: overload to the cap, save, open, the panel, a rule."""
    side = MAX_SIDE
    n = side * side
    cap = OVERLOAD_BYTES // (2 * n)
    target = args.memories or cap
    size = f"{side}x{side}"
    rows: list[dict] = []
    app = HopfieldApp(side, side, seed=1)
    async with app.run_test(size=TERMINAL) as pilot:
        screen = app.magnets
        await pilot.pause()
        rows.append(
            await measure("nothing (the noise floor)", size, 0, lambda: None, lambda: False, 5.0)
        )
        rows[-1]["finished"] = True

        # The prompt is measured apart: drawing any dialog over the big grid is not the
        # overload's work (its dimmed copy of the screen below is drawn once).
        rows.append(
            await measure(
                "a dialog over the grid (O's prompt)",
                size,
                0,
                lambda: pilot.press("o"),
                lambda: bool(app.screen.query(Input)),
                args.timeout,
            )
        )

        async def overload() -> None:
            field = app.screen.query_one(Input)
            field.value = f"{target / n:.6f}"
            await pilot.press("enter")

        rows.append(
            await measure(
                f"overload to {target:,} memories (enter)",
                size,
                target,
                overload,
                lambda: screen.network.count >= target,
                args.timeout,
            )
        )
        await pilot.pause()
        path = folder / "big.hopfield"
        rows.append(
            await measure(
                "save (ctrl+s)",
                size,
                target,
                lambda: screen.save_to(path),
                lambda: path.is_file() and idle(screen) and not screen.unsaved,
                args.timeout,
            )
        )
        # A session of the cap's 16,384 memories is 1 GiB of patterns, over what a session
        # may unpack to (MAX_ARRAY_BYTES): the largest that opens is a few memories fewer.
        openable = min(target, largest_openable(n))
        if openable < target:
            path = folder / "largest.hopfield"
            await asyncio.to_thread(save_first, screen.network, openable, path)
        before = screen.network
        rows.append(
            await measure(
                "open (ctrl+o)",
                size,
                openable,
                lambda: screen.open_from(path),
                lambda: idle(screen),
                args.timeout,
            )
        )
        if screen.network is before:
            rows[-1]["finished"] = False
            print("    the session was not opened", file=sys.stderr)
        target = screen.network.count
        before = None  # let the old network go
        panel = screen.memory_list
        panel.focus()

        def last_valley() -> bool:
            valleys = panel.rows.valleys
            return valleys is not None and not np.isnan(valleys.values[-1])

        rows.append(
            await measure(
                "memory panel: end (valleys)",
                size,
                target,
                lambda: panel.action_jump(-1),
                last_valley,
                args.timeout,
            )
        )
        dense = Rule("dense", 3)
        rows.append(
            await measure(
                "rule: dense n=3",
                size,
                target,
                lambda: screen.apply_learning(learning(screen, dense)),
                lambda: screen.network.rule == dense and idle(screen),
                args.timeout,
            )
        )
    return rows


async def storkey(args: argparse.Namespace) -> list[dict]:
    """Storkey's rule on the largest grid it may learn on."""
    rows, cols = 64, 128  # 8192 spins: the budget exactly
    assert 4 * (rows * cols) ** 2 <= STORKEY_MAX_BYTES
    network = random_network(rows, cols, args.storkey_memories, seed=2)
    app = HopfieldApp(rows, cols, seed=1, network=network)
    async with app.run_test(size=TERMINAL) as pilot:
        screen = app.magnets
        await pilot.pause()
        target = Rule("storkey")
        return [
            await measure(
                "rule: Storkey",
                f"{rows}x{cols}",
                network.count,
                lambda: screen.apply_learning(learning(screen, target)),
                lambda: screen.network.rule == target and idle(screen),
                args.timeout,
            )
        ]


async def pseudo_inverse(args: argparse.Namespace) -> list[dict]:
    """The projection rule on the largest grid, with ``--pinv-memories`` memories."""
    side = MAX_SIDE
    network = random_network(side, side, args.pinv_memories, seed=3)
    app = HopfieldApp(side, side, seed=1, network=network)
    async with app.run_test(size=TERMINAL) as pilot:
        screen = app.magnets
        await pilot.pause()
        target = Rule("pseudo-inverse")
        return [
            await measure(
                "rule: pseudo-inverse",
                f"{side}x{side}",
                network.count,
                lambda: screen.apply_learning(learning(screen, target)),
                lambda: screen.network.rule == target and idle(screen),
                args.timeout,
            )
        ]


async def palettes(args: argparse.Namespace) -> list[dict]:
    """Switching the magnet palette over a random 256x256 grid (three memories in the
    panel), each palette in turn, and a Textual theme switch for comparison."""
    side = MAX_SIDE
    app = HopfieldApp(side, side, seed=1)
    async with app.run_test(size=TERMINAL) as pilot:
        await pilot.press("1", "2", "3", "x")
        await pilot.pause()
        grid = app.magnets.grid
        rows = []
        for name in [*list(PALETTES)[1:], DEFAULT_PALETTE]:
            north = Color.parse(PALETTES[name].north).rich_color

            def shown(north=north) -> bool:
                return grid.get_component_rich_style("spin-grid--north").color == north

            rows.append(
                await measure(
                    f"magnet palette: {name}",
                    f"{side}x{side}",
                    3,
                    lambda name=name: app.apply_palette(name),
                    shown,
                    args.timeout,
                )
            )
        rows.append(
            await measure(
                "a Textual theme (nord), for comparison",
                f"{side}x{side}",
                3,
                lambda: setattr(app, "theme", "nord"),
                lambda: app.current_theme.name == "nord",
                args.timeout,
            )
        )
        return rows


async def views(args: argparse.Namespace) -> list[dict]:
    """Each lower view (``d``) and the landscape, switched to during a 256x256 recall at
    the largest load (``--views-memories``, default the overload's cap), each held on
    screen for ``HOLD`` seconds of the recall so its drawing every frame is measured."""
    side = MAX_SIDE
    n = side * side
    count = args.views_memories or OVERLOAD_BYTES // (2 * n)
    network = random_network(side, side, count, seed=4)
    app = HopfieldApp(side, side, seed=1, network=network)
    network = None  # the app holds it
    async with app.run_test(size=TERMINAL) as pilot:
        screen = app.magnets
        await pilot.pause()
        screen.speed_index = SPEEDS.index(1000)
        rows = []
        screen.action_recall()
        await until(lambda: screen.recalling, args.timeout)
        start = time.perf_counter()
        rows.append(
            await measure(
                "recall alone, the memory list shown",
                f"{side}x{side}",
                screen.network.count,
                lambda: None,
                lambda: time.perf_counter() - start > HOLD,
                args.timeout,
            )
        )
        rows[-1]["recalling"] = screen.recalling
        rows.append(await instant_recall(screen, f"{side}x{side}", args.timeout))
        for view in (*VIEWS[1:], VIEWS[0]):
            if not screen.recalling:
                screen.action_recall()
                await until(lambda: screen.recalling, args.timeout)
            start = time.perf_counter()

            def held(view=view, start=start) -> bool:
                return screen.side_view.view == view and time.perf_counter() - start > HOLD

            rows.append(
                await measure(
                    f"view during recall: {view} (d)",
                    f"{side}x{side}",
                    screen.network.count,
                    lambda: pilot.press("d"),
                    held,
                    args.timeout,
                )
            )
            rows[-1]["recalling"] = screen.recalling
        if screen.recalling:
            screen.action_recall()  # stop it
        return rows


async def instant_recall(screen: MagnetsScreen, size: str, timeout: float) -> dict:
    """The recall at the instant speed for ``HOLD`` seconds, the memory list shown: its
    stall, its flips per second and its frames (runs of the screen's update timer)."""
    timer = screen._update_timer  # Textual 8.2.8: the timer that draws each frame
    draw = timer._callback
    frames: list[float] = []
    flipped = 0
    refresh_spins = screen.grid.refresh_spins

    def timed_frame() -> None:
        start = time.perf_counter()
        draw()
        frames.append(time.perf_counter() - start)

    def count_flips(indices) -> None:
        nonlocal flipped
        indices = list(indices)
        flipped += len(indices)
        refresh_spins(indices)

    timer._callback = timed_frame
    screen.grid.refresh_spins = count_flips
    speed = screen.speed_index
    screen.speed_index = SPEEDS.index(0)
    start = time.perf_counter()
    try:
        row = await measure(
            "instant recall, the memory list shown",
            size,
            screen.network.count,
            lambda: None,
            lambda: time.perf_counter() - start > HOLD or not screen.recalling,
            timeout,
        )
    finally:
        timer._callback = draw
        screen.grid.refresh_spins = refresh_spins
        screen.speed_index = speed
    row["flips_per_second"] = round(flipped / row["seconds"]) if row["seconds"] else 0
    row["frames"] = len(frames)
    row["longest_frame_ms"] = round(max(frames, default=0.0) * 1000, 1)
    row["mean_frame_ms"] = round(sum(frames) / len(frames) * 1000, 1) if frames else 0.0
    row["action"] += (
        f" ({row['flips_per_second']:,} flips/s; frames {row['mean_frame_ms']} ms on"
        f" average, {row['longest_frame_ms']} ms at most)"
    )
    return row


def table(rows: list[dict]) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| action | grid | memories | took s | longest stall ms |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for row in rows:
        done = "" if row["finished"] else " (timed out)"
        lines.append(
            f"| {row['action']} | {row['size']} | {row['memories']:,} |"
            f" {row['seconds']:.1f}{done} | {row['longest_stall_ms']:,.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Run every action, print the table and the machine, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--memories", type=int, default=0, help="overload target (default: cap)")
    parser.add_argument("--storkey-memories", type=int, default=20)
    parser.add_argument("--pinv-memories", type=int, default=1000)
    parser.add_argument("--views-memories", type=int, default=0, help="default: the cap")
    parser.add_argument("--quick", action="store_true", help="a quarter of the loads")
    parser.add_argument("--threads", type=int, default=0, help="OpenBLAS threads")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per action")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument(
        "--only",
        type=lambda text: set(text.split(",")),
        default={"big", "storkey", "pinv", "palette", "views"},
        help="which parts to run, of big (the 256x256 session), storkey, pinv, palette"
        " (switching the magnet palette), views (each lower view during a recall;"
        " default: all)",
    )
    parser.add_argument(
        "--profile",
        type=float,
        default=0.0,
        metavar="MS",
        help="print where the event loop was while it was late by more than MS ms",
    )
    args = parser.parse_args()
    global PROFILE
    PROFILE = args.profile / 1000
    if args.quick:
        n = MAX_SIDE * MAX_SIDE
        args.memories = args.memories or OVERLOAD_BYTES // (2 * n) // 4
        args.storkey_memories = max(1, args.storkey_memories // 4)
        args.pinv_memories = max(1, args.pinv_memories // 4)
        args.views_memories = args.views_memories or OVERLOAD_BYTES // (2 * n) // 4
    if args.threads and not set_blas_threads(args.threads):
        print("could not set the BLAS threads", file=sys.stderr)
    load_before = load_average()
    busy_before = cpu_busy()
    rows: list[dict] = []
    if "big" in args.only:
        with tempfile.TemporaryDirectory() as folder:
            rows += asyncio.run(big_grid(args, Path(folder)))
    if "storkey" in args.only:
        rows += asyncio.run(storkey(args))
    if "pinv" in args.only:
        rows += asyncio.run(pseudo_inverse(args))
    if "palette" in args.only:
        rows += asyncio.run(palettes(args))
    if "views" in args.only:
        rows += asyncio.run(views(args))
    busy_after = cpu_busy()
    machine = machine_info()
    blas = machine["blas"] or {}
    print(table(rows))
    print()
    print(
        f"Code: {Path(tui_hopfield.__file__).parent.parent}. Machine: {machine['cpu']},"
        f" {machine['cpus_usable']} usable CPUs, {fmt_bytes(machine['memory'].get('MemTotal'))}"
        f" RAM; Python {machine['python']}, numpy {machine['numpy']} with"
        f" {blas.get('name', '?')} {blas.get('version', '')}; BLAS threads:"
        f" {machine['blas_threads'] or '?'}; load average at the start {load_before}, at the"
        f" end {machine['load_average']}; CPUs busy with other work before/after:"
        f" {busy_before} / {busy_after}."
    )
    print(
        f"Loads: {'a quarter of each (--quick)' if args.quick else 'the largest'}; overload"
        f" {args.memories or 'to the cap'}, Storkey {args.storkey_memories} memories,"
        f" pseudo-inverse {args.pinv_memories}, views {args.views_memories or 'the cap'}."
    )
    print("Command: " + " ".join([Path(sys.executable).name, *sys.argv]))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "rows": rows,
                "machine": machine,
                "busy": [busy_before, busy_after],
                "load_average_before": load_before,
                "quick": args.quick,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
