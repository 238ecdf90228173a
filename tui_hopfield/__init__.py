"""tui-hopfield: brain magnets in a terminal, a Hopfield network you can draw on."""

__version__ = "0.1.0"
"""The version: the one place it is written (pyproject.toml reads it from here)."""
