"""The model: pure numpy and Pillow, never Textual."""

from tui_hopfield.model.analysis import Kind, Verdict, classify
from tui_hopfield.model.dynamics import Asynchronous, Flip, Progress, SweepDone, settle
from tui_hopfield.model.network import CAPACITY, Memory, ModelError, Network
from tui_hopfield.model.patterns import Picture, PictureError, library, load_picture

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
