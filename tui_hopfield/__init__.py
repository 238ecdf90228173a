"""tui-hopfield: brain magnets in a terminal, a Hopfield network you can draw on."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tui-hopfield")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
