"""Short texts made of phrases (hints, the board's subtitle) fitted to a width.

A phrase list like ``grid: arrows move, space turns a spin · tab: next`` loses its
last phrases first, whole, so that what shows in a narrow terminal still reads as
words rather than ending mid-word in an ellipsis.
"""

from __future__ import annotations

SEPARATORS = (" \u00b7 ", ", ")
"""Where a text may be cut: between its groups (``·``), then between its phrases."""


def fit_phrases(text: str, width: int) -> str:
    """``text`` with its last phrases dropped until it fits ``width`` cells.

    Cuts at the last separator each time; the first phrase always stays (the
    caller truncates it if even that is too wide). A width of 0 or less (not yet
    laid out) leaves ``text`` as it is.
    """
    if width <= 0:
        return text
    while len(text) > width:
        cuts = [text.rfind(separator) for separator in SEPARATORS]
        cut = max(cuts)
        if cut <= 0:
            break
        text = text[:cut]
    return text
