"""Headless studies that return data: the capacity sweep and the "letting go" study.

Used by the command line (``tui-hopfield capacity``, ``tui-hopfield reinforce``)
and by the Lab screen. Numpy and Pillow only, never Textual.
"""

from tui_hopfield.experiments.capacity import (
    CapacityPoint,
    CapacityResult,
    CapacitySettings,
    run_capacity,
)
from tui_hopfield.experiments.reinforce import (
    Probe,
    ReinforceResult,
    ReinforceSettings,
    SceneSummary,
    run_reinforce,
)
from tui_hopfield.experiments.scenes import Scene, SceneError, builtin_scenes, load_scenes

__all__ = [
    "CapacityPoint",
    "CapacityResult",
    "CapacitySettings",
    "Probe",
    "ReinforceResult",
    "ReinforceSettings",
    "Scene",
    "SceneError",
    "SceneSummary",
    "builtin_scenes",
    "load_scenes",
    "run_capacity",
    "run_reinforce",
]
