"""Guards against crashes inside Textual 8.2.8 that the app's fuzz and small terminals found.

Each guard is the smallest change in our code that keeps the app alive; each has a
regression test in ``tests/test_recovery.py`` (search for its name). ``fold_toasts``
is no crash guard but installed the same way: toasts wrap long paths at their
separators (``tests/test_dialogs.py``).
"""

from __future__ import annotations

import asyncio
import functools

from rich.align import Align
from rich.text import Text
from textual import events
from textual.await_complete import AwaitComplete
from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets._toast import Toast
from textual.widgets.option_list import Option

from tui_hopfield.ui.path_text import PathText


def guard_zero_width_text() -> None:
    """Let text be laid out in no width at all, as one cell, instead of crashing.

    A widget squeezed to no content width (a dialog's three buttons at 18-24
    columns, an option list narrower than its padding) makes Textual wrap its text
    at width 0 or less, and Rich's ``chop_cells`` raises ``ValueError: range() arg
    3 must not be zero`` from the layout: the whole app dies. The same when a
    button 2 cells wide draws its label inside a ``line-pad`` of 1 on each side.
    Nothing readable fits there anyway: the text is wrapped at one cell at
    least, inside what padding leaves room. Installed once, when the app module
    is imported.
    """
    original = Content._wrap_and_format
    if getattr(original, "guarded", False):
        return

    @functools.wraps(original)
    def wrap_and_format(self: Content, width: int, *args, **kwargs):
        width = max(width, 1)
        # The line's padding (a button's ``line-pad``) leaves at least one cell of text.
        most = (width - 1) // 2
        if "line_pad" in kwargs:
            kwargs["line_pad"] = min(kwargs["line_pad"], most)
        elif len(args) > 3:
            args = (*args[:3], min(args[3], most), *args[4:])
        return original(self, width, *args, **kwargs)

    wrap_and_format.guarded = True  # type: ignore[attr-defined]
    Content._wrap_and_format = wrap_and_format  # type: ignore[method-assign]


def guard_stale_option_click() -> None:
    """Ignore a click on an option list row that no longer exists, and page keys
    in an option list that has no room to show one.

    A click carries the option index drawn under the pointer; when the list was
    refilled with fewer options in between (the palette's commands narrowing as
    one types), ``OptionList._on_click`` indexed past the end: ``IndexError``
    (fuzz seed 1). Akin to Textualize/textual#3270 (the hover of a removed
    option), fixed there for hovering only. Installed once, with the app module.
    """
    original = OptionList._on_click
    if getattr(original, "guarded", False):
        return

    @functools.wraps(original)
    async def on_click(self: OptionList, event: events.Click) -> None:
        clicked = event.style.meta.get("option")
        if clicked is not None and not 0 <= clicked < self.option_count:
            return
        await original(self, event)

    on_click.guarded = True  # type: ignore[attr-defined]
    OptionList._on_click = on_click  # type: ignore[method-assign]

    # Page up / down in an option list with no room for a line (a Select's overlay
    # or the palette on a few rows) read the line of an option never laid out:
    # KeyError in _move_page (see Palette below and the fuzz's default seed).
    move_page = OptionList._move_page

    @functools.wraps(move_page)
    def guarded_move_page(self: OptionList, direction) -> None:
        if not self.scrollable_content_region:
            return
        if (self.highlighted or 0) not in self._index_to_line:
            return
        move_page(self, direction)

    OptionList._move_page = guarded_move_page  # type: ignore[method-assign]


def guard_palette_dismiss() -> None:
    """Close any command palette (ours, and Textual's own, such as the theme
    picker) only while it is the top screen and has not given its result yet.

    A second closing event that reaches a palette after another screen was
    pushed over it (ctrl+q while it is open, then a click queued for it), or
    after it already gave its result (fuzz seed 6: a click on the background
    of Textual's own palette), dismissed it again: Textual called its result
    callback a second time (``InvalidStateError``) or popped the screen above
    it. One not on top is left alone; one that answered already is closed
    without answering again. Installed once, with the app module.
    """
    original = CommandPalette.dismiss
    if getattr(original, "guarded", False):
        return

    @functools.wraps(original)
    def dismiss(self: CommandPalette, result: object = None) -> AwaitComplete:
        callbacks = self._result_callbacks
        answered = (
            bool(callbacks) and callbacks[-1].future is not None and (callbacks[-1].future.done())
        )
        if not self.is_active:
            return AwaitComplete(asyncio.sleep(0))
        if answered:
            return self.app.pop_screen()  # closed, without answering twice
        return original(self, result)

    dismiss.guarded = True  # type: ignore[attr-defined]
    CommandPalette.dismiss = dismiss  # type: ignore[method-assign]


class Palette(CommandPalette):
    """The command palette, safe on tiny terminals and against late events.

    - Page up / page down on a list that has no room to show a line (a terminal
      of 4 rows or fewer) raised ``KeyError`` in ``OptionList._move_page``: the
      list lays out no lines while its region is empty (the early exit of
      ``OptionList._update_lines``, as in Textualize/textual#5794), yet paging
      reads the line of the highlighted option. With no room there is no page
      to move by, so the keys do nothing.
    - A second closing event that reaches the palette after another screen was
      pushed over it (ctrl+q while it is open, then a click queued for it)
      dismissed it again: Textual called its result callback a second time
      (``InvalidStateError``) and popped the screen above it. A palette that is
      not on top ignores it (``guard_palette_dismiss``, for every palette).
    - The worker that gathers commands, and the timer that shows "No matches
      found", can fire after the palette was closed and its children removed;
      they then raised ``NoMatches`` (no ``CommandList``). They do nothing then.
    """

    def _action_command_list(self, action: str) -> None:
        if action in ("page_up", "page_down"):
            commands = self.query_one(CommandList)
            if not commands.scrollable_content_region:
                return
        super()._action_command_list(action)

    def _watch__list_visible(self) -> None:
        if self._whole:
            super()._watch__list_visible()

    @property
    def _whole(self) -> bool:
        """Whether the palette still has its list and input (not being taken down)."""
        return bool(self.query(CommandList)) and bool(self.query("#--input"))

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's countdown, with its closing check: the timer outlives the list.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if not self._whole:
                return
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text("No matches found", style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def fold_toasts() -> None:
    """Make every toast wrap a long path at its separators (``PathText``).

    The notification keeps its message as said; only the drawing is folded, at the
    toast's width. Installed once, when the app module is imported.
    """
    original = Toast.render
    if getattr(original, "folded", False):
        return

    @functools.wraps(original)
    def render(self: Toast) -> PathText:
        return PathText(original(self))

    render.folded = True  # type: ignore[attr-defined]
    Toast.render = render  # type: ignore[method-assign]
