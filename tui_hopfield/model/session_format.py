"""The session file format: what a ``.hopfield`` file holds and the limits it keeps.

A session file is a ZIP archive written by ``numpy.savez_compressed`` with
exactly four members (seven with a Boltzmann machine), each a ``.npy`` array:

- ``meta.npy``: UTF-8 JSON as a uint8 array: ``{"format": "tui-hopfield-session",
  "version": 1, "rows", "cols", "names", "rule", "temperature", "settings"}``;
  ``settings`` holds the rule's own (``degree``, ``beta``), ``decay``,
  ``use_boost``, the update ``mode`` (``async`` or ``sync``) and the links' ``link_lambda``,
  ``link_hops``, ``link_hop_factor``, ``link_step``; ``links`` (optional) is a list of
  ``[source, target, strength]`` between two different memories, each pair once
- ``patterns.npy``: int8 (P, rows*cols), every value +1 or -1
- ``strengths.npy``: float64 (P,), finite, positive, at most ``MAX_STRENGTH``
- ``state.npy``: int8 (rows*cols,), every value +1 or -1

and, when the session has a trained Boltzmann machine (``model.boltzmann``), all
three of these or none (``OPTIONAL``):

- ``boltzmann_weights.npy``: float64 (H, rows*cols), 1 <= H <= ``MAX_HIDDEN``, finite
- ``boltzmann_visible.npy``: float64 (rows*cols,), finite
- ``boltzmann_hidden.npy``: float64 (H,), finite

Limits (a file past any of them is refused before anything large is allocated):

- the file: a regular file (never a FIFO, device, socket or folder) of at
  most ``MAX_FILE_BYTES`` (512 MiB); its arrays unpack to at most
  ``MAX_ARRAY_BYTES`` (1,088 MiB) in all, and the JSON header to ``MAX_META_BYTES``
- the grid: 1 to ``MAX_SIDE`` (256) rows and columns
- memories: at most ``MAX_MEMORIES`` (100,000), names of 1 to ``MAX_NAME``
  (200) characters, all different
- numbers: strengths in (0, ``MAX_STRENGTH``] (1e6); temperature in
  [0, ``MAX_TEMPERATURE``] (50); decay in (0, 1]; ``use_boost`` in
  [0, ``MAX_USE_BOOST``] (10); the dense degree 2 to 10 or ``"exp"``; the
  modern beta 1 to 200; any other setting a bool, a string of at most
  ``MAX_NAME`` characters or a number of at most ``MAX_NUMBER`` in size.
  JSON integers have at most ``MAX_DIGITS`` digits; NaN and Infinity are refused.

Every module that writes or reads a session takes these facts from here;
``store`` is where the rest of the app takes them from.
"""

from __future__ import annotations

import numpy as np

from tui_hopfield.model.errors import ModelError

FORMAT = "tui-hopfield-session"
"""The ``format`` every session file names."""
VERSION = 1
"""The version this code writes and reads."""
SUFFIX = ".hopfield"
"""The file name ending of a session."""
MAX_SIDE = 256
"""The largest number of rows or columns a session may have."""
MAX_MEMORIES = 100_000
"""The most memories a session may hold."""
MAX_FILE_BYTES = 512 * 1024 * 1024
"""A session file larger than this is refused before it is read."""
MAX_NAME = 200
"""The longest name of a memory."""
MAX_META_BYTES = 16 * 2**20
"""The most bytes the JSON header may take."""
MAX_ARRAY_BYTES = 2**30 + 2**26
"""The most bytes the arrays of a session may unpack to (a zip bomb is refused):
the largest session the app makes, 1 GiB of patterns (the overload's cap, 16,384
memories of 256x256), with their strengths, the grid and the header beside them."""
MAX_NUMBER = 1e12
"""The greatest size of any other number a file's settings may hold."""
MAX_DIGITS = 18
"""The most digits a JSON integer may have."""
MEMBERS = ("meta", "patterns", "strengths", "state")
"""The arrays a session file holds."""
OPTIONAL_MEMBERS = ("pinned",)
"""Arrays a session file may hold besides (older files and sessions with no pins have none)."""
OPTIONAL = ("boltzmann_weights", "boltzmann_visible", "boltzmann_hidden")
"""The arrays of a Boltzmann machine (W, a, b): in a session all of them or none."""
DTYPES = {
    "boltzmann_weights": np.dtype("<f8"),
    "boltzmann_visible": np.dtype("<f8"),
    "boltzmann_hidden": np.dtype("<f8"),
    "meta": np.dtype("|u1"),
    "patterns": np.dtype("|i1"),
    "strengths": np.dtype("<f8"),
    "state": np.dtype("|i1"),
    "pinned": np.dtype("|u1"),
}
"""The one dtype each member may have."""
MODES = ("async", "sync")
"""Update modes: one spin at a time, or the whole grid at once."""
MAX_USE_BOOST = 10.0
"""The most strength a memory may gain each time it is recalled."""


class SessionError(ModelError):
    """A session that cannot be saved or opened; the message says why."""
