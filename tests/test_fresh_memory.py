"""The pattern store's own buffers: mapped by it, faulted in with one call.

``pattern_store.fresh_bytes`` and ``prefault`` (Linux: a private mapping, in
small pages for the rows and huge ones for the columns, then
``MADV_POPULATE_WRITE``), ``pattern_store.transpose`` in two threads, and the
store built on them: with the threshold
lowered so that even a tiny store maps its buffers, every stored array is still
exactly what plain numpy makes (the rows as given, the columns their transpose),
through imprints, edits, copies and learning; the column buffer is as wide as
the columns when laid out from none (or as ``reserve`` asked), not as the rows'
spare room.
"""

from __future__ import annotations

import mmap
import sys

import numpy as np
import pytest

from tui_hopfield.model import Network, compiled
from tui_hopfield.model import pattern_store as store_module
from tui_hopfield.model.pattern_store import PatternStore, fresh_bytes, prefault

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux mappings")


def populates() -> bool:
    """Whether this kernel knows ``MADV_POPULATE_WRITE`` (Linux 5.14 on)."""
    if not sys.platform.startswith("linux"):
        return False
    probe = mmap.mmap(-1, mmap.PAGESIZE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        probe.madvise(store_module.MADV_POPULATE_WRITE)
    except OSError:
        return False
    finally:
        probe.close()
    return True


def spins(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    return np.where(rng.random(shape) < 0.5, 1, -1).astype(np.int8)


def mapping_of(array: np.ndarray) -> mmap.mmap | None:
    """The mapping under a ``fresh_bytes`` array, or None."""
    base = array.base
    while isinstance(base, (np.ndarray, memoryview)):
        base = base.obj if isinstance(base, memoryview) else base.base
    return base if isinstance(base, mmap.mmap) else None


def smaps_field(array: np.ndarray, field: str) -> int:
    """A field of the mapping that holds ``array``, from /proc/self/smaps (``Rss`` in KiB)."""
    address = np.frombuffer(mapping_of(array), dtype=np.int8).ctypes.data
    with open("/proc/self/smaps") as smaps:
        inside = False
        for line in smaps:
            head = line.split()[0]
            if "-" in head and not head.endswith(":"):
                low, high = (int(part, 16) for part in head.split("-"))
                inside = low <= address < high
            elif inside and head == f"{field}:":
                return int(line.split()[1])
    raise AssertionError(f"no {field} for the mapping in /proc/self/smaps")


def resident_kib(array: np.ndarray) -> int:
    """The resident size of the mapping that holds ``array``."""
    return smaps_field(array, "Rss")


def huge_pages_on() -> bool:
    """Whether this kernel gives huge pages to a mapping that asks (``madvise`` or ``always``)."""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as setting:
            return "[never]" not in setting.read()
    except OSError:
        return False


@pytest.fixture
def mapped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every store buffer, however small, mapped by ``fresh_bytes``."""
    monkeypatch.setattr(store_module, "FRESH_BYTES", 0)


@linux
def test_a_large_buffer_is_a_writable_mapping_of_its_own():
    shape = (3, store_module.FRESH_BYTES // 3 + 1)
    array = fresh_bytes(shape)
    assert array.shape == shape and array.dtype == np.int8 and array.flags.writeable
    assert mapping_of(array) is not None and len(mapping_of(array)) == array.nbytes
    small = fresh_bytes((3, 5))
    assert mapping_of(small) is None and small.flags.owndata
    if huge_pages_on():  # small pages by default, huge ones when asked
        assert smaps_field(array, "THPeligible") == 0
        assert smaps_field(fresh_bytes(shape, huge=True), "THPeligible") == 1


@pytest.mark.skipif(not populates(), reason="a kernel without MADV_POPULATE_WRITE")
def test_prefault_brings_in_the_pages_asked_for_and_changes_nothing(mapped):
    page = mmap.PAGESIZE
    array = fresh_bytes((64, page))
    before = resident_kib(array)
    prefault(array[8:], 0, 4 * page)  # a view: its own offsets, whole pages
    assert resident_kib(array) - before == 4 * page // 1024
    prefault(array, 3 * page + 1, 3 * page + 2)  # the page that holds them
    assert resident_kib(array) - before == 5 * page // 1024
    np.testing.assert_array_equal(array, np.zeros_like(array))
    array[10] = 7
    prefault(array, 0, array.nbytes)
    assert resident_kib(array) - before == 64 * page // 1024
    assert (array[10] == 7).all() and not array[11:].any() and not array[:10].any()


@pytest.mark.skipif(not populates(), reason="a kernel without MADV_POPULATE_WRITE")
def test_prefault_goes_a_block_at_a_time_and_covers_the_whole_range(mapped, monkeypatch):
    page = mmap.PAGESIZE
    monkeypatch.setattr(store_module, "PREFAULT_BLOCK_BYTES", 3 * page)
    calls: list[tuple[int, int]] = []
    real = mmap.mmap.madvise

    class Counted(mmap.mmap):
        def madvise(self, option, start=0, length=None):  # type: ignore[no-untyped-def]
            if option == store_module.MADV_POPULATE_WRITE:
                calls.append((start, length))
            return real(self, option, start, length if length is not None else len(self) - start)

    monkeypatch.setattr(store_module.mmap, "mmap", Counted)
    array = fresh_bytes((40, page))
    before = resident_kib(array)
    prefault(array, page + 5, 11 * page)  # pages 1 to 10
    assert calls == [(page * at, page * length) for at, length in ((1, 3), (4, 3), (7, 3), (10, 1))]
    assert resident_kib(array) - before == 10 * page // 1024


def test_prefault_leaves_a_numpy_array_alone():
    array = np.arange(12, dtype=np.int8).reshape(3, 4)
    prefault(array, 0, array.nbytes)
    np.testing.assert_array_equal(array, np.arange(12, dtype=np.int8).reshape(3, 4))


@pytest.mark.parametrize("n", [35, 64])
def test_mapped_store_holds_what_numpy_would_through_every_edit(mapped, n):
    rng = np.random.default_rng(n)
    store = PatternStore(n)
    kept: list[np.ndarray] = []

    def check(which: PatternStore, expected: np.ndarray) -> None:
        np.testing.assert_array_equal(which.rows, expected)
        np.testing.assert_array_equal(which.columns, np.ascontiguousarray(expected.T))

    for count in (1, 5, 9, 2):
        for pattern in spins(rng, (count, n)):
            store.append(pattern)
            kept.append(pattern)
        check(store, np.array(kept))
        extra = spins(rng, (count + 6, n))
        store.extend(extra)
        kept.extend(extra)
        check(store, np.array(kept))
    store.remove(0)
    del kept[0]
    pattern = spins(rng, (1, n))[0]
    store.insert(4, pattern)
    kept.insert(4, pattern)
    check(store, np.array(kept))
    store.reserve(len(kept) + 40)
    extra = spins(rng, (30, n))
    store.extend(extra)
    copy = store.copy()
    check(copy, np.concatenate([np.array(kept), extra]))
    copy.extend(extra[:3])
    check(copy, np.concatenate([np.array(kept), extra, extra[:3]]))
    check(store, np.concatenate([np.array(kept), extra]))
    if sys.platform.startswith("linux"):
        assert mapping_of(store._rows) is not None and mapping_of(store._columns) is not None


@pytest.mark.skipif(not huge_pages_on(), reason="a kernel without transparent huge pages")
def test_rows_are_in_small_pages_and_columns_in_huge_ones(mapped):
    rng = np.random.default_rng(2)
    store = PatternStore(4096)
    store.extend(spins(rng, (1100, 4096)))  # 4.5 MB each way: whole huge pages inside
    copy = store.copy()
    assert store.columns.shape == (4096, 1100) and copy.columns.shape == (4096, 1100)
    assert smaps_field(store._rows, "THPeligible") == 0
    assert smaps_field(copy._rows, "THPeligible") == 0
    assert smaps_field(store._columns, "THPeligible") == 1
    assert smaps_field(copy._columns, "THPeligible") == 1


def test_mapped_network_imprints_the_same_arrays_as_plain_numpy(mapped):
    rng = np.random.default_rng(9)
    patterns = spins(rng, (37, 48))
    state = spins(rng, (1, 48))[0]
    network = Network(6, 8)
    network.set_state(state)
    network.imprint_many(patterns, [f"m{k}" for k in range(37)])
    landscape = network.landscape
    np.testing.assert_array_equal(network.patterns, patterns)
    np.testing.assert_array_equal(landscape.patterns, patterns)
    np.testing.assert_array_equal(landscape.columns, np.ascontiguousarray(patterns.T))
    assert landscape.columns.dtype == np.int8
    np.testing.assert_array_equal(network.dots, patterns.astype(np.int64) @ state)


@pytest.mark.parametrize("threshold", [0, None])
def test_columns_laid_out_from_none_are_as_wide_as_the_columns(monkeypatch, threshold):
    if threshold is not None:
        monkeypatch.setattr(store_module, "FRESH_BYTES", threshold)
    rng = np.random.default_rng(3)
    store = PatternStore(16)
    store.extend(spins(rng, (30, 16)))  # rows: room for 30 + 30 // 8, 40 in words
    assert store._rows.shape[0] == 40
    assert store.columns.shape == (16, 30)
    assert store._columns.shape[1] == 32  # whole words, no more
    store.append(spins(rng, (1, 16))[0])
    store.append(spins(rng, (1, 16))[0])
    assert store.columns.shape == (16, 32) and store._columns.shape[1] == 32
    store.append(spins(rng, (1, 16))[0])  # past the width: it takes the rows' room
    assert store.columns.shape == (16, 33) and store._columns.shape[1] == 40
    reserved = PatternStore(16)
    reserved.reserve(50)
    reserved.extend(spins(rng, (30, 16)))
    assert reserved.columns.shape == (16, 30)
    assert reserved._columns.shape[1] == 56  # what reserve asked for, in words


@pytest.mark.parametrize(
    ("count", "n", "first"),
    [(200, 64, 0), (203, 40, 5), (230, 24, 67), (150, 15, 3), (200, 8, 64)],
)
def test_two_threads_transpose_exactly_what_one_does(monkeypatch, count, n, first):
    monkeypatch.setattr(store_module, "SPLIT_BYTES", 1)
    monkeypatch.setattr(store_module, "_cores", lambda: 2)
    started: list[str] = []
    real = store_module.threading.Thread

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(kwargs.get("name", ""))
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module.threading, "Thread", counted)
    rng = np.random.default_rng(count + n)
    rows = rng.integers(-128, 128, (count, n)).astype(np.int8)
    width = -(-count // 8) * 8 + (3 if n % 8 else 0)  # bytes only where N is not words
    columns = np.zeros((n, width), dtype=np.int8)
    store_module.transpose(rows, columns, first, count)
    expected = np.zeros((n, width), dtype=np.int8)
    expected[:, first:count] = rows[first:count].T
    np.testing.assert_array_equal(columns, expected)
    assert started == ["transpose"]  # the second half ran in a thread of its own


def test_a_failing_second_half_raises_in_the_caller(monkeypatch):
    monkeypatch.setattr(store_module, "SPLIT_BYTES", 1)
    monkeypatch.setattr(store_module, "_cores", lambda: 2)
    real = compiled.transpose_into
    halves: list[tuple[int, int]] = []

    def failing(rows, columns, first, last):  # type: ignore[no-untyped-def]
        halves.append((first, last))
        if first:
            raise RuntimeError("the second half failed")
        real(rows, columns, first, last)

    monkeypatch.setattr(compiled, "transpose_into", failing)
    rows = np.ones((256, 16), dtype=np.int8)
    with pytest.raises(RuntimeError, match="second half"):
        store_module.transpose(rows, np.zeros((16, 256), dtype=np.int8), 0, 256)
    assert sorted(halves) == [(0, 128), (128, 256)]


def test_the_store_lays_out_a_large_batch_in_two_threads(monkeypatch):
    monkeypatch.setattr(store_module, "SPLIT_BYTES", 1)
    monkeypatch.setattr(store_module, "_cores", lambda: 2)
    rng = np.random.default_rng(5)
    patterns = spins(rng, (300, 72))
    store = PatternStore(72)
    store.extend(patterns[:7])
    np.testing.assert_array_equal(store.columns, patterns[:7].T)
    store.extend(patterns[7:])
    np.testing.assert_array_equal(store.columns, np.ascontiguousarray(patterns.T))
