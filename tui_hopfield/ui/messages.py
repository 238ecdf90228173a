"""Every message the widgets post, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui_hopfield.ui.slider import Slider


class SpinsPainted(Message):
    """The user painted spins on the grid, with the mouse or the keyboard."""

    def __init__(self, indices: tuple[int, ...], value: int) -> None:
        super().__init__()
        self.indices = indices
        """Flat indices of the spins painted."""
        self.value = value
        """The value painted: +1 (north) or -1 (south)."""


class SliderChanged(Message):
    """A slider's value changed."""

    def __init__(self, slider: Slider, value: float) -> None:
        super().__init__()
        self.slider = slider
        """The slider that changed."""
        self.value = value
        """Its new value."""

    @property
    def control(self) -> Slider:
        """The slider that changed (for ``@on(SliderChanged, "#id")``)."""
        return self.slider


class GridViewChanged(Message):
    """The spin grid's zoom, its fit in the window, or its brush changed."""

    def __init__(self, zoom: int, fits: bool, brush: int = 0) -> None:
        super().__init__()
        self.zoom = zoom
        """Columns (and half-rows) per spin; 1 is the half-block view."""
        self.fits = fits
        """Whether the whole grid is on screen without scrolling."""
        self.brush = brush
        """What moving the cursor paints: +1 north, -1 south, 0 nothing."""

    @property
    def description(self) -> str:
        """``half-block view``, ``zoom 4``, ``scroll to pan``, ``brush north``..."""
        parts = ["half-block view" if self.zoom == 1 else f"zoom {self.zoom}"]
        if not self.fits:
            parts.append("scroll to pan")
        if self.brush:
            parts.append(f"brush {'north' if self.brush > 0 else 'south'}")
        return ", ".join(parts)


class MemoryAction(Message):
    """The user chose something to do with one memory in the memory panel's menu.

    The screen applies it: ``reinforce`` calls ``network.reinforce(index, times)``,
    ``forget`` ``network.forget(index)``, ``rename`` ``network.rename(index, name)``
    and ``show`` puts the memory's picture on the grid.
    """

    def __init__(
        self, index: int, action: str, *, times: float = 1.0, name: str = "", memory: str = ""
    ) -> None:
        super().__init__()
        self.index = index
        """Position of the memory in the network's list."""
        self.action = action
        """``"reinforce"``, ``"forget"``, ``"rename"`` or ``"show"``."""
        self.times = times
        """How many times over to reinforce (positive, may be fractional)."""
        self.name = name
        """The new name, for ``rename``; empty otherwise."""
        self.memory = memory
        """The memory's name when the menu opened, to check that ``index`` still means it."""
