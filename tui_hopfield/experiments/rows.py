"""A measured row of an experiment's table: its fields in the order of its columns."""

from __future__ import annotations

from typing import ClassVar


class Row:
    """A row whose class names its fields, in table and CSV order, in ``COLUMNS``."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()
    """The field names, in table and CSV order."""

    def values(self) -> tuple[object, ...]:
        """The fields in ``COLUMNS`` order."""
        return tuple(getattr(self, name) for name in self.COLUMNS)
