"""Import the deprivation file: postcodes with their LSOA and IMD decile, for the Dashboard's deciles and Core20.

The checking and saving are ``champions.coordinator.deprivation.import_lookup`` (every line is
checked; a file with no good line changes nothing, so the data in use before stays). Here the
coordinator chooses the file, the import runs on a worker of its own with progress and Cancel
(``asset_curation.TaskRun``), and the dialog stays open to say, in plain words, how many
postcodes and districts got a decile and which lines could not be used, by number.

The Dashboard reads the deciles when it loads its records, so whoever opens this dialog
should reload it on ``imported``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .asset_curation import DEPRIVATION_FILE, PathChooser, RunResult, TaskRun, file_dialog_chooser


def import_file(store: Any, path: Path, task: Any) -> Any:
    """On the worker: the file into the store's lookup (all or nothing)."""
    from ...coordinator.deprivation import import_lookup

    return import_lookup(path, store, task)


class DeprivationImportDialog(QDialog):
    """Choose a postcode-to-decile CSV, import it, and read what it gave."""

    #: The file was imported (its ``DeprivationImport``): the Dashboard should load its records again.
    imported = Signal(object)
    #: The import ended, whatever its outcome (its ``RunResult``).
    finished_import = Signal(object)

    def __init__(self, store: Any, parent: QWidget | None = None, choose_path: PathChooser | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setObjectName("deprivationImportDialog")
        self._choose_path = choose_path
        self.run: TaskRun | None = None
        self.result: RunResult | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.current = QLabel()
        self.current.setObjectName("deprivationInUse")
        self.current.setWordWrap(True)
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("primaryButton")
        self.outcome = QLabel()
        self.outcome.setObjectName("deprivationOutcome")
        bold = self.outcome.font()
        bold.setBold(True)  # the answer to "what did it do?" stands out from the explanation
        self.outcome.setFont(bold)
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()
        self.problems_label = QLabel()
        self.problems = QListWidget()
        self.problems.setMinimumHeight(self.fontMetrics().height() * 6)
        self.problems_label.setBuddy(self.problems)
        self.problems_label.hide()
        self.problems.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.current)
        layout.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.outcome)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.buttons)
        self.choose_button.clicked.connect(lambda: self.import_path())
        self.retranslate()
        self.show_current()
        # Wrapped labels ask for little width and then lack height: size from the font instead.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)
        self.setMinimumHeight(self.fontMetrics().height() * 24)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import deprivation file"))
        self.intro.setText(self.tr(
            "Choose a CSV file with the columns postcode, lsoa21cd and imd_decile, one line per postcode: "
            "the ONS postcode lookup joined to the English Indices of Deprivation (decile 1 is the most deprived). "
            "Each postcode district then gets the decile most of its postcodes have, and the Dashboard reports "
            "conversations by decile and Core20 (deciles 1 and 2). A new file replaces the one in use."))
        self.choose_button.setText(self.tr("&Choose a file and import…"))
        self.choose_button.setAccessibleName(self.tr("Choose a deprivation file and import it"))
        self.current.setAccessibleName(self.tr("The deprivation file in use"))
        self.outcome.setAccessibleName(self.tr("What the import did"))
        self.problems_label.setText(self.tr("&Lines that could not be used:"))
        self.problems.setAccessibleName(self.tr("Lines that could not be used"))
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Close"))
        close.setAccessibleName(self.tr("Close"))

    def show_current(self) -> None:
        """Which file is in use (one row of the store: quick enough for the GUI thread)."""
        from ...coordinator.deprivation import last_import

        try:
            info = last_import(self.store)
        except Exception:  # noqa: BLE001 - not knowing only means not saying
            info = None
        if not info:
            self.current.setText(self.tr("No deprivation file has been imported yet: conversations are reported "
                                         "without a decile."))
            return
        when = QDateTime.fromString(str(info.get("imported_at", ""))[:19], Qt.DateFormat.ISODate)
        when.setTimeZone(QTimeZone.utc())
        text = (self.tr("In use: {file}, {rows} postcodes, imported {when}.") if info.get("level") == "postcode"
                else self.tr("In use: {file}, {rows} postcode sectors, imported {when}."))
        self.current.setText(text.format(
            file=info.get("source", ""), rows=self.locale().toString(int(info.get("rows", 0))),
            when=self.locale().toString(when.toLocalTime(), self.tr("d MMM yyyy, HH:mm"))))

    def choose_path(self) -> Path | None:
        chooser = self._choose_path or file_dialog_chooser(self)
        return chooser(DEPRIVATION_FILE)

    def import_path(self, path: Path | None = None) -> TaskRun | None:
        """Asks for the file (unless given) and imports it on a worker; one import at a time."""
        if self.run is not None:
            return None
        path = path or self.choose_path()
        if path is None:
            return None
        self.choose_button.setEnabled(False)
        self.run = TaskRun(self.store, lambda store, task: import_file(store, path, task),
                           self.tr("Importing the deprivation file"), self.tr("Checking {name}…").format(name=path.name),
                           self)
        self.run.finished.connect(lambda result: self._done(path, result))
        return self.run

    def _done(self, path: Path, result: RunResult) -> None:
        if self.run is not None:
            self.run.deleteLater()
        self.run = None
        self.result = result
        self.choose_button.setEnabled(True)
        self.problems.clear()
        report = result.value
        if result.cancelled:
            text = self.tr("Import cancelled: the deprivation data in use is unchanged.")
        elif result.error is not None:
            text = self.tr("The import stopped, and the deprivation data in use is unchanged. What went wrong: {why}"
                           ).format(why=result.error)
        elif not report.imported:
            text = self.tr("Nothing was imported from {file}, and the deprivation data in use is unchanged."
                           ).format(file=path.name)
        else:
            text = self._summary(report)
        if report is not None:
            for problem in report.problems:
                self.problems.addItem(str(problem))
            if report.more_problems:
                self.problems.addItem(self.tr("…and {n} more lines like these.").format(
                    n=self.locale().toString(report.more_problems)))
        has_problems = self.problems.count() > 0
        self.problems_label.setVisible(has_problems)
        self.problems.setVisible(has_problems)
        self.outcome.setText(text)
        self.outcome.show()
        self.show_current()
        focus = self.problems if has_problems else self.buttons.button(QDialogButtonBox.StandardButton.Close)
        focus.setFocus(Qt.FocusReason.OtherFocusReason)  # the list to read, or Close
        self.activateWindow()  # back from the progress dialog
        if report is not None and report.imported:
            self.imported.emit(report)
        self.finished_import.emit(result)

    def _summary(self, report: Any) -> str:
        n = self.locale().toString
        districts = len(report.districts)
        core20 = sum(1 for d in report.districts.values() if d.decile <= 2)
        rows = (self.tr("1 postcode imported") if report.imported == 1 and report.level == "postcode"
                else self.tr("{n} postcodes imported") if report.level == "postcode"
                else self.tr("1 postcode sector imported") if report.imported == 1
                else self.tr("{n} postcode sectors imported")).format(n=n(report.imported))
        if districts == 1:
            gave = (self.tr("1 postcode district now has a deprivation decile, and it is in Core20 (deciles 1 and 2).")
                    if core20 else self.tr("1 postcode district now has a deprivation decile, outside Core20."))
        else:
            gave = self.tr("{districts} postcode districts now have a deprivation decile, {core20} of them in Core20 "
                           "(deciles 1 and 2).").format(districts=n(districts), core20=n(core20))
        text = self.tr("{rows}: {gave}").format(rows=rows, gave=gave)
        skipped = len(report.problems) + report.more_problems
        if skipped == 1:
            text += " " + self.tr("1 line could not be used: it is listed below.")
        elif skipped:
            text += " " + self.tr("{n} lines could not be used: they are listed below.").format(n=n(skipped))
        return text

    def shutdown(self) -> None:
        if self.run is not None:
            self.run.shutdown()

    def reject(self) -> None:
        """Close; an import still running is cancelled first (nothing half-imported: it is one transaction)."""
        if self.run is not None:
            self.run.cancel()
            return
        super().reject()
