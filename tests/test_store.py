"""Sessions: saved and opened whole, damaged files refused, writes atomic."""

from __future__ import annotations

import io
import json
import os
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tui_hopfield.model import Network
from tui_hopfield.model.patterns import random_spins
from tui_hopfield.model.store import FORMAT, Session, SessionError, load, save


def sample(seed: int = 0) -> Session:
    rng = np.random.default_rng(seed)
    network = Network(6, 7)
    for k, strength in enumerate((1.0, 2.5, 0.5)):
        network.imprint(random_spins(network.n, rng), f"memory {k}", strength)
    network.set_state(random_spins(network.n, rng))
    return Session.of(network, temperature=0.35)


def write_members(path: Path, **members: np.ndarray) -> Path:
    """Write an archive with exactly these arrays (a hand-made, maybe tampered, session)."""
    np.savez(path, **members)
    return path.with_suffix(".npz") if path.suffix != ".npz" else path


def good_members(session: Session | None = None) -> dict[str, np.ndarray]:
    session = session or sample()
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
    return {
        "meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
        "patterns": session.patterns,
        "strengths": session.strengths,
        "state": session.state,
    }


def with_meta(**changes) -> dict[str, np.ndarray]:
    members = good_members()
    meta = json.loads(members["meta"].tobytes())
    meta.update(changes)
    members["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    return members


def test_a_session_survives_a_round_trip(tmp_path):
    session = sample()
    path = save(session, tmp_path / "mine.hopfield")
    back = load(path)
    assert (back.rows, back.cols, back.names) == (6, 7, ["memory 0", "memory 1", "memory 2"])
    assert np.array_equal(back.patterns, session.patterns)
    assert np.array_equal(back.strengths, session.strengths)
    assert np.array_equal(back.state, session.state)
    assert back.temperature == 0.35
    network = back.network()
    original = sample().network()
    assert network.energy() == pytest.approx(original.energy())
    assert np.allclose(network.fields(), original.fields())


def test_saving_leaves_no_temporary_files(tmp_path):
    save(sample(), tmp_path / "a.hopfield")
    save(sample(1), tmp_path / "a.hopfield")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.hopfield"]


def test_a_failed_save_keeps_the_old_file_whole(tmp_path, monkeypatch):
    path = save(sample(0), tmp_path / "a.hopfield")
    before = path.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(SessionError, match="No space left"):
        save(sample(1), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.hopfield"]


def test_a_crash_mid_write_keeps_the_old_file_whole(tmp_path, monkeypatch):
    path = save(sample(0), tmp_path / "a.hopfield")
    before = path.read_bytes()

    reports: list[float] = []

    def crash(done: float) -> None:
        reports.append(done)
        if len(reports) > 2:  # the header and the first arrays are written by now
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        save(sample(1), path, report=crash)
    assert 0 < reports[-1] < 1
    assert path.read_bytes() == before
    assert load(path).names == sample(0).names


def test_an_unwritable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SessionError, match="cannot write"):
        save(sample(), blocker / "inside.hopfield")


@pytest.mark.parametrize(
    ("members", "message"),
    [
        pytest.param(with_meta(version=2), "version 2", id="wrong version"),
        pytest.param(with_meta(format="other"), "not a tui-hopfield session", id="wrong format"),
        pytest.param(with_meta(rows=300), "rows", id="grid over the limit"),
        pytest.param(with_meta(cols=0), "cols", id="no columns"),
        pytest.param(with_meta(names=["a", "a", "b"]), "same name", id="duplicate names"),
        pytest.param(with_meta(names=["a", "b"]), "patterns", id="names and patterns disagree"),
        pytest.param(with_meta(temperature=-1), "temperature", id="negative temperature"),
        pytest.param(with_meta(rule="mystery"), "rule", id="unknown rule"),
    ],
)
def test_damaged_headers_are_refused(tmp_path, members, message):
    path = write_members(tmp_path / "bad.npz", **members)
    with pytest.raises(SessionError, match=message):
        load(path)


def test_wrong_shapes_and_values_are_refused(tmp_path):
    members = good_members()
    cases = {
        "patterns shape": dict(members, patterns=members["patterns"][:, :-1]),
        "state shape": dict(members, state=members["state"][:-1]),
        "values other than +-1": dict(members, state=np.zeros_like(members["state"])),
        "float patterns": dict(members, patterns=members["patterns"].astype(np.float32)),
        "nan strength": dict(members, strengths=np.array([1.0, np.nan, 1.0])),
        "negative strength": dict(members, strengths=np.array([1.0, -2.0, 1.0])),
        "integer strengths": dict(members, strengths=np.array([1, 1, 1])),
    }
    for label, bad in cases.items():
        path = write_members(tmp_path / f"{label.replace(' ', '_')}.npz", **bad)
        with pytest.raises(SessionError):
            load(path)


def test_a_pickled_object_array_is_never_unpickled(tmp_path):
    class Boom:
        def __reduce__(self):
            return (os.system, ("echo pwned > " + str(tmp_path / "pwned"),))

    members = good_members()
    members["state"] = np.array([Boom()], dtype=object)
    path = tmp_path / "evil.npz"
    np.savez(path, **members)
    with pytest.raises(SessionError, match="objects"):
        load(path)
    assert not (tmp_path / "pwned").exists()


def test_a_plain_pickle_is_not_a_session(tmp_path):
    path = tmp_path / "evil.hopfield"
    path.write_bytes(pickle.dumps({"state": [1, 2, 3]}))
    with pytest.raises(SessionError, match="not a readable session"):
        load(path)


def test_truncated_and_missing_files_are_refused(tmp_path):
    path = save(sample(), tmp_path / "a.hopfield")
    data = path.read_bytes()
    for cut in (0, 10, len(data) // 2, len(data) - 5):
        broken = tmp_path / f"cut{cut}.hopfield"
        broken.write_bytes(data[:cut])
        with pytest.raises(SessionError):
            load(broken)
    with pytest.raises(SessionError, match="no such file"):
        load(tmp_path / "missing.hopfield")
    with pytest.raises(SessionError, match="folder"):
        load(tmp_path)


def test_a_missing_member_is_named(tmp_path):
    members = good_members()
    del members["strengths"]
    path = write_members(tmp_path / "a.npz", **members)
    with pytest.raises(SessionError, match="missing strengths"):
        load(path)


def test_a_zip_bomb_is_refused_from_its_header(tmp_path):
    """A member that claims a huge shape is refused before anything is unpacked."""
    members = good_members()
    path = tmp_path / "bomb.hopfield"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, array in members.items():
            if key == "patterns":
                header = io.BytesIO()
                np.lib.format.write_array_header_1_0(
                    header, {"descr": "|i1", "fortran_order": False, "shape": (100_000, 65536)}
                )
                archive.writestr("patterns.npy", header.getvalue() + b"\x01" * 1024)
            else:
                buffer = io.BytesIO()
                np.save(buffer, array)
                archive.writestr(f"{key}.npy", buffer.getvalue())
    with pytest.raises(SessionError, match="GiB"):
        load(path)


def test_a_new_file_gets_the_usual_permissions_and_an_old_one_keeps_its_own(tmp_path):
    umask = os.umask(0o022)
    try:
        path = save(sample(), tmp_path / "a.hopfield")
        assert path.stat().st_mode & 0o777 == 0o644
        path.chmod(0o600)
        save(sample(1), path)
        assert path.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)


SAVER = """
import sys
import numpy as np
from tui_hopfield.model import Network
from tui_hopfield.model.store import Session, save
rng = np.random.default_rng(0)
sessions = []
for tag in ("old", "new"):
    network = Network(64, 64)
    for k in range(150):
        network.imprint(rng.choice(np.array([-1, 1], dtype=np.int8), network.n), f"{tag} {k}")
    sessions.append(Session.of(network))
save(sessions[0], sys.argv[1])
print("ready", flush=True)
while True:
    for session in sessions:
        save(session, sys.argv[1])
"""


def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_session(tmp_path):
    """A real process saving in a loop is SIGKILLed at random moments, many times.

    The moments are drawn from a window that grows after every kill, so that
    whatever a save takes on this machine, the kills soon land both before and
    after the first new save: the loop ends when it has seen both, bounded by a
    count of kills, never by a clock.
    """
    import random
    import signal
    import subprocess
    import sys
    import time

    path = tmp_path / "s.hopfield"
    rng = random.Random(1)
    seen = set()
    window = 0.02
    for kills in range(1, 61):
        saver = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert saver.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, window))  # where the kill lands, not a wait for a result
        saver.send_signal(signal.SIGKILL)
        saver.wait()
        saver.stdout.close()
        session = load(path)  # never raises: the file is always whole
        tags = {name.split()[0] for name in session.names}
        assert len(tags) == 1 and len(session.names) == 150
        seen |= tags
        leftovers = [p.name for p in tmp_path.iterdir() if p.name != "s.hopfield"]
        for name in leftovers:  # a killed writer may leave its temporary file, never the target
            assert name.startswith(".s.hopfield.") and name.endswith(".tmp")
        if kills >= 12 and seen == {"old", "new"}:
            break
        window *= 1.4
    assert seen == {"old", "new"}  # the kills landed at different points of the loop


def test_save_refuses_what_load_would_refuse_and_writes_nothing(tmp_path):
    session = sample()
    session.names = ["x" * 300, "b", "c"]
    with pytest.raises(SessionError, match="names"):
        save(session, tmp_path / "long.hopfield")
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_home_in_a_path_is_a_clear_error_not_a_crash(tmp_path):
    with pytest.raises(SessionError, match="no such file"):
        load("~nobody-by-this-name-here/x.hopfield")


@pytest.mark.parametrize(
    ("rule", "settings"),
    [
        ("storkey", {}),
        ("pseudo-inverse", {}),
        ("dense", {"degree": 4}),
        ("dense", {"degree": "exp"}),
        ("modern", {"beta": 25.0}),
    ],
)
def test_the_rule_and_plasticity_settings_survive_a_round_trip(tmp_path, rule, settings):
    from tui_hopfield.model.rules import Rule

    network = sample().network()
    network.rule = Rule.from_settings(rule, settings)
    network.decay = 0.8
    network.use_boost = 0.5
    path = save(Session.of(network, 0.1, mode="sync"), tmp_path / "rule.hopfield")
    back = load(path)
    assert back.mode == "sync"
    again = back.network()
    assert again.rule == network.rule
    assert (again.decay, again.use_boost) == (0.8, 0.5)
    # The saved strengths are not decayed a second time on the way in.
    assert np.array_equal(again.strengths, network.strengths)
    assert again.energy() == pytest.approx(network.energy())


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"degree": 12}, "degree"),
        ({"degree": "cubic"}, "degree"),
        ({"beta": "hot"}, "beta"),
        ({"decay": 0}, "decay"),
        ({"decay": 1.5}, "decay"),
        ({"use_boost": -1}, "learning from use"),
        ({"mode": "sideways"}, "update mode"),
    ],
)
def test_damaged_settings_are_refused(tmp_path, settings, message):
    members = with_meta(rule="dense", settings=settings)
    path = write_members(tmp_path / "bad.npz", **members)
    with pytest.raises(SessionError, match=message):
        load(path)


def test_a_storkey_session_too_large_for_its_budget_is_refused(tmp_path):
    session = Session(
        128, 128, [], np.zeros((0, 128 * 128), np.int8), np.zeros(0), -np.ones(128 * 128, np.int8)
    )
    path = save(session, tmp_path / "big.hopfield")
    members = dict(np.load(path))
    meta = json.loads(members["meta"].tobytes())
    meta["rule"] = "storkey"
    members["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    bad = write_members(tmp_path / "storkey.npz", **members)
    with pytest.raises(SessionError, match="budget"):
        load(bad)


@pytest.mark.parametrize("side", [8, 32, 64, 128, 256])
def test_the_largest_overload_the_app_makes_is_a_session_it_opens(side):
    """The overload's cap and the session's bound agree (16,384 memories at 256x256 saved,
    then refused on opening, was a new user's report)."""
    from tui_hopfield.model.overload import most_memories
    from tui_hopfield.model.session_format import MAX_ARRAY_BYTES, MAX_META_BYTES

    network = Network(side, side)
    n = network.n
    most = min(most_memories(network), n)  # the overload's load is at most 1
    assert most * n + 8 * most + n + MAX_META_BYTES <= MAX_ARRAY_BYTES
