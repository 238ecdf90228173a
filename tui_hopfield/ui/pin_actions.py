"""Pinning magnets on the magnets screen: the grid's pin brush, ctrl strokes, unpin all.

A pinned magnet is one recall never turns over (``Network.pinned``): pin the
part of a picture you trust and recall completes the rest. The grid posts
``SpinGrid.Pinned``; this applies it through the workspace, as one step to
undo per stroke, and marks the pins on the grid.
"""

from __future__ import annotations

from tui_hopfield.ui.spin_grid import SpinGrid


class PinActions:
    """Mixed into ``MagnetsScreen``: it uses the screen's workspace, grid and ``_edit``."""

    def on_spin_grid_pinned(self, message: SpinGrid.Pinned) -> None:
        """Pin or unpin the magnets the grid says, one step to undo per stroke."""
        self._edit(self.workspace.pin, list(message.indices), message.pinned, message.stroke)

    def action_unpin_all(self) -> None:
        """Unpin every magnet: recall may change each one again."""
        self.grid.pinning = 0
        self._edit(self.workspace.unpin_all)

    def show_pins(self) -> None:
        """Mark the network's pins on the grid (after it was replaced)."""
        network = self.workspace.network
        self.grid.set_pins(network.pinned.reshape(network.rows, network.cols))
