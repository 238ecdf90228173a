"""Running one job at a time in a thread worker, for a screen (see ``ui.jobs``)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from textual import work
from textual.worker import get_current_worker

from tui_hopfield.model.errors import Cancelled
from tui_hopfield.ui.jobs import Job, Steps, lower_priority


class JobRunner:
    """A mixin for the main screen: heavy work in a worker on a copy, swapped in when done.

    The screen keeps ``workspace`` (whose ``job`` label the status bar shows)
    and ``_show()`` (which refreshes the snapshot).
    """

    _job: Job | None = None

    @property
    def running(self) -> Job | None:
        """The job running in a worker (saving, opening, learning a rule), if any."""
        return self._job

    def _refused(self, what: str, unless: str | None = None) -> bool:
        """Whether ``what`` must wait for the running job (unless it is of kind ``unless``).

        Edits to the memories wait for a job, which works on a copy of them;
        drawing, breaking and recall on the grid go on.
        """
        job = self._job
        if job is None or job.kind == unless:
            return False
        self.notify(
            f"{what} waits for the work running: {job.describe()}. Escape cancels it.",
            title="Busy",
            severity="warning",
            timeout=4,
        )
        return True

    def _start_job(
        self,
        kind: str,
        label: str,
        work: Callable[[Steps], object],
        done: Callable,
        title: str,
    ) -> Job:
        """Run ``work`` in a thread worker; on the event loop, ``done`` its result.

        A failure is reported under ``title``; a cancel or a later job drops
        the result. Everything ``work`` builds must be new (copies).
        """
        network = self.workspace.network
        job = Job(kind, label, network, network.revision)
        self._job = job
        self._show_job(job.describe())
        self._run_job(job, work, done, title)
        return job

    def _show_job(self, label: str) -> None:
        self.workspace.job = label
        self._show()

    @work(thread=True, group="job", exit_on_error=False)
    def _run_job(
        self, job: Job, work: Callable[[Steps], object], done: Callable, title: str
    ) -> None:
        worker = get_current_worker()
        lower_priority()
        steps = Steps(job, self._send_progress, lambda: worker.is_cancelled)
        try:
            result = work(steps)
        except Cancelled:
            return
        except Exception as error:  # a bad file, out of memory: say so, change nothing
            if not steps.cancelled():
                self._from_thread(self._job_failed, job, title, error)
            return
        if not steps.cancelled():
            self._from_thread(self._job_finished, job, done, result)

    def _from_thread(self, callback: Callable, *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile: nothing to tell
            self.app.call_from_thread(callback, *args)

    def _send_progress(self, job: Job, phase: str, fraction: float | None) -> None:
        if not job.cancelled:
            self._from_thread(self._job_progress, job, phase, fraction)

    def _job_progress(self, job: Job, phase: str, fraction: float | None) -> None:
        if job is self._job:
            job.phase, job.fraction = phase, fraction
            self._show_job(job.describe())

    def _job_finished(self, job: Job, done: Callable, result: object) -> None:
        if job is not self._job:
            return  # cancelled or replaced meanwhile: dropped
        self._end_job()
        done(result)

    def _job_failed(self, job: Job, title: str, error: Exception) -> None:
        if job is not self._job:
            return
        self._end_job()
        self.notify(str(error) or type(error).__name__, title=title, severity="error")

    def _end_job(self) -> None:
        self._job = None
        self._show_job("")

    def _cancel_job(self) -> Job | None:
        """Stop the running job, if any; its worker drops what it built."""
        job = self._job
        if job is not None:
            job.cancelled = True
            self._end_job()
        return job

    def action_cancel_job(self) -> None:
        """Cancel the work running in a worker: everything stays as it was."""
        job = self._cancel_job()
        if job is not None:
            self.notify(f"Cancelled {job.label}: nothing changed.", timeout=3)
