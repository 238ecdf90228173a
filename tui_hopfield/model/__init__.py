"""The model: pure numpy and Pillow, never Textual.

Its names are imported when first used (PEP 562), so that importing one light
module of the model (``model.errors``, ``model.paths``) does not import numpy:
``tui-hopfield --version`` starts in the time Python does.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing costs what a start should not
if TYPE_CHECKING:
    from tui_hopfield.model.analysis import Kind, Verdict, classify
    from tui_hopfield.model.descent import settle
    from tui_hopfield.model.dynamics import Asynchronous, Flip, Progress, SweepDone
    from tui_hopfield.model.network import CAPACITY, Memory, ModelError, Network
    from tui_hopfield.model.patterns import Picture, PictureError, library, load_picture

_HOMES = {
    "Kind": "analysis",
    "Verdict": "analysis",
    "classify": "analysis",
    "Asynchronous": "dynamics",
    "Flip": "dynamics",
    "Progress": "dynamics",
    "SweepDone": "dynamics",
    "settle": "descent",
    "CAPACITY": "network",
    "Memory": "network",
    "ModelError": "network",
    "Network": "network",
    "Picture": "patterns",
    "PictureError": "patterns",
    "library": "patterns",
    "load_picture": "patterns",
}
"""Each name this package gives, and the module of the model it comes from."""

__all__ = [
    "CAPACITY",
    "Asynchronous",
    "Flip",
    "Kind",
    "Memory",
    "ModelError",
    "Network",
    "Picture",
    "PictureError",
    "Progress",
    "SweepDone",
    "Verdict",
    "classify",
    "library",
    "load_picture",
    "settle",
]


def __getattr__(name: str) -> object:
    from importlib import import_module

    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # found once: the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
