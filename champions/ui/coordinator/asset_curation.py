"""The coordinator's curation of community assets: Open Referral UK in and out, with progress and Cancel.

The reading and writing are ``champions.coordinator.openreferral`` (``import_package`` matches by
service id, so importing the same package twice changes nothing; ``export_package`` writes into a
temporary folder moved in at the end, so Cancel leaves the folder as it was). Here we run them on
a worker thread of their own (``TaskRun``: a long import never holds up the lists' searches), show
a progress dialog whose Cancel reaches the job through a thread-safe ``TaskState``, and put the
answer in plain words.

Paths are asked through a *path chooser*, ``chooser(purpose) -> Path | None``: the app's default
asks with ``QFileDialog``; tests pass one that returns their folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ...coordinator import Cancelled, TaskState
from ..widgets.task_progress import TaskProgress
from ..workers import StoreWorker

#: What a path is chosen for; the chooser's one argument.
ORUK_IMPORT = "oruk-import"
ORUK_EXPORT = "oruk-export"
DEPRIVATION_FILE = "deprivation-file"
PathChooser = Callable[[str], "Path | None"]
#: Problems listed in the message itself; the rest are under "Show Details…".
PROBLEMS_SHOWN = 6
_CONTEXT = "AssetCuration"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def documents_folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def file_dialog_chooser(parent: QWidget) -> PathChooser:
    """The app's chooser: a folder for Open Referral UK (in or out), a CSV file for deprivation."""

    def choose(purpose: str) -> Path | None:
        if purpose == ORUK_IMPORT:
            name = QFileDialog.getExistingDirectory(
                parent, _tr("Choose the folder of the Open Referral UK package (with datapackage.json)"), documents_folder())
        elif purpose == ORUK_EXPORT:
            name = QFileDialog.getExistingDirectory(
                parent, _tr("Choose a folder to export the community assets into"), documents_folder())
        elif purpose == DEPRIVATION_FILE:
            name, _ = QFileDialog.getOpenFileName(parent, _tr("Choose the deprivation file"), documents_folder(),
                                                  _tr("CSV file (*.csv);;All files (*)"))
        else:
            raise ValueError(f"unknown purpose {purpose!r}")
        return Path(name) if name else None

    return choose


# ---- one long job, off the GUI thread ---------------------------------------------------------

@dataclass(frozen=True)
class RunResult:
    value: Any = None
    cancelled: bool = False
    error: BaseException | None = None


class TaskRun(QObject):
    """One job ``job(store, task)`` on a worker thread of its own, with a progress dialog and Cancel.

    Like the Dashboard's ``ExportRun`` (the same dialog, Cancel through ``TaskState``), for any
    job of ``champions.coordinator`` that takes a task. Its own ``StoreWorker`` (a thread with
    its own ``Store``) is closed when the job ends. Ends with ``finished(RunResult)``.
    """

    finished = Signal(object)

    def __init__(self, store: Any, job: Callable[[Any, TaskState], Any], title: str, label: str,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.progress = TaskProgress(parent, name="curationProgress", title=title, label=label, accessible_name=title)
        self.bridge, self.task, self.dialog = self.progress.bridge, self.progress.task, self.progress.dialog
        self.result: RunResult | None = None
        self.worker = StoreWorker(store, self, name="curation-worker")
        task = self.task

        def run(thread_store: Any) -> RunResult:
            try:
                return RunResult(job(thread_store, task))
            except Cancelled:  # expected: an answer, not a failure to log
                return RunResult(cancelled=True)

        self.dialog.show()
        self.worker.submit(run, self._end, lambda exc: self._end(RunResult(error=exc)))

    def is_running(self) -> bool:
        return self.result is None

    def cancel(self) -> None:
        """From the dialog's Cancel (or Escape): the job stops at its next check, changing nothing."""
        self.progress.cancel()

    def _end(self, result: RunResult) -> None:
        self.result = result
        self.progress.close()
        self.worker.close()  # the job has returned: this only closes the thread's store
        self.finished.emit(result)

    def shutdown(self) -> None:
        """The window is closing: cancel, and wait for the job to stop (it checks between rows)."""
        if self.result is None:
            self.task.cancel()
        self.worker.close()


# ---- Open Referral UK ------------------------------------------------------------------------

def import_oruk(store: Any, folder: Path, task: TaskState) -> Any:
    """On the worker: the package's assets into the store (new ids added, known ids updated)."""
    from ...coordinator.openreferral import import_package

    return import_package(folder, store, task)


def export_oruk(store: Any, folder: Path, task: TaskState) -> dict[str, int]:
    """On the worker: every live asset (proposed ones too, marked so) as a package in ``folder``."""
    from ...coordinator.openreferral import export_package
    from ...store import Query

    return export_package(folder, store.assets.query(Query()), store.reference, task)


@dataclass(frozen=True)
class Message:
    """What a message box says: its headline, the details under it, and the full list of problems."""

    text: str
    informative: str = ""
    details: str = ""
    warning: bool = False


def problem_lines(problems: list[Any], more: int = 0) -> tuple[str, str]:
    """The first problems for the message, and all of them for its details."""
    lines = [str(p) for p in problems]
    shown = "\n".join(lines[:PROBLEMS_SHOWN])
    hidden = len(lines) - PROBLEMS_SHOWN + more
    if hidden > 0:
        shown += "\n" + (_tr("…and 1 more (Show Details…).") if hidden == 1
                         else _tr("…and {n} more (Show Details…).").format(n=hidden))
    return shown, "\n".join(lines) if len(lines) > PROBLEMS_SHOWN else ""


def oruk_import_message(result: RunResult, folder: Path) -> Message:
    """The import's outcome in plain words: '12 assets imported: 10 new, 2 updated.'"""
    if result.cancelled:
        return Message(_tr("Import cancelled: no asset was changed."))
    if result.error is not None:
        return Message(_tr("The import stopped, and no asset was changed."),
                       _tr("What went wrong: {why}").format(why=result.error), warning=True)
    report = result.value
    changed = report.created + report.updated
    if changed == 1:
        text = _tr("1 asset imported: {new} new, {updated} updated.").format(new=report.created, updated=report.updated)
    elif changed:
        text = _tr("{n} assets imported: {new} new, {updated} updated.").format(
            n=changed, new=report.created, updated=report.updated)
    elif report.unchanged:
        text = _tr("Nothing to import: the assets in this package are already listed as they are.")
    else:
        text = _tr("Nothing was imported from {folder}.").format(folder=folder.name or str(folder))
    parts = []
    if changed and report.unchanged:
        parts.append(_tr("1 was already up to date.") if report.unchanged == 1
                     else _tr("{n} were already up to date.").format(n=report.unchanged))
    details = ""
    if report.problems:
        shown, details = problem_lines(report.problems)
        count = len(report.problems)
        parts.append((_tr("1 problem in the package:") if count == 1
                      else _tr("{n} problems in the package:").format(n=count)) + "\n" + shown)
    if changed:
        parts.append(_tr("The champions get them on their next sync."))
    return Message(text, "\n\n".join(parts), details, warning=bool(report.problems) or not (changed or report.unchanged))


def oruk_export_message(result: RunResult, folder: Path) -> Message:
    if result.cancelled:
        return Message(_tr("Export cancelled: the folder was left as it was."))
    if result.error is not None:
        return Message(_tr("The export failed, and the folder was left as it was."),
                       _tr("What went wrong: {why}").format(why=result.error), warning=True)
    counts: dict[str, int] = result.value
    assets = counts.get("services.csv", 0)
    text = (_tr("1 asset exported as Open Referral UK.") if assets == 1
            else _tr("{n} assets exported as Open Referral UK.").format(n=assets))
    files = ", ".join(["datapackage.json", *counts])
    return Message(text, _tr("In {folder}: {files}.").format(folder=folder, files=files))


def show_message(parent: QWidget, title: str, message: Message) -> QMessageBox:
    """A window-modal message box opened without blocking (so the event loop, and tests, go on)."""
    icon = QMessageBox.Icon.Warning if message.warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, message.text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("curationMessage")
    box.setAccessibleName(title)
    if message.informative:
        box.setInformativeText(message.informative)
    if message.details:
        box.setDetailedText(message.details)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
