"""A slider for a real number, driven by keys, clicks and drags."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

TRACK = "\u2501"
THUMB = "\u25cf"


class Slider(Widget, can_focus=True):
    """A horizontal slider from ``minimum`` to ``maximum`` in steps of ``step``.

    Left/Right (or h/l) move one step, Page Up/Down ten, Home/End to the ends;
    a click puts the thumb under the pointer and a drag carries it along.
    The value is shown with two decimals. Posts ``Slider.Changed`` when the user
    moves it (not when code sets ``value``).
    """

    class Changed(Message):
        """A slider's value changed."""

        def __init__(self, slider: Slider, value: float) -> None:
            super().__init__()
            self.slider = slider
            """The slider that changed."""
            self.value = value
            """Its new value."""

        @property
        def control(self) -> Slider:
            """The slider that changed (for ``@on(Slider.Changed, "#id")``)."""
            return self.slider

    COMPONENT_CLASSES = {"slider--track", "slider--filled", "slider--thumb", "slider--value"}
    """The empty track, the part left of the thumb, the thumb, and the number."""

    BINDINGS = [
        Binding("left,h", "step(-1)", "Less", show=False),
        Binding("right,l", "step(1)", "More", show=False),
        Binding("pagedown", "step(-10)", "Much less", show=False),
        Binding("pageup", "step(10)", "Much more", show=False),
        Binding("home", "to_end(0)", "Minimum", show=False),
        Binding("end", "to_end(1)", "Maximum", show=False),
    ]

    DEFAULT_CSS = """
    Slider {
        height: 1;
        width: 1fr;
    }
    """

    value: reactive[float] = reactive(0.0)
    """The current value, always within the range and on a step."""

    def __init__(
        self,
        value: float = 0.0,
        *,
        minimum: float = 0.0,
        maximum: float = 1.0,
        step: float = 0.01,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.minimum = minimum
        """The value at the left end."""
        self.maximum = maximum
        """The value at the right end."""
        self.step = step
        """The smallest change."""
        self._dragging = False
        self.set_reactive(Slider.value, self.clamp(value))

    def clamp(self, value: float) -> float:
        """``value`` brought into range and rounded to a step."""
        value = min(max(value, self.minimum), self.maximum)
        steps = round((value - self.minimum) / self.step)
        return round(self.minimum + steps * self.step, 10)

    def validate_value(self, value: float) -> float:
        return self.clamp(value)

    def move_to(self, value: float) -> None:
        """Set the value as the user did, and say so with ``Slider.Changed``.

        Setting ``value`` directly (as code that mirrors a model does) posts
        nothing, so a mirror and the slider can never chase each other.
        """
        self.value = value
        self.post_message(self.Changed(self, self.value))

    @property
    def _track_width(self) -> int:
        return max(2, self.size.width - 6)

    def render(self) -> Text:
        width = self._track_width
        span = self.maximum - self.minimum
        position = round((self.value - self.minimum) / span * (width - 1)) if span else 0
        text = Text(no_wrap=True, overflow="crop")
        text.append(TRACK * position, self.get_component_rich_style("slider--filled"))
        text.append(THUMB, self.get_component_rich_style("slider--thumb"))
        text.append(TRACK * (width - 1 - position), self.get_component_rich_style("slider--track"))
        text.append(f" {self.value:5.2f}", self.get_component_rich_style("slider--value"))
        return text

    def _value_at(self, x: float) -> float:
        fraction = min(max(x / (self._track_width - 1), 0.0), 1.0)
        return self.minimum + fraction * (self.maximum - self.minimum)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        event.stop()
        self.focus()
        self._dragging = True
        self.capture_mouse()
        self.move_to(self._value_at(event.x))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            event.stop()
            self.move_to(self._value_at(event.x))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            event.stop()
            self._dragging = False
            self.release_mouse()

    def action_step(self, steps: int) -> None:
        """Move the value by a number of steps."""
        self.move_to(self.value + steps * self.step)

    def action_to_end(self, end: int) -> None:
        """Jump to the minimum (0) or the maximum (1)."""
        self.move_to(self.maximum if end else self.minimum)
