"""Exports of the Dashboard's current filter, on a worker, with a progress dialog and Cancel.

The writing is ``StoreDesk.export_xlsx`` / ``export_csv`` (``champions.coordinator.exports``), the
records read again from the export thread's store a chunk at a time:
rows stream to a temporary file beside the target that is renamed over it only at the end, so
a cancelled or failed export leaves no file at all, never a half-written one. Here we only
show the job's progress and carry its Cancel back (``widgets.task_progress``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ...coordinator import Cancelled, ReportFilter
from ...coordinator.desk import Desk, StoreDesk
from ..widgets.task_progress import PROGRESS_STEPS, TaskProgress
from ..workers import StoreWorker
from .pdf_summary import SummaryJob, SummaryRequest



@dataclass(frozen=True)
class ExportChoice:
    key: str  # "xlsx", "pdf" (the summary for funders) or a table for CSV: "conversations", "barriers", …

    @property
    def suffix(self) -> str:
        return {"xlsx": ".xlsx", "pdf": ".pdf"}.get(self.key, ".csv")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    cancelled: bool = False
    error: BaseException | None = None


class ExportRun(QObject):
    """One export: starts at once, shows its progress, ends with ``finished(ExportResult)``."""

    finished = Signal(object)

    def __init__(self, worker: StoreWorker, desk: Desk | StoreDesk, choice: ExportChoice, path: Path,
                 report_filter: ReportFilter, parent: QWidget, summary: SummaryRequest | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.choice = choice
        self.final_value = 0
        self.progress = TaskProgress(parent, name="exportProgress", title=self.tr("Exporting"),
                                     label=self.tr("Writing {name}…").format(name=self.path.name),
                                     accessible_name=self.tr("Export progress"))
        self.bridge, self.task, self.dialog = self.progress.bridge, self.progress.task, self.progress.dialog
        task, path, flt = self.task, self.path, report_filter

        def job(store: Any) -> int | None:  # store: the export thread's own, to read the records from
            try:
                if choice.key == "xlsx":
                    return sum(desk.export_xlsx(path, flt, task, store=store).values())
                return desk.export_csv(path, choice.key, flt, task, store=store)
            except Cancelled:  # expected: an answer, not a failure to log
                return None

        self.dialog.show()
        self.summary_job: SummaryJob | None = None
        if choice.key == "pdf":  # charts on the GUI thread between two worker steps: see pdf_summary
            if summary is None:
                raise ValueError("a PDF summary needs the page's SummaryRequest")
            self.summary_job = SummaryJob(worker, desk, path, report_filter, task, summary, self)
            self.summary_job.finished.connect(self._done)
            self.summary_job.failed.connect(self._failed)
            self.summary_job.start()
        else:
            worker.submit(job, self._done, self._failed)

    @property
    def progress_bar_value(self) -> int:
        return self.dialog.value()

    def cancel(self) -> None:
        """From the dialog's Cancel (or Escape): the job stops at its next check and removes its temporary file."""
        self.progress.cancel()

    def _done(self, rows: int | None) -> None:
        # A Cancel that came after the last row was written leaves the finished file: it is complete.
        if rows is not None:
            self.final_value = PROGRESS_STEPS
            self.progress.complete()  # the job counts kept records against all of them
        self._end(ExportResult(self.path, rows or 0, cancelled=rows is None))

    def _failed(self, exc: BaseException) -> None:
        self._end(ExportResult(self.path, 0, error=exc))

    def _end(self, result: ExportResult) -> None:
        self.progress.close()
        self.finished.emit(result)
