"""The command palette's app commands, with titles and help as plain text.

Textual's own provider reads every command's title and help as markup
(``Content.from_markup`` in ``Matcher.highlight`` and in the palette's
prompt), and some titles hold memory names: a name ``[/]`` or
``[link=x]x[/link]`` crashed the palette, and ``[@click=...]`` made text that
runs actions. Markup escaping does not cover every case (``textual.markup.escape``
leaves ``/tmp/[/x`` a markup error), so this provider never parses them: a
title becomes ``Content`` with the matched letters highlighted, the help
``Content`` too (``Hit.help`` is typed ``str``, but the palette passes it to
``Content.from_markup``, which returns a ``Content`` as it is).
"""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Matcher
from textual.content import Content
from textual.system_commands import SystemCommandsProvider

from tui_hopfield.ui.plain import plain


def highlighted(matcher: Matcher, title: str) -> Content:
    """The plain ``title`` with the letters the query matched highlighted."""
    content = plain(title, newlines=False)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    if score:
        for offset in offsets:
            if not title[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class PlainCommands(SystemCommandsProvider):
    """``App.get_system_commands`` in the palette, titles and help shown literally."""

    async def discover(self) -> Hits:
        """Every discoverable command, sorted by title."""
        commands = sorted(self.app.get_system_commands(self.screen), key=lambda command: command[0])
        for title, help_text, callback, discover in commands:
            if discover:
                hit = DiscoveryHit(plain(title, newlines=False), callback, text=title)
                hit.help = plain(help_text, newlines=False)  # type: ignore[assignment]
                yield hit

    async def search(self, query: str) -> Hits:
        """The commands whose titles match ``query``."""
        matcher = self.matcher(query)
        for title, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            if (score := matcher.match(title)) > 0:
                hit = Hit(score, highlighted(matcher, title), callback, text=title)
                hit.help = plain(help_text, newlines=False)  # type: ignore[assignment]
                yield hit
