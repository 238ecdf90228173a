"""Save and open a whole session, safely: the public face of the session file.

The format and its limits are in ``session_format`` (those the rest of the app
uses are named from here too): a ZIP of four ``.npy`` arrays, a JSON
header, the memories, their strengths and the grid, and a fifth, the pinned
magnets, when any is pinned.

Opening never trusts the file: it is opened without blocking and checked to
be a regular file from its own descriptor; the ZIP is read member by member
(``session_zip``: no data before the first member, exactly the four names and
the pins' optional fifth, no encryption, stored or deflated only); each
``.npy`` header is read and checked (``session_npy``: the expected dtype
exactly, sizes from the header against the ZIP's) before its data, which is
inflated through a stream that stops at the declared size and checks the CRC;
the JSON header is parsed within bounds (``session_header``). Nothing is ever
unpickled. Every failure is a ``SessionError`` naming the file and the reason.

Writing goes through ``files.write_atomically``: a temporary file in the same
folder, flushed and fsynced, then renamed over the target, so a crash or a
full disk leaves the old file or the new one, never half of one. Both ways
run the same checks (``_check_arrays``): nothing is written that opening
would refuse.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tui_hopfield.model.boltzmann import MAX_HIDDEN, Boltzmann
from tui_hopfield.model.errors import Check, ModelError, Report, checkpoint
from tui_hopfield.model.files import write_atomically
from tui_hopfield.model.imprints import MAX_STRENGTH
from tui_hopfield.model.network import Network
from tui_hopfield.model.paths import expand
from tui_hopfield.model.pattern_store import copy_in_blocks
from tui_hopfield.model.rules import Rule
from tui_hopfield.model.session_format import (
    DTYPES,
    FORMAT,
    MAX_ARRAY_BYTES,
    MAX_SIDE,
    MAX_USE_BOOST,
    MEMBERS,
    MODES,
    OPTIONAL,
    OPTIONAL_MEMBERS,
    SUFFIX,
    VERSION,
    SessionError,
)
from tui_hopfield.model.session_header import LINK_SETTINGS, parse_meta
from tui_hopfield.model.session_npy import read_header
from tui_hopfield.model.session_zip import Archive, opened

__all__ = [
    "DTYPES",
    "FORMAT",
    "MAX_ARRAY_BYTES",
    "MAX_SIDE",
    "MAX_STRENGTH",
    "MAX_USE_BOOST",
    "MEMBERS",
    "MODES",
    "OPEN_BLOCK_BYTES",
    "SUFFIX",
    "VERSION",
    "WRITE_BLOCK_BYTES",
    "Session",
    "SessionError",
    "load",
    "save",
]

OPEN_BLOCK_BYTES = 16 * 2**20
"""Patterns imprinted at a time when a session becomes a network, between reports."""
WRITE_BLOCK_BYTES = 4 * 2**20
"""Bytes of an array compressed at a time when saving, between reports."""
CHECK_BLOCK_BYTES = 16 * 2**20
"""Spins checked to be +-1 at a time (no temporaries the size of them all)."""


@dataclass
class Session:
    """Everything a session holds: the memories, the grid and the settings."""

    rows: int
    """Rows of the grid."""
    cols: int
    """Columns of the grid."""
    names: list[str]
    """The names of the memories."""
    patterns: np.ndarray
    """int8 (P, N) of +-1."""
    strengths: np.ndarray
    """float64 (P,), positive."""
    state: np.ndarray
    """int8 (N,) of +-1: the grid."""
    rule: str = "hebbian"
    """The learning rule."""
    temperature: float = 0.0
    """The temperature of recall."""
    settings: dict[str, float | int | str] = field(default_factory=dict)
    """Further settings of the rule, by name."""
    pinned: np.ndarray | None = None
    """bool (N,): the pinned magnets, or None when none is."""
    links: list[list] = field(default_factory=list)
    """The links between memories, ``[source, target, strength]`` by name."""
    boltzmann: Boltzmann | None = None
    """The Boltzmann machine trained on the memories (its weights and biases), if any."""

    @classmethod
    def of(cls, network: Network, temperature: float = 0.0, mode: str = "async") -> Session:
        """Take a session from a network (and the screen's update mode)."""
        settings: dict[str, float | int | str] = dict(network.rule.settings())
        settings.update(decay=network.decay, use_boost=network.use_boost, mode=mode)
        links = network.links
        settings.update(
            link_lambda=links.strength,
            link_hops=links.hops,
            link_hop_factor=links.hop_factor,
            link_step=links.learn_step,
        )
        return cls(
            network.rows,
            network.cols,
            list(network.names),
            copy_in_blocks(network.patterns),
            network.strengths.copy(),
            network.state.copy(),
            rule=network.rule.name,
            temperature=temperature,
            settings=settings,
            pinned=network.pinned.copy() if network.pinned.any() else None,
            links=[list(link) for link in links.items()],
        )

    @property
    def mode(self) -> str:
        """The update mode: ``async`` or ``sync``."""
        return str(self.settings.get("mode", "async"))

    def network(self, report: Report | None = None, cancelled: Check | None = None) -> Network:
        """A new network holding this session's memories, rule, settings and grid.

        The memories go in a block at a time (``Network.imprint_many``);
        ``report`` is told the fraction done and ``cancelled`` asked between
        blocks (a True answer raises ``Cancelled``). The landscape is learned
        when first needed (``Network.prepare`` learns it at once).
        """
        rule = Rule.from_settings(self.rule, self.settings)
        network = Network(self.rows, self.cols, rule)
        # The grid first: each block's overlaps with it are then taken as it goes in,
        # instead of another pass over all the patterns at the end.
        network.set_state(self.state)
        if self.pinned is not None:
            network.set_pins(np.asarray(self.pinned, dtype=bool))
        count = len(self.names)
        network.reserve(count)
        block = max(1, OPEN_BLOCK_BYTES // max(1, network.n))
        for first in range(0, count, block):
            checkpoint(first / count, report, cancelled)
            last = min(first + block, count)
            network.imprint_many(
                np.asarray(self.patterns[first:last], dtype=np.int8),
                self.names[first:last],
                np.asarray(self.strengths[first:last], dtype=np.float64),
            )
        checkpoint(1.0, report, cancelled)
        # Decay applies to imprints from now on: the saved strengths already carry it.
        network.decay = float(self.settings.get("decay", 1.0))
        network.use_boost = float(self.settings.get("use_boost", 0.0))
        network.links.configure(
            *(self.settings.get(key, default) for key, default in LINK_SETTINGS)
        )
        for source, target, strength in self.links:
            network.links.link(source, target, strength)
        return network


def save(
    session: Session,
    path: str | Path,
    report: Report | None = None,
    cancelled: Check | None = None,
    *,
    make_folders: bool | None = None,
) -> Path:
    """Write ``session`` to ``path`` atomically and return the path written.

    ``report`` is told the fraction of the arrays written and ``cancelled``
    asked between blocks; a True answer raises ``Cancelled``, and the file
    at ``path`` stays as it was (the temporary one is removed).
    ``make_folders`` is passed to ``files.write_atomically``: by default a
    missing folder is refused unless it lies in the app's data folder.
    """
    path = expand(path)
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "rows": session.rows,
        "cols": session.cols,
        "names": list(session.names),
        "rule": session.rule,
        "temperature": session.temperature,
        "settings": session.settings,
        "links": [list(link) for link in session.links],
    }
    try:
        text = json.dumps(meta, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise SessionError(f"{path}: the session cannot be written ({error})") from None
    arrays = {
        "meta": np.frombuffer(text.encode(), dtype=np.uint8),
        "patterns": np.asarray(session.patterns, dtype=np.int8),
        "strengths": np.asarray(session.strengths, dtype=np.float64),
        "state": np.asarray(session.state, dtype=np.int8),
    }
    if session.pinned is not None and np.any(session.pinned):
        arrays["pinned"] = np.asarray(session.pinned, dtype=bool).astype(np.uint8)
    machine = session.boltzmann
    if machine is not None:
        arrays.update(
            boltzmann_weights=machine.weights,
            boltzmann_visible=machine.visible_bias,
            boltzmann_hidden=machine.hidden_bias,
        )
    # Never write what ``load`` would refuse: the same checks, before the first byte.
    _check_arrays(arrays, path)
    total = max(1, sum(array.nbytes for array in arrays.values()))

    def write(stream) -> None:
        # What ``numpy.savez_compressed`` writes (the same members and headers), a
        # block at a time so that the work can report and stop.
        done = 0
        with zipfile.ZipFile(stream, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
            for key, array in arrays.items():
                array = np.ascontiguousarray(array)
                with archive.open(f"{key}.npy", "w", force_zip64=True) as member:
                    header = np.lib.format.header_data_from_array_1_0(array)
                    np.lib.format.write_array_header_1_0(member, header)
                    flat = array.reshape(-1).view(np.uint8)
                    for start in range(0, flat.size, WRITE_BLOCK_BYTES):
                        checkpoint(done / total, report, cancelled)
                        block = flat[start : start + WRITE_BLOCK_BYTES]
                        member.write(block.tobytes())
                        done += block.size
        checkpoint(1.0, report, cancelled)

    return write_atomically(path, write, SessionError, make_folders=make_folders)


def load(path: str | Path) -> Session:
    """Read and check a session file; raise ``SessionError`` saying what is wrong.

    Nothing but ``SessionError`` leaves this for any content of the file: the
    checks are explicit, and the two places where library code parses
    untrusted bytes (the ZIP's central directory, a ``.npy`` header) map
    whatever they raise to a ``SessionError``.
    """
    path = expand(path)
    with opened(path) as (descriptor, size):
        archive = Archive(descriptor, size, path)
        present = [key for key in OPTIONAL if key in archive.infos]
        if present and len(present) != len(OPTIONAL):
            raise SessionError(f"{path}: the Boltzmann machine is incomplete (only {present})")
        pins = tuple(key for key in OPTIONAL_MEMBERS if key in archive.infos)
        keys = MEMBERS + pins + tuple(present)
        members = {key: archive.member(key) for key in keys}
        headers = {key: read_header(members[key], key, path) for key in keys}
        total = sum(header.nbytes for header in headers.values())
        if total > MAX_ARRAY_BYTES:
            raise SessionError(
                f"{path}: its arrays would take {total / 2**30:.1f} GiB unpacked,"
                f" more than the {MAX_ARRAY_BYTES / 2**20:,.0f} MiB a session may"
            )
        meta = parse_meta(headers["meta"].read(members["meta"], path), path)
        shapes = _expected_shapes(meta)
        if "pinned" in headers:
            shapes["pinned"] = shapes["state"]
        if present:
            shapes.update(_machine_shapes(headers["boltzmann_weights"].shape, meta, path))
        for key in shapes:
            _check_shape(key, headers[key].dtype, headers[key].shape, shapes[key], path)
        arrays = {key: headers[key].read(members[key], path) for key in shapes}
    _check_values(arrays, path)
    return Session(
        meta["rows"],
        meta["cols"],
        meta["names"],
        arrays["patterns"],
        arrays["strengths"],
        arrays["state"],
        rule=meta["rule"],
        temperature=meta["temperature"],
        settings=meta["settings"],
        pinned=arrays["pinned"].astype(bool) if "pinned" in arrays else None,
        links=meta["links"],
        boltzmann=_machine(arrays, path),
    )


def _machine(arrays: dict[str, np.ndarray], path: Path) -> Boltzmann | None:
    """The Boltzmann machine of a session's checked arrays, if it has one."""
    if "boltzmann_weights" not in arrays:
        return None
    try:
        return Boltzmann(
            arrays["boltzmann_weights"],
            arrays["boltzmann_visible"],
            arrays["boltzmann_hidden"],
        )
    except ModelError as error:
        raise SessionError(f"{path}: the Boltzmann machine is damaged ({error})") from None


def _machine_shapes(weights: tuple, meta: dict, path: Path) -> dict[str, tuple[int, ...]]:
    """The shapes of a machine's arrays, from its weights' (hidden units x magnets)."""
    n = meta["rows"] * meta["cols"]
    if len(weights) != 2 or weights[1] != n or not 1 <= weights[0] <= MAX_HIDDEN:
        raise SessionError(
            f"{path}: the Boltzmann machine's weights must be 1 to {MAX_HIDDEN} hidden units"
            f" by {n} magnets, not of shape {tuple(weights)}"
        )
    hidden = int(weights[0])
    return {
        "boltzmann_weights": (hidden, n),
        "boltzmann_visible": (n,),
        "boltzmann_hidden": (hidden,),
    }


# -- checks shared by save and load -----------------------------------------------


def _check_arrays(arrays: dict[str, np.ndarray], path: Path) -> dict:
    """Check a session's arrays against each other; return the parsed header."""
    meta = parse_meta(arrays["meta"], path)
    shapes = _expected_shapes(meta)
    if "pinned" in arrays:
        shapes["pinned"] = shapes["state"]
    if "boltzmann_weights" in arrays:
        shapes.update(_machine_shapes(arrays["boltzmann_weights"].shape, meta, path))
    for key, shape in shapes.items():
        _check_shape(key, arrays[key].dtype, arrays[key].shape, shape, path)
    _check_values(arrays, path)
    _machine(arrays, path)
    return meta


def _expected_shapes(meta: dict) -> dict[str, tuple[int, ...]]:
    n, count = meta["rows"] * meta["cols"], len(meta["names"])
    return {"patterns": (count, n), "strengths": (count,), "state": (n,)}


def _check_shape(key: str, dtype: np.dtype, shape: tuple, expected: tuple, path: Path) -> None:
    if (
        key in ("patterns", "strengths")
        and len(shape) == len(expected)
        and shape[0] != expected[0]
        and tuple(shape[1:]) == expected[1:]
    ):
        names = "1 memory" if expected[0] == 1 else f"{expected[0]} memories"
        raise SessionError(f"{path}: it names {names} but holds {shape[0]} {key}")
    if key == "pinned":
        if dtype != DTYPES[key] or tuple(shape) != expected:
            raise SessionError(
                f"{path}: pinned must be {expected[0]} bytes (uint8), one a magnet,"
                f" not {dtype} of shape {tuple(shape)}"
            )
    elif key.startswith("boltzmann_"):
        if dtype != DTYPES[key] or tuple(shape) != expected:
            raise SessionError(
                f"{path}: {key} must be floating-point numbers (float64) of shape {expected},"
                f" not {dtype} of shape {tuple(shape)}"
            )
    elif key == "strengths":
        if dtype != DTYPES[key] or tuple(shape) != expected:
            raise SessionError(
                f"{path}: strengths must be {expected[0]} floating-point numbers (float64),"
                f" not {dtype} of shape {tuple(shape)}"
            )
    elif dtype != DTYPES[key] or tuple(shape) != expected:
        raise SessionError(
            f"{path}: {key} must be whole numbers (int8) of shape {expected},"
            f" not {dtype} of shape {tuple(shape)}"
        )


def _check_values(arrays: dict[str, np.ndarray], path: Path) -> None:
    for key in ("patterns", "state"):
        flat = np.ravel(arrays[key], order="K")  # a view, C or Fortran order
        for start in range(0, flat.size, CHECK_BLOCK_BYTES):
            if not np.all(np.abs(flat[start : start + CHECK_BLOCK_BYTES]) == 1):
                raise SessionError(f"{path}: {key} may only hold +1 and -1")
    if "pinned" in arrays and not np.all(arrays["pinned"] <= 1):
        raise SessionError(f"{path}: pinned may only hold 0 (free) and 1 (pinned)")
    strengths = arrays["strengths"]
    if not np.all(np.isfinite(strengths)) or np.any(strengths <= 0):
        raise SessionError(f"{path}: every strength must be a finite positive number")
    if np.any(strengths > MAX_STRENGTH):
        raise SessionError(
            f"{path}: a strength is over {MAX_STRENGTH:g}, more than a memory may have"
        )
