"""The guided tour's panel: the lesson, what to do, and whether the app sees it done.

The tour itself (``model.tour``) knows no screen; ``TourRunner`` (a mixin of the
app) keeps it, opens and closes it (``ctrl+n``), and checks it a few times a
second against the main screen's workspace, moving on when a lesson's check holds.
The panel sits in the main screen's side panel, above the controls (never over the
grid), and at the bottom of the Boltzmann machine's screen, where the last lessons
are done.
"""

from __future__ import annotations

from contextlib import suppress

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from tui_hopfield.model.tour import Progress, Tour
from tui_hopfield.ui.plain import plain

CHECK_SECONDS = 0.2
"""How often the tour checks the app's state while it is open."""
FINISHED = (
    "That was the tour: Hopfield's magnets and Hinton's machine. ? lists every key;"
    " ctrl+p finds every action by name."
)
"""What the panel says once every lesson is done."""
TOUR_ID = "tour"
"""The panel's id, on whichever screen shows it."""


class TourPanel(Vertical):
    """One lesson of the tour: step k of n, its science, what to do, and whether it is done."""

    DEFAULT_CSS = """
    TourPanel {
        height: auto;
        border: round $accent;
        border-title-color: $text;
        border-subtitle-color: $text-muted;
        padding: 0;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    TourPanel .tour-text {
        color: $text;
    }
    TourPanel #tour-instruction {
        text-style: bold;
    }
    TourPanel.-done {
        border-subtitle-color: $success;
    }
    TourPanel.-bottom {
        max-height: 8;
    }
    #body.-below TourPanel {
        width: 1fr;
        height: 100%;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="tour-instruction")
        yield Static("", id="tour-text", classes="tour-text")

    _shown: tuple[object, ...] | None = None

    def on_mount(self) -> None:
        """Show the lesson as soon as the panel is there."""
        check = getattr(self.app, "check_tour", None)
        if check is not None:
            self.call_after_refresh(check)

    def show(self, tour: Tour, progress: Progress) -> None:
        """Show ``tour``'s lesson and what its check found; nothing is repainted when
        nothing changed."""
        shown = (tour.index, progress)
        if shown == self._shown or not self.is_mounted:
            return
        with suppress(NoMatches):  # mounted, not composed yet: shown at the next check
            self._show(tour, progress)
            self._shown = shown

    def _show(self, tour: Tour, progress: Progress) -> None:
        lesson = tour.lesson
        count = len(tour.lessons)
        text = self.query_one("#tour-text", Static)
        instruction = self.query_one("#tour-instruction", Static)
        if lesson is None:
            self.border_title = f"tour \u00b7 all {count} steps done"
            self.border_subtitle = "ctrl+n: close"
            text.update(plain(FINISHED))
            instruction.display = False
            return
        instruction.display = True
        self.border_title = plain(f"tour {tour.index + 1}/{count}: {lesson.title}")
        # The check's news in the bottom border: seen however the text scrolls.
        said = "\u2713 done" if progress.done else "not yet"
        self.border_subtitle = plain(f"{said}: {progress.now}")
        self.set_class(progress.done, "-done")
        text.update(plain(lesson.text))
        leave = " (ctrl+n leaves the tour, and comes back here)" if tour.index == 0 else ""
        instruction.update(plain(f"\u25b6 {lesson.instruction}{leave}"))


class TourRunner:
    """A mixin for the app: the tour, its key, and the timer that checks it."""

    tour: Tour | None = None
    """The tour, once opened (kept when closed: it opens again at the same step)."""
    tour_open: bool = False
    """Whether the tour's panel shows."""
    _tour_timer: Timer | None = None

    def action_tour(self) -> None:
        """Open the guided tour (at the step it was left on), or leave it."""
        if self.tour_open:
            self.close_tour()
        else:
            self.open_tour()

    def open_tour(self) -> None:
        """Show the tour's panel and check it a few times a second."""
        if self.tour is None:
            self.tour = Tour()
        self.tour_open = True
        magnets = self.magnets
        if not magnets.side_shown:  # the tour shows in the side panel
            magnets.action_sidebar()
        if self._tour_timer is None:
            self._tour_timer = self.set_interval(CHECK_SECONDS, self.check_tour)
        self.check_tour()

    def close_tour(self) -> None:
        """Hide the tour's panel; its step is kept for the next time."""
        self.tour_open = False
        if self._tour_timer is not None:
            self._tour_timer.stop()
            self._tour_timer = None
        for screen in self.screen_stack:
            for panel in screen.query(TourPanel):
                panel.display = False  # gone for the arrangement now, removed after
                panel.remove()
            _arranged(screen)

    def check_tour(self) -> None:
        """Check the lesson against the workspace; move on when it is done; show it on the
        main screen and on the Boltzmann machine's (a dialog on top leaves them be)."""
        tour = self.tour
        if not self.tour_open or tour is None:
            return
        from tui_hopfield.ui.boltzmann_screen import BoltzmannScreen
        from tui_hopfield.ui.magnets_screen import MagnetsScreen

        workspace = self.magnets.workspace
        lesson = tour.lesson
        if tour.update(workspace) and lesson is not None:
            following = tour.lesson
            then = f" Next: {following.title}." if following is not None else " The tour is done."
            if not isinstance(self.screen, BoltzmannScreen):
                # There a toast would sit on the tour's panel, docked at the bottom; the
                # panel's own title says the lesson moved on.
                self.notify(f"Tour: done, {lesson.title}.{then}", timeout=5)
        progress = tour.progress(workspace)
        for screen in self.screen_stack:
            if isinstance(screen, MagnetsScreen | BoltzmannScreen) and screen.is_mounted:
                _panel(screen).show(tour, progress)


def _panel(screen: Screen) -> TourPanel:
    """The tour's panel on ``screen``, mounted there first if it has none."""
    with suppress(NoMatches):
        return screen.query_one(f"#{TOUR_ID}", TourPanel)
    panel = TourPanel(id=TOUR_ID)
    side = screen.query("#side")
    if side:
        side.first().mount(panel, before=0)
    else:
        panel.add_class("-bottom")
        screen.mount(panel)
    _arranged(screen)
    return panel


def _arranged(screen: Screen) -> None:
    """Let the main screen fit its side panel around the tour's (or around its absence)."""
    arrange = getattr(screen, "arrange_tour", None)
    if arrange is not None:
        screen.call_after_refresh(arrange)
