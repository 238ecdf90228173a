"""The tour on screen: a learner walks every lesson by pressing the keys it names, and
no lesson moves on before the app sees it done."""

from __future__ import annotations

from textual.widgets import Select

from tests.conftest import wait_for_jobs
from tui_hopfield.model.changes import SPEEDS
from tui_hopfield.ui.app import HopfieldApp
from tui_hopfield.ui.boltzmann_screen import BoltzmannScreen
from tui_hopfield.ui.learning_prompt import LearningPrompt
from tui_hopfield.ui.magnets_screen import MagnetsScreen
from tui_hopfield.ui.prompts import NumberPrompt
from tui_hopfield.ui.tour_panel import TourPanel

TRIES = 2400
"""Pauses of 0.05 s a condition is waited for at most (the machine may be loaded)."""


async def until(pilot, condition, what: str) -> None:
    """Wait until ``condition()`` holds (pausing; bounded by ``TRIES``)."""
    for _ in range(TRIES):
        if condition():
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError(f"waited in vain for {what}")


def step(app: HopfieldApp) -> int:
    assert app.tour is not None
    return app.tour.index


async def stays(pilot, app: HopfieldApp, index: int) -> None:
    """The tour checks now (as its timer does) and is still on lesson ``index``."""
    await pilot.pause()
    app.check_tour()
    assert step(app) == index, f"moved on from lesson {index + 1} before it was done"


async def moves(pilot, app: HopfieldApp, index: int) -> None:
    """The tour moves on from lesson ``index`` by itself, its timer seeing it done."""
    await until(pilot, lambda: step(app) == index + 1, f"lesson {index + 1} to be done")


def panel_text(screen) -> str:
    panel = screen.query_one(TourPanel)
    parts = [str(panel.border_title), str(panel.border_subtitle)]
    parts += [str(static.render()) for static in panel.query("Static")]
    return "\n".join(parts)


async def choose_rule(pilot, app: HopfieldApp, name: str) -> None:
    """ctrl+l, the rule ``name`` picked with the keys, Apply."""
    await pilot.press("ctrl+l")
    await until(pilot, lambda: isinstance(app.screen, LearningPrompt), "the learning dialog")
    rules = app.screen.query_one("#rule", Select)
    names = [value for _, value in rules._options]
    moves = names.index(name) - names.index(rules.value)
    await pilot.press("enter", *(["down"] * moves if moves > 0 else ["up"] * -moves), "enter")
    assert rules.value == name
    await pilot.click("#apply")
    await until(pilot, lambda: isinstance(app.screen, MagnetsScreen), "the dialog to close")
    await wait_for_jobs(pilot)
    await until(pilot, lambda: app.network.rule.name == name, f"the rule {name}")


async def break_and_recall(pilot, app: HopfieldApp) -> None:
    await pilot.press("1", "b")
    assert app.magnets.workspace.state == "broken"
    await pilot.press("r")


async def type_number(pilot, text: str) -> None:
    await pilot.press("end", *["backspace"] * 6, *text)


async def test_a_learner_walks_the_whole_tour_at_80x24():
    app = HopfieldApp(32, 32, seed=1, tour=True)
    async with app.run_test(size=(80, 24)) as pilot:
        magnets = app.magnets
        workspace = magnets.workspace
        await until(pilot, lambda: magnets.query(TourPanel), "the tour's panel")
        assert step(app) == 0
        assert "tour 1/11" in panel_text(magnets)
        await until(pilot, lambda: "0 of 3 memories" in panel_text(magnets), "its progress")

        # 1. Three pictures. Two are not enough; leaving and coming back keeps the step.
        await pilot.press("1", "2")
        await stays(pilot, app, 0)
        await pilot.press("ctrl+n")
        assert not app.tour_open and not magnets.query(TourPanel)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: magnets.query(TourPanel), "the panel back")
        await stays(pilot, app, 0)
        await pilot.press("3")
        await moves(pilot, app, 0)

        # 2. Break the smiley: showing it is not breaking it.
        await pilot.press("1")
        await stays(pilot, app, 1)
        await pilot.press("b")
        await moves(pilot, app, 1)

        # 3. Recall: done only once it ends on the memory, the energy lower.
        await pilot.press(*["plus"] * len(SPEEDS))  # the fastest: instant
        await stays(pilot, app, 2)
        await pilot.press("r")
        await moves(pilot, app, 2)
        outcome = workspace.last_recall
        assert outcome is not None and outcome.recalled == "smile"
        assert outcome.end_energy < outcome.start_energy

        # 4. Temperature: T = 1 alone is not it; the recall must melt.
        await pilot.press(*["right_square_bracket"] * 20)
        assert workspace.temperature == 1.0
        await stays(pilot, app, 3)
        await pilot.press("r")
        await moves(pilot, app, 3)

        # 5. Capacity: cool down (the recall settles), overload to 0.2, break and recall.
        await pilot.press("t")
        await until(pilot, lambda: not workspace.recalling, "the recall to settle")
        await stays(pilot, app, 4)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, NumberPrompt), "the overload's prompt")
        await type_number(pilot, "0.2")
        await pilot.press("enter")
        await until(pilot, lambda: workspace.network.count == 205, "the overload")
        await stays(pilot, app, 4)
        await break_and_recall(pilot, app)
        await moves(pilot, app, 4)
        assert workspace.last_recall.ended.startswith("spurious")

        # 6. A better rule: switching is not enough, its recall must end on the smiley.
        await choose_rule(pilot, app, "pseudo-inverse")
        await stays(pilot, app, 5)
        await break_and_recall(pilot, app)
        await moves(pilot, app, 5)

        # 7. Dense memory (degree 3 is the dialog's first offer).
        await choose_rule(pilot, app, "dense")
        assert app.network.rule.degree == 3
        await stays(pilot, app, 6)
        await break_and_recall(pilot, app)
        await moves(pilot, app, 6)

        # 8. The modern network.
        await choose_rule(pilot, app, "modern")
        await stays(pilot, app, 7)
        await break_and_recall(pilot, app)
        await moves(pilot, app, 7)

        # 9. The Boltzmann machine: forget all, four pictures, train (16 hidden units).
        await pilot.press("ctrl+f", "y")
        await until(pilot, lambda: workspace.network.count == 0, "every memory forgotten")
        await pilot.press("1", "2", "3", "4", "ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, BoltzmannScreen), "the machine")
        machine_screen = app.screen
        await until(pilot, lambda: machine_screen.query(TourPanel), "the panel on its screen")
        await until(pilot, lambda: "tour 9/11" in panel_text(machine_screen), "lesson 9 there")
        await stays(pilot, app, 8)
        await pilot.click("#bm-hidden")
        await type_number(pilot, "16")
        await pilot.click("#bm-epochs")
        await type_number(pilot, "300")
        await pilot.press("ctrl+r")
        await moves(pilot, app, 8)
        machine = workspace.boltzmann
        assert machine is not None and machine.hidden == 16 and len(machine.history) == 300

        # 10. A dream, to its end (frames sped up: the dream itself is the same).
        machine_screen.frame_seconds = 0.005
        await stays(pilot, app, 9)
        await pilot.press("d")  # the focus is in the epochs' field: a digit field takes no d
        await stays(pilot, app, 9)
        assert not machine_screen.sampling
        await pilot.click("#bm-dream")
        await moves(pilot, app, 9)

        # 11. Recall with the machine: a recall of the whole smiley does not count.
        await pilot.press("r")
        await until(pilot, lambda: machine_screen.verdict, "the machine's recall")
        await stays(pilot, app, 10)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MagnetsScreen), "the magnets")
        await pilot.press("1", "w")
        assert workspace.state == "broken"
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, BoltzmannScreen), "the machine again")
        app.screen.frame_seconds = 0.005
        # Colder than the machine's own T = 1 (three steps: 0.3), as a learner would try
        # when a recall at T = 1 blurs: a small machine samples less sharply.
        await pilot.press(*["left_square_bracket"] * 3)
        assert app.screen.temperature == 0.3
        await pilot.press("r")
        await moves(pilot, app, 10)
        assert workspace.boltzmann_run.verdict.startswith("recalled smile")
        assert app.tour.done
        await until(pilot, lambda: "all 11 steps done" in panel_text(app.screen), "the end")
        # The grid was never covered: the panel sits in the side panel, beside the board.
        board = magnets.query_one("#board").region
        tour = magnets.query_one(TourPanel).region
        assert not board.overlaps(tour)
        assert board.width >= 34 and board.height >= 18  # 32x32 at zoom 1 and its border


async def test_the_tour_panel_never_covers_the_grid_at_120x40():
    app = HopfieldApp(32, 32, seed=1, tour=True)
    async with app.run_test(size=(120, 40)) as pilot:
        magnets = app.magnets
        await until(pilot, lambda: magnets.query(TourPanel), "the tour's panel")
        await pilot.pause()
        board = magnets.query_one("#board").region
        tour = magnets.query_one(TourPanel).region
        assert not board.overlaps(tour)
        assert magnets.grid.zoom >= 2
        assert "not yet: 0 of 3 memories" in panel_text(magnets)


def test_the_tour_option_starts_the_app_with_the_tour_and_without_the_intro(monkeypatch):
    from tui_hopfield import cli

    started = {}

    def fake_run(self):
        started["tour"], started["intro"] = self.start_tour, self.intro

    monkeypatch.setattr(HopfieldApp, "run", fake_run)
    assert cli.main(["--tour"]) == 0
    assert started == {"tour": True, "intro": False}
    assert cli.main([]) == 0
    assert started["tour"] is False


async def test_ctrl_n_opens_the_tour_and_shows_the_side_panel_hidden():
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        magnets = app.magnets
        await pilot.press("z")
        assert not magnets.side_shown
        await pilot.press("ctrl+n")
        await until(pilot, lambda: magnets.query(TourPanel), "the tour's panel")
        assert app.tour_open and magnets.side_shown and step(app) == 0
        await pilot.press("1", "2", "3")
        await moves(pilot, app, 0)
        await pilot.press("ctrl+n")
        assert not app.tour_open and not magnets.query(TourPanel)
        await pilot.press("ctrl+n")  # back at the step it was left on
        await until(pilot, lambda: magnets.query(TourPanel), "the panel back")
        assert step(app) == 1
        assert "tour 2/11" in panel_text(magnets)


async def test_a_lesson_done_on_the_machines_screen_gives_no_toast_over_its_panel():
    """There the tour's panel is docked at the bottom, where toasts are: the notice that a
    lesson is done is given on the main screen only."""
    from tui_hopfield.model.patterns import library

    app = HopfieldApp(32, 32, seed=1, tour=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: app.magnets.query(TourPanel), "the tour's panel")
        await pilot.press("1", "2")
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, BoltzmannScreen), "the machine")
        app.magnets.workspace.network.imprint(library(32, 32)[2].spins, "star")
        await moves(pilot, app, 0)
        assert not [n for n in app._notifications if "Tour: done" in n.message]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MagnetsScreen), "the magnets")
        await pilot.press("b")
        await moves(pilot, app, 1)
        assert [n for n in app._notifications if "Tour: done" in n.message]


async def test_leaving_the_tour_gives_the_controls_their_room_back_at_80x24():
    app = HopfieldApp(32, 32, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        magnets = app.magnets
        await pilot.press("1", "2", "3")
        await pilot.pause()
        controls = magnets.query_one("#controls")
        before = (controls.styles.max_height, controls.region.height)
        assert before[1] >= 5  # the buttons, temperature, speed, learning, energy
        await pilot.press("ctrl+n")
        await until(pilot, lambda: magnets.query(TourPanel), "the tour's panel")
        await pilot.pause()
        assert controls.region.height < before[1]  # the tour took room from them
        await pilot.press("ctrl+n")
        await until(pilot, lambda: not magnets.query(TourPanel), "the panel gone")
        for _ in range(10):
            await pilot.pause()
        assert (controls.styles.max_height, controls.region.height) == before
