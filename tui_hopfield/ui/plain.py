"""Text from files and users, shown as it is: never markup, never a control sequence.

Textual reads a ``str`` given to a label, a border title, a button or a
palette entry as markup, and its ``Content`` removes only a few controls
(BEL, BS, VT, FF, CR): an ESC in a path or a file's error text would still
reach the terminal. ``plain`` makes such text ``Content`` with every control
made visible (``names.visible``).
"""

from __future__ import annotations

from textual.content import Content

from tui_hopfield.model.names import visible


def plain(text: str, *, newlines: bool = True) -> Content:
    """``text`` as content that is never markup, its controls made visible.

    With ``newlines`` (the default) line breaks stay, for messages of several
    lines; without, every line break becomes a space, for one-line titles.
    """
    return Content(visible(str(text), newlines=newlines))
