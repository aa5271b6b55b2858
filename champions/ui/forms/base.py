"""What the conversation and activity forms share: drafts, live validation, closing safely.

A form is a list of bound fields (a dotted path like ``groups.languages``, a widget, a
message line). Its state is a plain dict, so it can be written as a draft and put
back exactly; the record is only built from it when validating or saving, with the
domain model and the store's reference lists, so the rules live in one place.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from pydantic import BaseModel, ValidationError

from champions.domain import Problem, explain, find_personal_data, uuid7
from champions.store import NotFoundError

from .barriers import BarrierList
from .binding import change_signal, focus_widgets, get_value, set_value
from .drafts import DraftWriter
from .field_row import FieldRow, add_row, make_form_layout
from .labels import domain_tr
from .widgets.date_edits import TypedDateEdit, TypedDateTimeEdit
from .widgets.field_message import PROBLEM_COLOUR
from .widgets.tag_picker import TagPicker

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 1000  # the first change starts it; later ones ride along: written < 2 s after any change
VALIDATE_DELAY_MS = 300
DATETIME_FORMAT = "dd/MM/yyyy HH:mm"
DATE_FORMAT = "dd/MM/yyyy"


def set_nested(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


class RecordForm(QDialog):
    """A dialog for one record; subclasses build the fields in ``build()``."""

    saved = Signal(str)
    draft_written = Signal()

    KIND: ClassVar[str]
    MODEL: ClassVar[type[BaseModel]]

    def __init__(self, parent: QWidget | None, store: Any, record_id: str | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.is_new = record_id is None
        self.record_id = record_id or uuid7()
        self.form_key = f"{self.KIND}:{self.record_id}"
        self.record: BaseModel | None = None
        self._bindings: dict[str, QWidget] = {}
        self._rows: dict[str, FieldRow] = {}
        self._form_layouts: list[QFormLayout] = []
        self._save_pressed = False
        self._finished = False
        self._draft_exists = False
        self._asking: QMessageBox | None = None
        self.problems: list[Problem] = []
        # Not WA_DeleteOnClose: the main window keeps Python references to its dialogs and asks
        # them isVisible() when it closes; a deleted form there crashes PySide. A closed form
        # is hidden and goes with its parent.
        self.setModal(False)
        self.setSizeGripEnabled(True)

        self._writer = DraftWriter(store)
        self._writer.written.connect(self._on_draft_written)
        self._writer.failed.connect(self._on_draft_failed)

        outer = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setObjectName("problemSummary")
        self.summary.setStyleSheet(
            f"QLabel#problemSummary {{ color: {PROBLEM_COLOUR}; border: 2px solid {PROBLEM_COLOUR};"
            " border-radius: 4px; padding: 8px; background: #fff4f4; font-weight: 600; }"
        )
        self.summary.setAccessibleName(self.tr("Problems to fix before saving"))
        self.summary.hide()
        outer.addWidget(self.summary)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Notice"))
        self.notice.hide()
        outer.addWidget(self.notice)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setAccessibleName(self.tr("Form"))
        self.content = QWidget()
        self.content.setAccessibleName(self.tr("Form fields"))
        self.sections = QVBoxLayout(self.content)
        self.sections.setSpacing(14)
        self.scroll.setWidget(self.content)
        outer.addWidget(self.scroll, 1)

        bar = QHBoxLayout()
        self.status = QLabel(self.tr("Your changes are kept as a draft as you type."))
        self.status.setAccessibleName(self.tr("Draft status"))
        self.status.setWordWrap(True)
        bar.addWidget(self.status, 1)
        self.cancel_button = QPushButton(self.tr("Cancel (Esc)"))
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton(self.tr("Save (Ctrl+S)"))
        self.save_button.setAccessibleName(self.tr("Save"))
        self.save_button.setAutoDefault(False)
        self.save_button.setObjectName("primaryButton")
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.save_button)
        outer.addLayout(bar)

        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.save)

        self._draft_timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS, timeout=self._write_draft)
        self._validate_timer = QTimer(self, singleShot=True, interval=VALIDATE_DELAY_MS, timeout=self.refresh_validation)
        QApplication.instance().focusChanged.connect(self._keep_focus_visible)

        self._loading = True
        self.build()
        self.sections.addStretch(1)
        self._align_labels()
        self.load()
        self._loading = False
        self.fix_tab_order()
        self.resize(self._good_size())
        self.refresh_validation()

    # -- for subclasses ------------------------------------------------------------
    def build(self) -> None:
        raise NotImplementedError

    def defaults(self) -> dict[str, Any]:
        """The state of a new form (e.g. from the champion's last entry)."""
        return {}

    def state_from_record(self, record: BaseModel) -> dict[str, Any]:
        raise NotImplementedError

    def model_data(self, state: dict[str, Any]) -> dict[str, Any]:
        """Nested data for the model from the flat state; pending picker text is included."""
        data: dict[str, Any] = {}
        for path, value in state.items():
            if path == "pending":
                continue
            set_nested(data, path, value)
        for path, text in state.get("pending", {}).items():
            picker = self._bindings.get(path)
            if text and not (isinstance(picker, TagPicker) and picker.edit.hasFocus()):
                nested = data
                for part in path.split(".")[:-1]:
                    nested = nested.setdefault(part, {})
                nested[path.split(".")[-1]] = list(nested.get(path.split(".")[-1], [])) + [text]
        return data

    def remember(self, record: BaseModel) -> None:
        """After a save: remember what the next entry should start from."""

    def repo(self) -> Any:
        raise NotImplementedError

    def summary_text(self) -> str:
        return ""

    # -- building blocks -------------------------------------------------------------
    def section(self, title: str) -> QFormLayout:
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")  # styled with the app's other section titles
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15) if font.pointSizeF() > 0 else None
        heading.setFont(font)
        heading.setAccessibleName(title)
        self.sections.addWidget(heading)
        body = QWidget()
        layout = make_form_layout()
        layout.setContentsMargins(12, 0, 0, 6)
        body.setLayout(layout)
        self.sections.addWidget(body)
        self._form_layouts.append(layout)
        return layout

    def _align_labels(self) -> None:
        """One label column for every section, so fields line up down the whole form."""
        labels = []
        for layout in self._form_layouts:
            for row in range(layout.rowCount()):
                item = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
                if item is not None and item.widget() is not None:
                    labels.append(item.widget())
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)

    def bind(self, layout: QFormLayout, path: str, label: str, widget: QWidget, *, warns: bool = False,
             shown: QWidget | None = None) -> FieldRow:
        row = add_row(layout, label, widget, warns=warns, shown=shown)
        self.bind_widget(path, widget, row)
        return row

    def bind_widget(self, path: str, widget: QWidget, row: FieldRow | None) -> None:
        self._bindings[path] = widget
        if row is not None:
            self._rows[path] = row
        signal = change_signal(widget)
        signal.connect(lambda *_a, w=widget: self._changed(w))
        if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no changes by a stray mouse wheel

    @staticmethod
    def scaled_checkbox(text: str) -> QCheckBox:
        """A checkbox whose box grows with the text (Qt keeps it at 13 px, tiny at 200% text)."""
        box = QCheckBox(text)
        box.setStyleSheet("QCheckBox::indicator { width: 0.9em; height: 0.9em; }")
        return box

    def new_datetime_edit(self) -> QDateTimeEdit:
        edit = TypedDateTimeEdit()
        edit.setDisplayFormat(DATETIME_FORMAT)
        return edit

    def new_date_edit(self) -> QDateEdit:
        edit = TypedDateEdit()
        edit.setDisplayFormat(DATE_FORMAT)
        return edit

    # -- state ----------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = {}
        pending: dict[str, str] = {}
        for path, widget in self._bindings.items():
            state[path] = get_value(widget)
            if isinstance(widget, TagPicker) and widget.pending_text():
                pending[path] = widget.pending_text()
        state["pending"] = pending
        return state

    def apply_state(self, state: dict[str, Any]) -> None:
        for path, widget in self._bindings.items():
            if path in state:
                try:
                    set_value(widget, state[path])
                except (TypeError, ValueError, AttributeError):  # a draft from another version
                    log.warning("could not restore %s from %r", path, state[path])
        for path, text in state.get("pending", {}).items():
            widget = self._bindings.get(path)
            if isinstance(widget, TagPicker):
                widget.set_pending_text(text)
        self.fix_tab_order()

    def load(self) -> None:
        draft = self.store.drafts.load(self.form_key)
        if draft is not None and draft.get("is_new"):
            # A new record's draft, restored after a crash. If the crash came between saving
            # and dropping the draft, the record exists: carry on as an edit of it.
            self.is_new = not self._exists()
        if self.is_new:
            self.apply_state(self.defaults())
        else:
            self.record = self.repo().get(self.record_id)
            self.apply_state(self.state_from_record(self.record))
        self._baseline = self.state()
        if draft:
            self._draft_exists = True
            self.apply_state(draft.get("state") or {})
            self.show_notice(self.tr("Your unsaved changes were restored from a draft."))
        self.setWindowTitle(self.title())

    def _exists(self) -> bool:
        try:
            self.repo().get(self.record_id)
        except NotFoundError:
            return False
        return True

    def title(self) -> str:
        return ""

    def is_dirty(self) -> bool:
        return self.state() != self._baseline

    def draft_payload(self) -> dict[str, Any]:
        return {"kind": self.KIND, "record_id": self.record_id, "is_new": self.is_new,
                "summary": self.summary_text(), "state": self.state()}

    # -- changes, drafts, validation -------------------------------------------------
    def _changed(self, widget: QWidget) -> None:
        if self._loading:
            return
        if not self._draft_timer.isActive():
            self._draft_timer.start()
        self._validate_timer.start()

    def _write_draft(self) -> None:
        if self._finished:
            return
        if self.is_dirty():
            self._writer.save(self.form_key, self.draft_payload())
            self._draft_exists = True
        elif self._draft_exists:
            self._writer.discard(self.form_key)
            self._draft_exists = False

    def _on_draft_written(self, _key: str) -> None:
        self.status.setText(self.tr("Draft kept at {0}.").replace("{0}", datetime.now().strftime("%H:%M:%S")))
        self.draft_written.emit()

    def _on_draft_failed(self, _key: str, error: str) -> None:
        self.status.setText(self.tr("Could not keep a draft ({0}). Save soon.").replace("{0}", error))

    def validate(self) -> tuple[BaseModel | None, list[Problem]]:
        data = self.model_data(self.state())
        try:
            record = self.MODEL.model_validate(data, context={"reference": self.store.reference})
        except ValidationError as error:
            return None, self._in_form_order(explain(error, self.MODEL))
        return record, []

    def _in_form_order(self, problems: list[Problem]) -> list[Problem]:
        order = {path: n for n, path in enumerate(self._all_rows())}
        return sorted(problems, key=lambda p: order.get(p.field, len(order)))

    def _all_rows(self) -> dict[str, FieldRow]:
        rows = dict(self._rows)
        for path, widget in self._bindings.items():
            if isinstance(widget, BarrierList):
                for n, row in enumerate(widget.rows):
                    for name, field_row in row.rows().items():
                        rows[f"{path}.{n}.{name}"] = field_row
        # keep the form's visual order: barriers sit where their list is bound
        ordered: dict[str, FieldRow] = {}
        for path in self._bindings:
            for key, value in rows.items():
                if key == path or key.startswith(path + "."):
                    ordered.setdefault(key, value)
        for key, value in rows.items():
            ordered.setdefault(key, value)
        return ordered

    def refresh_validation(self) -> list[Problem]:
        _record, problems = self.validate()
        self.problems = problems
        rows: dict[int, tuple[FieldRow, Problem | None]] = {}
        by_path = {p.field: p for p in reversed(problems)}
        for path, row in self._all_rows().items():
            _row, found = rows.get(id(row), (row, None))
            rows[id(row)] = (row, found or by_path.get(path))
        for row, problem in rows.values():
            if problem is not None and (self._save_pressed or row.touched):
                row.problem.show_problem(problem.translated(domain_tr))
            else:
                row.problem.clear_message()
            if row.warning is not None:
                self._warn(row)
        if self._save_pressed:
            self._show_summary(problems)
        return problems

    def _warn(self, row: FieldRow) -> None:
        text = get_value(row.widget)
        hits = find_personal_data(text) if isinstance(text, str) else []
        messages = list(dict.fromkeys(domain_tr(hit.message) for hit in hits))
        if messages:
            row.warning.show_warning(" ".join(messages))
        else:
            row.warning.clear_message()

    def _show_summary(self, problems: list[Problem]) -> None:
        if not problems:
            self.summary.hide()
            return
        head = (self.tr("Not saved yet. Please check 1 thing:") if len(problems) == 1
                else self.tr("Not saved yet. Please check {0} things:").replace("{0}", str(len(problems))))
        lines = [head] + [f"• {_with_label(p)}" for p in problems]
        self.summary.setText("\n".join(lines))
        self.summary.setAccessibleDescription(self.summary.text())
        self.summary.show()

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # -- saving and closing ----------------------------------------------------------
    def save(self) -> bool:
        """Save if valid; otherwise say what is missing and go to the first problem."""
        if self._finished:
            return False
        self._resolve_pickers()
        self._save_pressed = True
        problems = self.refresh_validation()
        if problems:
            self._focus_problem(problems[0])
            return False
        record, _ = self.validate()
        assert record is not None
        if not self.is_new:
            # the envelope as stored now (a sync may have moved it on since the form opened)
            current = self.repo().get(self.record_id)
            envelope = {k: v for k, v in current.model_dump().items() if k not in record.model_fields_set}
            record = self.MODEL.model_validate({**envelope, **record.model_dump(exclude_unset=True)},
                                               context={"reference": self.store.reference})
        try:
            saved = self.repo().save(record)
        except ValidationError as error:
            problems = self._in_form_order(explain(error, self.MODEL))
            self._show_summary(problems)
            self._focus_problem(problems[0])
            return False
        except Exception as error:  # the draft stays; nothing typed is lost
            self.summary.setText(self.tr("Could not save: {0}. Your work is kept as a draft; try again.")
                                 .replace("{0}", str(error)))
            self.summary.show()
            self._write_draft()
            return False
        self.remember(saved)
        self._finish(discard_draft=True)
        self.saved.emit(saved.id)
        super().accept()
        return True

    def _resolve_pickers(self) -> None:
        """Text left in a type-ahead box when Ctrl+S is pressed counts as chosen if it matches one item."""
        focused = QApplication.focusWidget()
        for widget in self._bindings.values():
            if isinstance(widget, TagPicker) and focused is widget.edit:
                widget._resolve_leftover()

    def _focus_problem(self, problem: Problem) -> None:
        row = self._all_rows().get(problem.field)
        if row is None:
            self.summary.setFocus()
            return
        target = row.widget.focusProxy() or row.widget
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll.ensureWidgetVisible(row.widget)

    def shutdown(self) -> None:
        """The app is closing (or its store is): stop writing, keep the draft for next time, close."""
        if not self._finished:
            self._finish(discard_draft=False)
        if self._asking is not None:
            self._asking.close()
        self.close()

    def _finish(self, *, discard_draft: bool) -> None:
        if self._finished:
            return
        self._finished = True
        self._draft_timer.stop()
        self._validate_timer.stop()
        if discard_draft:
            self._writer.discard(self.form_key)
        self._writer.close()
        try:
            QApplication.instance().focusChanged.disconnect(self._keep_focus_visible)
        except (RuntimeError, TypeError):
            pass

    def done(self, result: int) -> None:
        super().done(result)
        # Hand the keyboard back to the window the form came from (the list, Home), so the
        # champion carries on without reaching for the mouse.
        owner = self.parentWidget()
        if owner is not None:
            owner.window().activateWindow()

    def reject(self) -> None:
        """Esc and Cancel: ask when there is unsaved work, never throw it away silently."""
        if self._finished:
            super().reject()
            return
        if self.is_dirty():
            self.ask_before_closing()
            return
        self._finish(discard_draft=self._draft_exists)
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self._finished or not self.is_dirty():
            if not self._finished:
                self._finish(discard_draft=self._draft_exists)
            event.accept()
            return
        event.ignore()
        self.ask_before_closing()

    def ask_before_closing(self) -> QMessageBox:
        if self._asking is not None:
            return self._asking
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Unsaved changes"))
        box.setText(self.tr("Save your changes before closing?"))
        box.setInformativeText(self.tr("If you discard them, what you typed in this form is lost."))
        save = box.addButton(self.tr("Save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("Discard"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        for button, name in ((save, "Save"), (discard, "Discard"), (keep, "Keep editing")):
            button.setAccessibleName(self.tr(name))
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAccessibleName(box.text())

        def answered(button: QPushButton) -> None:
            self._asking = None
            if button is save:
                self.save()
            elif button is discard:
                self._finish(discard_draft=True)
                QDialog.reject(self)

        box.buttonClicked.connect(answered)
        box.finished.connect(lambda _r: setattr(self, "_asking", None))
        self._asking = box
        box.open()
        return box

    # -- layout and focus ------------------------------------------------------------
    def fix_tab_order(self) -> None:
        """Top to bottom through every field, then Save and Cancel, however rows were added."""
        chain: list[QWidget] = []
        for widget in self._bindings.values():
            chain.extend(focus_widgets(widget))
        chain += [self.save_button, self.cancel_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def _keep_focus_visible(self, _old: QWidget | None, new: QWidget | None) -> None:
        try:
            if new is not None and self.content.isAncestorOf(new):
                self.scroll.ensureWidgetVisible(new, 40, 60)
        except RuntimeError:  # this form is gone
            pass

    def _good_size(self) -> QSize:
        """Fits a 1366x768 laptop; taller content scrolls rather than clipping."""
        screen = QApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        width = min(960, area.width() - 40) if area is not None else 960
        limit = (area.height() - 60) if area is not None else 700
        return QSize(width, max(min(self.content.sizeHint().height() + 160, limit), 400))


def _with_label(problem: Problem) -> str:
    """The summary names the field (and which barrier) unless the message already starts with it."""
    label, message = domain_tr(problem.label), problem.translated(domain_tr)
    row = re.fullmatch(r"barriers\.(\d+)\.(\w+)", problem.field)
    if row is not None:
        which = QCoreApplication.translate("BarrierEditor", "Barrier {0}").replace("{0}", str(int(row[1]) + 1))
        return f"{which}: {message}" if row[2] == "code" else f"{which}, {label}: {message}"
    return message if message.startswith(label) else f"{label}: {message}"


def local_datetime(text: str) -> datetime:
    """The form shows local time; the model stores UTC, so attach the local zone."""
    return datetime.fromisoformat(text).astimezone()
