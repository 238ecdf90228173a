"""The compiled kernels load in a thread once the app is up, never on its start-up path."""

from __future__ import annotations

import subprocess
import sys
import threading

from tui_hopfield.model import preload


async def test_the_app_loads_the_compiled_kernels_in_a_thread_after_it_starts(app, monkeypatch):
    seen: list[threading.Thread] = []
    done = threading.Event()

    def spy() -> None:
        seen.append(threading.current_thread())
        done.set()

    monkeypatch.setattr(preload, "_started", threading.Event())
    monkeypatch.setattr(preload, "load_compiled", spy)
    async with app.run_test() as pilot:
        for _ in range(200):
            if done.is_set():
                break
            await pilot.pause(0.01)
        assert done.is_set()
    assert len(seen) == 1 and seen[0] is not threading.main_thread()


def test_it_starts_once_a_process(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(preload, "_started", threading.Event())
    monkeypatch.setattr(preload, "load_compiled", lambda: calls.append(1))
    preload.start()
    preload.start()
    for thread in threading.enumerate():
        if thread.name == "load-compiled":
            thread.join(timeout=60)
    assert calls == [1]


def test_loading_them_leaves_numba_ready():
    preload.load_compiled()
    assert "numba" in sys.modules and "tui_hopfield.model.compiled" in sys.modules
    from tui_hopfield.model.compiled import sweep_fields
    from tui_hopfield.model.compiled_visits import visit_hebbian

    assert visit_hebbian.signatures and sweep_fields.signatures  # loaded, not just imported


def test_importing_the_preloader_or_the_ui_imports_no_numba():
    code = (
        "import sys, tui_hopfield.model.preload, tui_hopfield.ui.app;"
        " print('numba' in sys.modules, 'tui_hopfield.model.compiled' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    assert result.stdout.split() == ["False", "False"]
