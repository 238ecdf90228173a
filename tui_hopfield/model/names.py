"""Names are text: one line of visible characters, and file names safe to write.

A memory's name comes from a session file, an image's file name, a text or the
keyboard, and is drawn on the terminal. Control characters in it would go to
the terminal as they are: ``ESC ] 0 ; ... BEL`` sets the window title,
``ESC ] 52 ; c ; ...`` writes the clipboard, ``ESC [ 6n`` makes the terminal
type an answer, a newline breaks the layout, and bidi overrides reorder what
is shown. The rule, applied by ``visible`` to every character:

- tab and the characters that break a line (``\\n \\r \\v \\f``, the separators
  ``\\x1c``-``\\x1f``, NEL ``\\x85``, U+2028 and U+2029) become a space;
- every other C0 control becomes its visible control picture (ESC is ``␛``,
  NUL ``␀``, BEL ``␇``) and DEL becomes ``␡``;
- C1 controls (U+0080-U+009F, of which ``\\x9b`` is a one-byte CSI), lone
  surrogates (undecodable bytes of a file name) and the invisible format
  characters (Unicode category Cf: the bidi marks, embeddings, overrides and
  isolates U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, U+061C, zero-width
  spaces, the BOM, the soft hyphen, tags) become U+FFFD ``�``; only the
  zero-width joiner and non-joiner are kept, which emoji and some scripts need.

``clean_name`` applies it, trims the ends and cuts the name to ``MAX_LENGTH``;
it changes nothing in a name that is already clean, so cleaning twice is
cleaning once. ``safe_slug`` makes a file name from a name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

MAX_LENGTH = 200
"""The longest name, in characters (what a session file allows)."""
SLUG_LENGTH = 60
"""The longest file name ``safe_slug`` makes, in characters (at most 240 bytes of UTF-8)."""
ELLIPSIS = "\u2026"
"""Ends a name that was cut."""
REPLACEMENT = "\ufffd"
"""Stands for a character that cannot be shown."""

_KEPT_FORMATS = frozenset("\u200c\u200d")
_LINE_BREAKS = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u2028\u2029")


def _picture(code: int) -> str:
    """What a C0 control (or DEL) is drawn as."""
    if chr(code) in _LINE_BREAKS:
        return " "
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


_ASCII = {code: _picture(code) for code in (*range(0x20), 0x7F)}
_ASCII_LINES = {**_ASCII, ord("\n"): "\n"}


def _shown(char: str, newlines: bool) -> str:
    """What one non-ASCII character is drawn as."""
    if char in _LINE_BREAKS:
        return "\n" if newlines and char in "\x85\u2028\u2029" else " "
    category = unicodedata.category(char)
    if category in ("Cc", "Cs") or (category == "Cf" and char not in _KEPT_FORMATS):
        return REPLACEMENT
    return char


def visible(text: str, *, newlines: bool = False) -> str:
    """``text`` with every control and invisible format character made visible or a space.

    The rule is the module's. With ``newlines`` a newline (and NEL, U+2028,
    U+2029) stays a line break, for a message of several lines; every other
    character keeps its place, so the text keeps its length.
    """
    if text.isascii():
        return text.translate(_ASCII_LINES if newlines else _ASCII)
    table = _ASCII_LINES if newlines else _ASCII
    return "".join(
        table.get(ord(char), char) if char < "\x80" else _shown(char, newlines) for char in text
    )


def clean_name(text: str, limit: int = MAX_LENGTH) -> str:
    """A name as one line of plain, visible text, trimmed, at most ``limit`` characters.

    Controls become visible or spaces by the module's rule; a longer name is
    cut and ends in ``…``. The result may be empty (a name of spaces alone):
    callers that need a name refuse it or take another.
    """
    name = visible(str(text)).strip()
    if len(name) > limit:
        name = name[: limit - 1].rstrip() + ELLIPSIS
    return name


def numbered(stem: str, number: int, limit: int = MAX_LENGTH) -> str:
    """``stem`` for 1, else ``stem 2``, ``stem 3``..., the stem cut so that it fits ``limit``."""
    if number == 1:
        return clean_name(stem, limit)
    suffix = f" {number}"
    return clean_name(stem, max(1, limit - len(suffix))) + suffix


def unique_names(stem: str, taken: Iterable[str], count: int) -> list[str]:
    """``count`` names not ``taken`` nor repeated: ``stem``, ``stem 2``, ``stem 3``...

    The stem is cleaned first (an empty one is ``memory``) and cut so that a
    numbered name is no longer than a name may be.
    """
    stem = clean_name(stem) or "memory"
    taken = set(taken)
    names: list[str] = []
    number = 1
    while len(names) < count:
        name = numbered(stem, number)
        if name not in taken:
            names.append(name)
        number += 1
    return names


def clean_names(names: Iterable[str], fallback: str = "memory") -> list[str]:
    """Every name cleaned; an empty one becomes ``fallback``, and none is repeated.

    A name that cleaning makes equal to an earlier one is numbered
    (``name 2``...) with a number no other name in the list has, so a list of
    distinct names stays as long and distinct.
    """
    cleaned = [clean_name(name) or clean_name(fallback) or "memory" for name in names]
    reserved = set(cleaned)
    used: set[str] = set()
    result: list[str] = []
    for name in cleaned:
        if name in used:
            number = 2
            while numbered(name, number) in reserved or numbered(name, number) in used:
                number += 1
            name = numbered(name, number)
        used.add(name)
        result.append(name)
    return result


_SLUG_KEEP = frozenset(" -_.,+=@()&'!#%~")
_RESERVED_FILES = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{k}" for k in range(10)), *(f"LPT{k}" for k in range(10))}
)


def safe_slug(name: str, fallback: str = "memory") -> str:
    """A file name made from ``name``: never a path, never hidden, never empty.

    Letters and digits (of any script) and a few harmless marks (``-_.,+=@()``
    and the like) stay; every run of other characters (``/``, ``\\``, ``:``,
    controls, quotes...) becomes one ``-``; runs of dots become one dot; dots,
    dashes and spaces are trimmed from both ends, so there is no ``..``, no
    leading dot and no separator. At most ``SLUG_LENGTH`` characters; a name
    with nothing left gives ``fallback`` (which should itself be a safe file name);
    a name Windows reserves (``CON``, ``NUL``...) gets an underscore in front.
    """
    parts: list[str] = []
    for char in clean_name(name):
        keep = (char.isalnum() or char in _SLUG_KEEP) and char != REPLACEMENT
        if keep and not (char == "." and parts and parts[-1] == "."):
            parts.append(char)
        elif not keep and (not parts or parts[-1] != "-"):
            parts.append("-")
    slug = "".join(parts)[:SLUG_LENGTH].strip(" .-")
    if not slug:
        return fallback
    if slug.split(".")[0].upper() in _RESERVED_FILES:
        slug = f"_{slug}"
    return slug
