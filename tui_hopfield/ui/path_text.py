"""Messages that hold paths, wrapped at the path's separators instead of mid-word.

Textual wraps text at spaces only: a path longer than the line is cut wherever the
line ends ("…/tui-hopfield/sessi" / "ons/session-1.hopfield"). ``fold_paths`` wraps a
message itself: at spaces, and a word too long for a line (a path) just after one
of its separators, so every line but the last ends in ``/``. Nothing is added or
lost: the lines joined again give the path back.

``PathText`` is such text as a visual, folded at the width it is drawn in: dialogs'
labels show paths with it, and ``guards.fold_toasts`` makes every toast draw its
message with it (the notification keeps its message as it was said).
"""

from __future__ import annotations

import re

from rich.cells import cell_len, chop_cells
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from tui_hopfield.ui.plain import plain

_PARTS = re.compile(r"[^/\\]*[/\\]|[^/\\]+")
"""A path's parts, each with the separator that ends it (the last may have none)."""


def _pieces(word: str, width: int) -> list[str]:
    """``word`` cut into pieces of at most ``width`` cells, just after its separators;
    a part with no separator that is longer than a line is cut where the line ends."""
    pieces: list[str] = []
    current = ""
    for part in _PARTS.findall(word):
        if cell_len(current + part) <= width:
            current += part
        elif cell_len(part) <= width:
            pieces.append(current)
            current = part
        else:  # no separator to break at: fill the line, cut where it ends
            chopped = chop_cells(current + part, width)
            pieces.extend(chopped[:-1])
            current = chopped[-1]
    if current:
        pieces.append(current)
    return pieces


def fold_paths(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` cells, broken at spaces, and inside a word
    too long for a line (a path) just after a ``/`` or ``\\``.

    Line breaks in ``text`` stay; a width under 1 leaves the text as it is.
    """
    if width < 1:
        return text
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            space = " " if line else ""
            if cell_len(line + space + word) <= width:
                line += space + word
                continue
            if cell_len(word) <= width:
                lines.append(line)
                line = word
                continue
            for k, piece in enumerate(_pieces(word, width)):
                joint = space if k == 0 else ""
                if line and cell_len(line + joint + piece) <= width:
                    line += joint + piece
                else:
                    if line:
                        lines.append(line)
                    line = piece
        lines.append(line)
    return "\n".join(lines)


def fold_content(content: Content, width: int) -> Content:
    """``content`` with the line breaks ``fold_paths`` puts in its text, styles kept."""
    text = content.plain
    folded = fold_paths(text, width)
    if folded == text:
        return content
    cuts: list[int] = []
    spaces: set[int] = set()  # the pieces that are a space a break replaced
    i = 0
    for character in folded:
        if i < len(text) and character == text[i]:
            i += 1
        elif i < len(text) and text[i] == " ":  # a break in place of a space
            spaces.add(len(cuts) + 1)
            cuts += [i, i + 1]
            i += 1
        else:  # a break put in after a separator
            cuts.append(i)
    pieces = content.divide(cuts)
    return Content("\n").join(piece for k, piece in enumerate(pieces) if k not in spaces)


class PathText(Visual):
    """Text from files or users that may hold paths, wrapped by ``fold_paths`` at the
    width it is drawn in. A ``str`` is shown as ``plain`` content (never markup, its
    controls made visible); ``Content`` keeps its styles."""

    def __init__(self, text: str | Content) -> None:
        self.source = text if isinstance(text, Content) else plain(text)
        """The content, unwrapped."""

    def __str__(self) -> str:
        return self.source.plain

    @property
    def plain(self) -> str:
        """The text, unwrapped, as ``Content.plain`` gives it."""
        return self.source.plain

    def content(self, width: int) -> Content:
        """The content, folded to ``width`` cells."""
        return fold_content(self.source, width)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.content(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.source.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.source.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.content(width).get_height(rules, width)
