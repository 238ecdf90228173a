"""Crafted session files, as an attacker would make them: each is refused, cheaply.

The attack table lists (id, builder, expected fragment): the builder writes
the crafted file under ``tmp_path`` (or names a system file) and returns its
path. Each case must raise ``SessionError`` naming the file and the reason,
must not allocate much (``tracemalloc`` sees numpy's buffers too), must not
hang (run in a thread, joined with a generous bound) and must write nothing.
Save-side attacks (a FIFO, a link, a missing folder, leftovers of a killed
save) follow the table.
"""

from __future__ import annotations

import io
import json
import os
import stat
import struct
import threading
import time
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tui_hopfield.model import Network
from tui_hopfield.model.files import STALE_SECONDS, remove_stale_temporaries
from tui_hopfield.model.patterns import random_spins
from tui_hopfield.model.store import FORMAT, MAX_STRENGTH, Session, SessionError, load, save

PEAK_BYTES = 64 * 2**20
"""No crafted file may make the loader allocate more than this."""
JOIN_SECONDS = 60.0
"""A generous bound: a refusal takes milliseconds; only a hang would reach it."""


# -- building blocks ---------------------------------------------------------------


def sample() -> Session:
    rng = np.random.default_rng(0)
    network = Network(6, 7)
    for k, strength in enumerate((1.0, 2.5, 0.5)):
        network.imprint(random_spins(network.n, rng), f"memory {k}", strength)
    network.set_state(random_spins(network.n, rng))
    return Session.of(network, temperature=0.35)


def meta_dict(**changes) -> dict:
    session = sample()
    meta = {
        "format": FORMAT,
        "version": 1,
        "rows": session.rows,
        "cols": session.cols,
        "names": session.names,
        "rule": "hebbian",
        "temperature": 0.0,
        "settings": {},
    }
    meta.update(changes)
    return meta


def npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def npy_header(descr: str, shape: tuple, fortran: bool = False) -> bytes:
    buffer = io.BytesIO()
    header = {"descr": descr, "fortran_order": fortran, "shape": shape}
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue()


def meta_bytes(text: str) -> bytes:
    return npy(np.frombuffer(text.encode(), dtype=np.uint8))


def good_members(meta_text: str | None = None) -> dict[str, bytes]:
    session = sample()
    return {
        "meta.npy": meta_bytes(meta_text or json.dumps(meta_dict())),
        "patterns.npy": npy(session.patterns),
        "strengths.npy": npy(session.strengths),
        "state.npy": npy(session.state),
    }


def write_zip(
    path: Path, members: dict[str, bytes] | list[tuple[str, bytes]], method=zipfile.ZIP_DEFLATED
) -> Path:
    items = members.items() if isinstance(members, dict) else members
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in items:
            archive.writestr(name, data)
    return path


def session_with(tmp_path: Path, **replace: bytes) -> Path:
    members = good_members()
    members.update({f"{key}.npy": data for key, data in replace.items()})
    return write_zip(tmp_path / "crafted.hopfield", members)


def session_with_meta_text(tmp_path: Path, text: str) -> Path:
    return write_zip(tmp_path / "crafted.hopfield", good_members(text))


def session_with_meta(tmp_path: Path, **changes) -> Path:
    return session_with_meta_text(tmp_path, json.dumps(meta_dict(**changes)))


def patch_entries(path: Path, name: str, patch) -> None:
    """Apply ``patch(data, offset, kind)`` to the local and central headers of ``name``."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
        local = info.header_offset
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    patch(data, local, "local")
    patch(data, central, "central")
    path.write_bytes(bytes(data))


# -- the builders ------------------------------------------------------------------


def deeply_nested(tmp_path):
    text = json.dumps(meta_dict())[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    return session_with_meta_text(tmp_path, text)


def long_integer(tmp_path):
    text = json.dumps(meta_dict()).replace('"rows": 6', '"rows": 1' + "0" * 4999)
    return session_with_meta_text(tmp_path, text)


def huge_beta(tmp_path):
    text = json.dumps(meta_dict(rule="modern", settings={"beta": 1}))
    return session_with_meta_text(tmp_path, text.replace('"beta": 1', '"beta": 1' + "0" * 400))


def huge_float_temperature(tmp_path):
    text = json.dumps(meta_dict(temperature=7))
    return session_with_meta_text(
        tmp_path, text.replace('"temperature": 7', '"temperature": 1e400')
    )


def huge_decay(tmp_path):
    text = json.dumps(meta_dict(settings={"decay": 7}))
    return session_with_meta_text(tmp_path, text.replace('"decay": 7', '"decay": 1' + "0" * 400))


def nan_temperature(tmp_path):
    text = json.dumps(meta_dict(temperature=7))
    return session_with_meta_text(tmp_path, text.replace('"temperature": 7', '"temperature": NaN'))


def infinite_use_boost(tmp_path):
    text = json.dumps(meta_dict(settings={"use_boost": 7}))
    return session_with_meta_text(tmp_path, text.replace('"use_boost": 7', '"use_boost": Infinity'))


def large_temperature(tmp_path):
    return session_with_meta(tmp_path, temperature=1e300)


def huge_modern_beta(tmp_path):
    return session_with_meta(tmp_path, rule="modern", settings={"beta": 1e300})


def huge_degree(tmp_path):
    return session_with_meta(tmp_path, rule="dense", settings={"degree": 10**17})


def nested_setting(tmp_path):
    return session_with_meta(tmp_path, settings={"mode": {"deep": [1, 2]}})


def duplicate_key(tmp_path):
    text = json.dumps(meta_dict())[:-1] + ', "rows": 6}'
    return session_with_meta_text(tmp_path, text)


def extra_raw_meta(tmp_path):
    members = good_members()
    members["meta"] = b'{"format": "tui-hopfield-session"}'
    return write_zip(tmp_path / "crafted.hopfield", members)


def raw_patterns(tmp_path):
    members = good_members()
    del members["patterns.npy"]
    members["patterns"] = b"\x01" * 4096
    return write_zip(tmp_path / "crafted.hopfield", members)


def duplicate_members(tmp_path):
    members = list(good_members().items())
    members.append(("state.npy", npy(-sample().state)))
    with pytest.warns(UserWarning, match="Duplicate name"):
        return write_zip(tmp_path / "crafted.hopfield", members)


def npy_zip_polyglot(tmp_path):
    path = tmp_path / "crafted.hopfield"
    archive = write_zip(tmp_path / "inner.zip", good_members()).read_bytes()
    (tmp_path / "inner.zip").unlink()
    path.write_bytes(npy(sample().state) + archive)
    return path


def data_before_the_archive(tmp_path):
    path = tmp_path / "crafted.hopfield"
    archive = write_zip(tmp_path / "inner.zip", good_members()).read_bytes()
    (tmp_path / "inner.zip").unlink()
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 60 + archive)
    return path


def encrypted_member(tmp_path):
    path = session_with(tmp_path)

    def set_flag(data, offset, kind):
        at = offset + (6 if kind == "local" else 8)
        flags = struct.unpack_from("<H", data, at)[0]
        struct.pack_into("<H", data, at, flags | 0x1)

    patch_entries(path, "patterns.npy", set_flag)
    return path


def unknown_method(tmp_path):
    return write_zip(tmp_path / "crafted.hopfield", good_members(), zipfile.ZIP_LZMA)


def made_up_method(tmp_path):
    path = session_with(tmp_path)

    def set_method(data, offset, kind):
        struct.pack_into("<H", data, offset + (8 if kind == "local" else 10), 99)

    patch_entries(path, "state.npy", set_method)
    return path


def float128_strengths(tmp_path):
    return session_with(tmp_path, strengths=npy(np.ones(3, dtype=np.longdouble)))


def big_endian_strengths(tmp_path):
    return session_with(tmp_path, strengths=npy(np.ones(3, dtype=">f8")))


def structured_state(tmp_path):
    state = np.zeros(42, dtype=[("a", "i1")])
    return session_with(tmp_path, state=npy(state))


def object_state(tmp_path):
    header = npy_header("|O", (42,))
    return session_with(tmp_path, state=header + b"\x80\x04N." * 4)


def huge_strengths(tmp_path):
    return session_with(tmp_path, strengths=npy(np.array([1.0, 1e308, 1.0])))


def strength_over_the_limit(tmp_path):
    return session_with(tmp_path, strengths=npy(np.array([1.0, MAX_STRENGTH * 2, 1.0])))


def negative_dimension(tmp_path):
    """A 4 MB member whose header declares (-65536, -65536) int8: 4 GiB if multiplied."""
    data = npy_header("|i1", (-65536, -65536)) + b"\x01" * (4 * 2**20)
    return session_with(tmp_path, patterns=data)


def shape_lies_about_the_data(tmp_path):
    return session_with(tmp_path, patterns=npy_header("|i1", (3, 42)) + b"\x01" * 10)


def deflate_bomb(tmp_path):
    """A member that inflates to 64 MiB while its ZIP entry and header declare 131 bytes."""
    path = tmp_path / "crafted.hopfield"
    members = good_members()
    honest = members["state.npy"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name != "state.npy":
                archive.writestr(name, data)
        with archive.open("state.npy", "w", force_zip64=False) as member:
            member.write(honest)
            zeros = bytes(2**20)
            for _ in range(64):
                member.write(zeros)

    def shrink(data, offset, kind):
        struct.pack_into("<L", data, offset + (22 if kind == "local" else 24), len(honest))

    patch_entries(path, "state.npy", shrink)
    return path


def size_field_lies(tmp_path):
    """The ZIP says the member is 1 GiB unpacked; the header says 42 bytes."""
    path = session_with(tmp_path)

    def grow(data, offset, kind):
        struct.pack_into("<L", data, offset + (22 if kind == "local" else 24), 2**30)

    patch_entries(path, "state.npy", grow)
    return path


def wrong_checksum(tmp_path):
    path = write_zip(tmp_path / "crafted.hopfield", good_members(), zipfile.ZIP_STORED)

    def break_crc(data, offset, kind):
        at = offset + (14 if kind == "local" else 16)
        struct.pack_into("<L", data, at, struct.unpack_from("<L", data, at)[0] ^ 1)

    patch_entries(path, "patterns.npy", break_crc)
    return path


def npy_version_three(tmp_path):
    data = bytearray(npy(sample().state))
    data[6] = 3
    return session_with(tmp_path, state=bytes(data))


def dev_zero(tmp_path):
    return Path("/dev/zero")


def fifo(tmp_path):
    path = tmp_path / "pipe.hopfield"
    os.mkfifo(path)
    return path


def folder(tmp_path):
    path = tmp_path / "folder.hopfield"
    path.mkdir()
    return path


def link_to_dev_zero(tmp_path):
    path = tmp_path / "zero.hopfield"
    path.symlink_to("/dev/zero")
    return path


def truncated(tmp_path):
    whole = save(sample(), tmp_path / "whole.hopfield").read_bytes()
    (tmp_path / "whole.hopfield").unlink()
    path = tmp_path / "crafted.hopfield"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def cut_member(tmp_path):
    """The central directory is whole, but a member's data runs past the end of the file."""
    path = write_zip(tmp_path / "crafted.hopfield", good_members(), zipfile.ZIP_STORED)

    def grow(data, offset, kind):
        at = offset + (18 if kind == "local" else 20)
        struct.pack_into("<L", data, at, 2**20)

    patch_entries(path, "patterns.npy", grow)
    return path


def empty(tmp_path):
    path = tmp_path / "crafted.hopfield"
    path.write_bytes(b"")
    return path


def wrong_format(tmp_path):
    return session_with_meta(tmp_path, format="something-else")


def wrong_version(tmp_path):
    return session_with_meta(tmp_path, version=2)


def names_not_strings(tmp_path):
    return session_with_meta(tmp_path, names=[1, 2, 3])


def one_name_missing(tmp_path):
    return session_with_meta(tmp_path, names=["a", "b"])


def meta_not_an_object(tmp_path):
    return session_with_meta_text(tmp_path, "[1, 2, 3]")


def huge_meta(tmp_path):
    return session_with(tmp_path, meta=npy_header("|u1", (20 * 2**20,)) + b"{}")


def bad_utf8_meta(tmp_path):
    return session_with(tmp_path, meta=npy(np.frombuffer(b"\xff\xfe{", dtype=np.uint8)))


ATTACKS = [
    ("meta nested 100,000 deep", deeply_nested, "nested too deeply"),
    ("5000-digit integer", long_integer, "integer of 5000 digits"),
    ("beta 10**400", huge_beta, "integer of 401 digits"),
    ("temperature 1e400", huge_float_temperature, "number too large"),
    ("decay 10**400", huge_decay, "integer of 401 digits"),
    ("NaN literal", nan_temperature, "NaN, which is not a number"),
    ("Infinity literal", infinite_use_boost, "Infinity, which is not a number"),
    ("temperature 1e300", large_temperature, "temperature"),
    ("beta 1e300", huge_modern_beta, "beta"),
    ("degree 10**17", huge_degree, "degree"),
    ("a setting that is an object", nested_setting, "setting 'mode'"),
    ("a key given twice", duplicate_key, "key given twice"),
    ("extra raw meta member", extra_raw_meta, "members a session has not: 'meta'"),
    ("raw patterns member", raw_patterns, "missing patterns"),
    ("duplicate member names", duplicate_members, "same name"),
    (".npy + zip polyglot", npy_zip_polyglot, "numpy .npy file"),
    ("data before the archive", data_before_the_archive, "data before"),
    ("encrypted flag", encrypted_member, "encrypted"),
    ("LZMA compression", unknown_method, "method 14"),
    ("made-up compression", made_up_method, "method 99"),
    ("float128 strengths", float128_strengths, "strengths must be float64"),
    ("big-endian strengths", big_endian_strengths, "strengths must be float64"),
    ("structured state", structured_state, "state must be int8"),
    ("object state", object_state, "holds objects"),
    ("1e308 strengths", huge_strengths, "over 1e+06"),
    ("strength over the limit", strength_over_the_limit, "over 1e+06"),
    ("negative dimension", negative_dimension, "impossible shape"),
    ("header shape lies", shape_lies_about_the_data, "declares 126 bytes"),
    ("deflate bomb", deflate_bomb, "unpacks to more than the archive declares"),
    ("ZIP size field lies", size_field_lies, "but the archive holds"),
    ("wrong checksum", wrong_checksum, "checksum"),
    (".npy version 3", npy_version_three, "not a valid array"),
    ("/dev/zero", dev_zero, "is a device"),
    ("FIFO", fifo, "is a FIFO"),
    ("folder", folder, "is a folder"),
    ("symlink to /dev/zero", link_to_dev_zero, "is a device"),
    ("truncated", truncated, "not a readable session file"),
    ("member past the end", cut_member, "cut short"),
    ("empty", empty, "is empty"),
    ("wrong format", wrong_format, "not a tui-hopfield session"),
    ("wrong version", wrong_version, "version 2"),
    ("names not strings", names_not_strings, "names are damaged"),
    ("a name fewer than patterns", one_name_missing, "names 2 memories but holds 3 patterns"),
    ("meta not an object", meta_not_an_object, "not a tui-hopfield session"),
    ("meta not UTF-8", bad_utf8_meta, "not valid JSON"),
    ("meta of 20 MiB", huge_meta, "too large"),
]


def tree(folder: Path) -> dict[str, int]:
    """Every entry under ``folder`` with its size (links and FIFOs by their own stat)."""
    return {str(p): p.lstat().st_size for p in sorted(folder.rglob("*"))}


def load_guarded(path: Path) -> tuple[BaseException | None, int, bool]:
    """Run ``load(path)`` in a thread; return what it raised, its allocation peak, whether done."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            load(path)
        except BaseException as error:  # handed to the test, which judges it
            outcome["error"] = error

    tracemalloc.start()
    try:
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(JOIN_SECONDS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return outcome.get("error"), peak, not thread.is_alive()  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("builder", "fragment"), [a[1:] for a in ATTACKS], ids=[a[0] for a in ATTACKS]
)
def test_every_attack_is_refused_with_its_reason_cheaply(tmp_path, builder, fragment):
    path = builder(tmp_path)
    before = tree(tmp_path)
    error, peak, done = load_guarded(path)
    if not done:  # unblock a FIFO's reader so that the thread can end
        with open(path, "wb", buffering=0):
            pass
        pytest.fail(f"load({path}) hung")
    assert isinstance(error, SessionError), f"{type(error).__name__}: {error}"
    message = str(error)
    assert str(path) in message
    assert fragment in message
    assert peak < PEAK_BYTES, f"the loader allocated {peak / 2**20:.0f} MiB"
    assert tree(tmp_path) == before  # nothing written


def test_an_honest_session_still_opens_through_every_path(tmp_path):
    """The crafted files above start from these members: they open when left alone."""
    path = session_with(tmp_path)
    back = load(path)
    assert back.names == sample().names
    stored = write_zip(tmp_path / "stored.hopfield", good_members(), zipfile.ZIP_STORED)
    assert np.array_equal(load(stored).patterns, sample().patterns)
    # A Fortran-ordered patterns array is legal .npy: read as what it says.
    fortran = np.asfortranarray(sample().patterns)
    again = load(session_with(tmp_path, patterns=npy(fortran)))
    assert np.array_equal(again.patterns, sample().patterns)


def test_a_file_saved_now_opens_with_numpy_alone(tmp_path):
    """The format is unchanged: what ``save`` writes is a plain ``.npz`` of four arrays."""
    path = save(sample(), tmp_path / "a.hopfield")
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["meta", "patterns", "state", "strengths"]
        assert json.loads(archive["meta"].tobytes())["format"] == FORMAT
        assert np.array_equal(archive["patterns"], sample().patterns)


def test_a_session_of_the_largest_grid_opens_as_it_was(tmp_path):
    rng = np.random.default_rng(3)
    network = Network(256, 256)
    patterns = rng.choice(np.array([-1, 1], dtype=np.int8), (40, network.n))
    network.imprint_many(patterns, [f"m{k}" for k in range(40)], rng.uniform(0.5, 2.0, 40))
    network.set_state(random_spins(network.n, rng))
    back = load(save(Session.of(network), tmp_path / "big.hopfield")).network()
    assert np.array_equal(back.strengths, network.strengths)
    assert np.array_equal(back.dots, network.dots)
    assert np.array_equal(back.state, network.state)


# -- saving ------------------------------------------------------------------------


def test_saving_onto_a_fifo_is_refused_and_the_fifo_stays(tmp_path):
    pipe = tmp_path / "pipe.hopfield"
    os.mkfifo(pipe)
    with pytest.raises(SessionError, match="is a FIFO"):
        save(sample(), pipe)
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe.hopfield"]


def test_saving_onto_a_folder_or_through_a_link_to_a_device_is_refused(tmp_path):
    folder = tmp_path / "folder.hopfield"
    folder.mkdir()
    with pytest.raises(SessionError, match="is a folder"):
        save(sample(), folder)
    link = tmp_path / "null.hopfield"
    link.symlink_to(os.devnull)
    with pytest.raises(SessionError, match="is a device"):
        save(sample(), link)
    assert link.is_symlink() and os.readlink(link) == os.devnull
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.hopfield", "null.hopfield"]


def test_a_link_is_followed_and_its_target_replaced_in_its_own_folder(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "links").mkdir()
    target = save(sample(), tmp_path / "real" / "s.hopfield")
    link = tmp_path / "links" / "s.hopfield"
    link.symlink_to(target)
    changed = sample()
    changed.names = ["a", "b", "c"]
    assert save(changed, link) == link
    assert link.is_symlink() and link.resolve() == target
    assert load(target).names == ["a", "b", "c"]
    assert [p.name for p in (tmp_path / "links").iterdir()] == ["s.hopfield"]
    assert [p.name for p in (tmp_path / "real").iterdir()] == ["s.hopfield"]


def test_a_dangling_link_is_refused(tmp_path):
    link = tmp_path / "s.hopfield"
    link.symlink_to(tmp_path / "nowhere" / "s.hopfield")
    with pytest.raises(SessionError, match="link to a missing file"):
        save(sample(), link)
    assert not (tmp_path / "nowhere").exists()


def test_a_missing_folder_is_refused_unless_asked_for(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_HOPFIELD_DATA", str(tmp_path / "data"))
    with pytest.raises(SessionError, match="no such folder"):
        save(sample(), tmp_path / "typo" / "deeper" / "s.hopfield")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    made = save(sample(), tmp_path / "asked" / "s.hopfield", make_folders=True)
    assert load(made).names == sample().names
    # The app's own data folder (autosave, recovery, the default sessions folder) is made.
    autosave = save(sample(), tmp_path / "data" / "sessions" / "s.hopfield")
    assert autosave.is_file()
    with pytest.raises(SessionError, match="no such folder"):
        save(sample(), tmp_path / "data" / ".." / "escaped" / "s.hopfield")
    with pytest.raises(SessionError, match="no such folder"):
        save(sample(), tmp_path / "data" / "sessions" / "x" / "s.hopfield", make_folders=False)


def test_leftovers_of_a_killed_save_are_removed_at_the_next_save_and_nothing_else(tmp_path):
    old = time.time() - 10 * STALE_SECONDS
    stale = tmp_path / ".s.hopfield.ab_cd123.tmp"
    fresh = tmp_path / ".s.hopfield.zzzzzzzz.tmp"  # a save under way in another process
    other = tmp_path / ".notes.tmp"
    mine = tmp_path / "work.tmp"
    for path in (stale, fresh, other, mine):
        path.write_bytes(b"partial")
    link = tmp_path / ".x.hopfield.linklink.tmp"
    link.symlink_to(mine)
    for path in (stale, other, mine):
        os.utime(path, (old, old))
    os.utime(link, (old, old), follow_symlinks=False)
    save(sample(), tmp_path / "other.hopfield")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [fresh.name, other.name, mine.name, link.name, "other.hopfield"]
    )
    assert remove_stale_temporaries(tmp_path, older_than=-1) == [fresh]


def test_a_strength_over_the_limit_is_never_saved(tmp_path):
    session = sample()
    session.strengths = np.array([1.0, 2 * MAX_STRENGTH, 1.0])
    with pytest.raises(SessionError, match="over"):
        save(session, tmp_path / "s.hopfield")
    assert list(tmp_path.iterdir()) == []


def test_a_bad_imprint_many_strength_count_is_refused():
    network = Network(2, 2)
    with pytest.raises(ValueError, match="strength"):
        network.imprint_many(np.ones((2, 4), np.int8), ["a", "b"], np.ones(3))
    assert network.count == 0


def test_a_legal_session_too_large_for_the_free_memory_is_refused(tmp_path, monkeypatch):
    path = save(sample(), tmp_path / "s.hopfield")

    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(np, "empty", no_memory)
    with pytest.raises(SessionError, match="not enough memory"):
        load(path)


def test_random_damage_is_refused_or_read_and_never_raises_anything_else(tmp_path):
    """Seeded byte flips, cuts and insertions in a deflated and a stored session."""
    rng = np.random.default_rng(18)
    bases = [
        save(sample(), tmp_path / "a.hopfield").read_bytes(),
        write_zip(tmp_path / "b.hopfield", good_members(), zipfile.ZIP_STORED).read_bytes(),
    ]
    path = tmp_path / "damaged.hopfield"
    escaped = []
    for trial in range(800):
        data = bytearray(bases[trial % 2])
        for _ in range(int(rng.choice([1, 1, 2, 4, 16]))):
            at, kind = int(rng.integers(len(data))), rng.random()
            if kind < 0.6:
                data[at] = int(rng.integers(256))
            elif kind < 0.8:
                del data[at : at + int(rng.integers(1, 64))]
            else:
                data[at:at] = rng.bytes(int(rng.integers(1, 16)))
        path.write_bytes(bytes(data))
        try:
            load(path)
        except SessionError:
            pass
        except Exception as error:  # the failure this test looks for
            escaped.append(f"{type(error).__name__}: {error}")
    assert escaped == []
