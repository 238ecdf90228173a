"""The capacity sweep's trials as seeded tasks: any jobs, any executor, the same numbers."""

from __future__ import annotations

import sys
from concurrent.futures import Executor, Future, ThreadPoolExecutor

import numpy as np
import pytest

from tui_hopfield.experiments import cli, trials
from tui_hopfield.experiments.capacity import CapacitySettings, run_capacity
from tui_hopfield.experiments.chains import ChainSettings, run_chains
from tui_hopfield.experiments.cli import main
from tui_hopfield.model.errors import ModelError
from tui_hopfield.model.rules import Rule

SETTINGS = CapacitySettings(n=64, alphas=(0.1, 0.2, 0.3), trials=5, seed=7)


@pytest.fixture(scope="module")
def here():
    return run_capacity(SETTINGS)


def test_two_processes_give_the_numbers_of_one(here):
    there = run_capacity(SETTINGS, jobs=2)
    assert there.complete and here.complete
    assert there.points == here.points
    assert [p.trials for p in there.points] == [5, 5, 5]


def test_any_executor_gives_the_same_numbers(here):
    # Threads finish the trials in any order; the totals are still added in trial order.
    with ThreadPoolExecutor(3) as executor:
        assert run_capacity(SETTINGS, executor=executor).points == here.points


class Backwards(Executor):
    """Runs nothing until all ``count`` trials are in, then the last first."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.waiting: list[tuple[Future, object, tuple]] = []

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()
        self.waiting.append((future, fn, args))
        if len(self.waiting) == self.count:
            for waiting, function, arguments in reversed(self.waiting):
                waiting.set_running_or_notify_cancel()
                waiting.set_result(function(*arguments))
        return future


def test_trials_run_last_first_give_the_same_numbers(here):
    assert run_capacity(SETTINGS, executor=Backwards(SETTINGS.trials)).points == here.points


def test_storkey_trials_nest_their_loads_in_a_worker_too():
    settings = CapacitySettings(Rule("storkey"), n=48, alphas=(0.1, 0.3), trials=2, seed=2)
    assert run_capacity(settings, jobs=2).points == run_capacity(settings).points


def test_each_trial_has_its_own_seed_whatever_the_count():
    three, five = trials.trial_seeds(4, 3), trials.trial_seeds(4, 5)
    draws = [np.random.default_rng(seed).integers(1 << 30) for seed in five]
    assert [np.random.default_rng(seed).integers(1 << 30) for seed in three] == draws[:3]
    assert len(set(draws)) == 5


def test_progress_from_a_pool_counts_whole_trials():
    seen = []
    run_capacity(SETTINGS, lambda done, total: seen.append((done, total)), jobs=2)
    assert seen == [(3 * k, 15) for k in range(6)]


def test_a_stopped_pool_keeps_the_trials_that_finished():
    settings = CapacitySettings(n=64, alphas=(0.1, 0.2, 0.3), trials=6, seed=7)
    finished = []

    def stop() -> bool:
        return bool(finished)

    result = run_capacity(
        settings, lambda done, _: finished.append(done) if done else None, stop, jobs=2
    )
    assert not result.complete
    counts = [p.trials for p in result.points]
    # At least the trial that was reported is kept; those not started were cancelled, and
    # the ones running when it stopped ended after their current load.
    assert counts[-1] >= 1 and counts[-1] < 6
    assert counts == sorted(counts, reverse=True)


def test_ctrl_c_during_a_pool_keeps_what_came_back():
    def progress(done: int, total: int) -> None:
        if done:
            raise KeyboardInterrupt

    result = run_capacity(SETTINGS, progress, jobs=2)
    assert not result.complete
    assert result.points and result.points[-1].trials >= 1


def test_bad_jobs_are_refused():
    with pytest.raises(ModelError, match="jobs are from 1"):
        run_capacity(SETTINGS, jobs=0)


@pytest.mark.parametrize("jobs", ["0", "x", "257"])
def test_bad_jobs_on_the_command_line_exit_with_the_usage(jobs, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["capacity", "--jobs", jobs])
    assert exit_.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def test_the_command_line_jobs_give_the_same_table(capsys):
    args = ["capacity", "--size", "64", "--alphas", "0.1,0.2", "--trials", "3", "--seed", "5"]
    assert main([*args, "--jobs", "1", "--no-plot", "--quiet"]) == 0
    one = capsys.readouterr().out
    assert main([*args, "--jobs", "2", "--no-plot", "--quiet"]) == 0
    assert capsys.readouterr().out == one


def test_an_executor_without_dask_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    code = main(["capacity", "--size", "64", "--executor", "tcp://localhost:8786"])
    assert code == 1
    err = capsys.readouterr().err
    assert "distributed" in err and "pip install 'tui-hopfield[dask]'" in err


def test_an_executor_at_a_bad_address_says_so(capsys):
    pytest.importorskip("distributed")
    code = main(["capacity", "--size", "64", "--executor", "no-port-here"])
    assert code == 1
    assert "cannot reach a Dask scheduler at 'no-port-here'" in capsys.readouterr().err


def test_a_dask_cluster_gives_the_same_numbers(here, capsys):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None, processes=True
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert run_capacity(SETTINGS, executor=client.get_executor()).points == here.points
        args = ["capacity", "--size", "64", "--alphas", "0.1,0.2", "--trials", "3", "--seed", "5"]
        assert main([*args, "--jobs", "1", "--no-plot", "--quiet"]) == 0
        local = capsys.readouterr().out
        address = cluster.scheduler_address
        assert main([*args, "--executor", address, "--no-plot", "--quiet"]) == 0
        assert capsys.readouterr().out == local


def test_the_chain_sweep_gives_the_same_counts_in_a_pool():
    settings = ChainSettings(100, (0.03, 0.2), (0.5, 2.0), 3, 0.1, 1.0, seed=3)
    here, there = run_chains(settings), run_chains(settings, jobs=2)
    assert here.complete and there.complete
    assert there.points == here.points and [p.trials for p in here.points] == [3] * 4


class Failing(Executor):
    """A cluster whose workers cannot run the trials."""

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()
        future.set_exception(RuntimeError("No module named 'tui_hopfield'"))
        return future


def test_a_cluster_that_cannot_run_the_trials_says_so(monkeypatch, capsys):
    closed = []
    monkeypatch.setattr(cli, "connect", lambda address: (Failing(), lambda: closed.append(address)))
    code = main(["capacity", "--size", "64", "--trials", "2", "--executor", "tcp://x:1"])
    assert code == 1 and closed == ["tcp://x:1"]
    err = capsys.readouterr().err
    assert "the Dask cluster could not run the trials: No module named 'tui_hopfield'" in err
