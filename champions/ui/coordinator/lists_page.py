"""The coordinator's shared lists: neighbourhoods, barriers, activity kinds, settings and topics.

Items are ``ReferenceItem`` records saved with ``store.reference_items.save`` on this page's
worker thread, so they sync like any other change and reach every champion on the next sync.
Nothing is ever deleted: "Retire" hides an item from new entries (the forms list only
``ReferenceLists.items()``), while old records still name it (``ReferenceLists.label``), and
"Bring back" undoes it. A code is what records store, so it is made from the label when the
item is added and fixed after; a code the list already has is refused in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain import ReferenceItem, ReferenceLists, explain
from ...domain.list_editing import CODE_MAX, next_position, split_postcodes, suggest_code, valid_code
from ..forms.labels import domain_tr, ref_label
from ..forms.widgets.field_message import FieldMessage
from ..widgets.field_texts import set_field_texts
from ..widgets.tables import setup_table
from ..workers import StoreWorker

#: The lists a coordinator edits here, in the order they are offered.
EDITABLE = ("neighbourhood", "barrier", "activity_kind", "setting", "topic")
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
RETIRED_ROLE = Qt.ItemDataRole.UserRole + 2
RETIRED_COLOUR = QColor("#5f5f5f")  # 6.4:1 on white, and italic too, so not colour alone
RELOAD_DELAY_MS = 300  # a sync writes many items: read the lists again once it is quiet


class CodeTaken(Exception):
    """The list already has an item with this code (found on the worker, just before saving)."""

    def __init__(self, code: str, label: str) -> None:
        super().__init__(code)
        self.code = code
        self.label = label


@dataclass(frozen=True)
class Column:
    key: str  # label, code, group, postcodes, status
    sample: str  # typical text, for the column's width


def columns_for(list_name: str) -> tuple[Column, ...]:
    """Name and code for every list; the domain for barriers, the postcode areas for neighbourhoods."""
    extra = {"barrier": (Column("group", "Thinking and feeling"),),
             "neighbourhood": (Column("postcodes", "CH41, CH42 1, CH43"),)}.get(list_name, ())
    return (Column("label", "worried about side effects or safety"), Column("code", "PI.STATUS_FEAR"),
            *extra, Column("status", "Retired"))


def ordered_items(lists: ReferenceLists, list_name: str) -> list[ReferenceItem]:
    """Every item, retired ones too; barriers under their domain in the domains' order, as the form lists them."""
    items = lists.items(list_name, include_retired=True)
    if list_name != "barrier":
        return items
    order = {g.code: pos for pos, g in enumerate(lists.groups("barrier"))}
    return sorted(items, key=lambda i: (order.get(i.group or "", len(order)), i.position, i.label.casefold()))


def _tr(text: str) -> str:
    return QCoreApplication.translate("SharedListsPage", text)


def list_title(list_name: str) -> str:
    return {
        "neighbourhood": _tr("Neighbourhoods"),
        "barrier": _tr("Barriers"),
        "activity_kind": _tr("Activity kinds"),
        "setting": _tr("Settings"),
        "topic": _tr("Topics"),
    }[list_name]


def list_description(list_name: str) -> str:
    return {
        "neighbourhood": _tr("The areas champions work in, each drawn by its postcode districts or sectors."),
        "barrier": _tr("What stops people taking up vaccination and other prevention, "
                       "grouped under the domains of the WHO's Behavioural and Social Drivers (BeSD)."),
        "activity_kind": _tr("The kinds of outreach a champion can log: events, stalls, door-knocking and more."),
        "setting": _tr("The kinds of place where conversations happen."),
        "topic": _tr("What conversations are about."),
    }[list_name]


class ListItemsModel(QAbstractTableModel):
    """One list's items as rows; retired rows are greyed, in italics, and say "Retired"."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.list_name = EDITABLE[0]
        self.columns = columns_for(self.list_name)
        self.items: list[ReferenceItem] = []
        self._lists = ReferenceLists(())

    def set_list(self, lists: ReferenceLists, list_name: str) -> None:
        self.beginResetModel()
        self._lists = lists
        self.list_name = list_name
        self.columns = columns_for(list_name)
        self.items = ordered_items(lists, list_name)
        self.endResetModel()

    def row_of(self, code: str | None) -> int:
        return next((row for row, item in enumerate(self.items) if item.code == code), -1)

    def text(self, item: ReferenceItem, key: str) -> str:
        if key == "label":
            return domain_tr(item.label)
        if key == "code":
            return item.code
        if key == "group":
            return ref_label(self._lists, "barrier_group", item.group) if item.group else ""
        if key == "postcodes":
            return ", ".join(item.postcodes)
        return _tr("Retired") if item.retired else _tr("In use")

    # -- Qt's model interface ---------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.items) or index.column() >= len(self.columns):
            return None
        item = self.items[index.row()]
        key = self.columns[index.column()].key
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(item, key)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self.text(item, key)
            return _tr("{text} (retired)").format(text=text) if item.retired and key == "label" else text
        if role == Qt.ItemDataRole.ForegroundRole and item.retired:
            return RETIRED_COLOUR
        if role == Qt.ItemDataRole.FontRole and item.retired:
            font = QFont()
            font.setItalic(True)
            return font
        if role == CODE_ROLE:
            return item.code
        if role == RETIRED_ROLE:
            return item.retired
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return {"label": _tr("Name"), "code": _tr("Code"), "group": _tr("Domain"),
                    "postcodes": _tr("Postcode areas"), "status": _tr("Status")}[self.columns[section].key]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class ItemDialog(QDialog):
    """Add or edit one item. Problems show under their field, and everything typed stays."""

    saved = Signal(object)  # the stored ReferenceItem

    def __init__(self, page: "SharedListsPage", list_name: str, lists: ReferenceLists,
                 item: ReferenceItem | None = None) -> None:
        super().__init__(page)
        self.setObjectName("listItemDialog")
        self.page = page
        self.list_name = list_name
        self.lists = lists
        self.item = item
        self.is_new = item is None
        self.saving = False
        self._code_typed = False  # once the coordinator types a code, the name no longer makes it

        self.name = QLineEdit()
        self.name.setObjectName("itemName")
        self.name.setMaxLength(200)
        self.code = QLineEdit()
        self.code.setObjectName("itemCode")
        self.code.setMaxLength(CODE_MAX)
        self.domain: QComboBox | None = None
        self.postcodes: QLineEdit | None = None
        self.fields: dict[str, QWidget] = {"label": self.name, "code": self.code}
        if list_name == "barrier":
            self.domain = QComboBox()
            self.domain.setObjectName("itemDomain")
            self.domain.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.domain.addItem(self.tr("Choose a domain…"), "")
            for group in lists.groups("barrier"):
                if not group.retired or (item is not None and item.group == group.code):
                    self.domain.addItem(ref_label(lists, "barrier_group", group.code), group.code)
            self.fields["group"] = self.domain
        if list_name == "neighbourhood":
            self.postcodes = QLineEdit()
            self.postcodes.setObjectName("itemPostcodes")
            self.fields["postcodes"] = self.postcodes

        self.labels: dict[str, QLabel] = {}
        self.messages: dict[str, FieldMessage] = {}
        self.hints: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(10)
        for key, widget in self.fields.items():
            label = QLabel()
            label.setBuddy(widget)
            hint = QLabel()
            hint.setObjectName("fieldHint")
            hint.setWordWrap(True)
            message = FieldMessage(widget)
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(widget)
            column.addWidget(hint)
            column.addWidget(message)
            form.addRow(label, column)
            self.labels[key], self.messages[key], self.hints[key] = label, message, hint
        self.general = FieldMessage()
        self.general.setObjectName("dialogMessage")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        if item is not None:
            self.name.setText(item.label)
            self.code.setText(item.code)
            self.code.setReadOnly(True)  # records store the code: it cannot change under them
            if self.domain is not None:
                self.domain.setCurrentIndex(max(0, self.domain.findData(item.group or "")))
            if self.postcodes is not None:
                self.postcodes.setText(", ".join(item.postcodes))
        self.name.textChanged.connect(self._name_changed)
        self.code.textEdited.connect(self._code_edited)
        if self.domain is not None:
            self.domain.currentIndexChanged.connect(self._domain_changed)
        self.retranslate()
        self.resize(max(560, self.sizeHint().width()), self.sizeHint().height())

    def retranslate(self) -> None:
        title = list_title(self.list_name)
        if self.is_new:
            self.setWindowTitle(self.tr("Add to {list}").format(list=title))
        else:
            self.setWindowTitle(self.tr("Edit “{name}”").format(name=self.item.label if self.item else ""))
        self.intro.setText(self.tr("Champions get this change the next time they sync."))
        texts = {
            "label": (self.tr("&Name:"), self.tr("Name")),
            "code": (self.tr("&Code:"), self.tr("Code")),
            "group": (self.tr("&Domain:"), self.tr("Domain")),
            "postcodes": (self.tr("&Postcode areas:"), self.tr("Postcode areas")),
        }
        set_field_texts(self.labels, self.fields, texts)
        if self.is_new:
            self.hints["code"].setText(self.tr("Made from the name; change it now if you like. "
                                               "It cannot change once saved, because records keep it."))
        else:
            self.hints["code"].setText(self.tr("The code cannot change: records already use it."))
        self.hints["label"].setText(self.tr("As champions will see it in their forms."))
        if self.domain is not None:
            self.domain.setItemText(0, self.tr("Choose a domain…"))
            self.hints["group"].setText(self.tr("The BeSD domain this barrier belongs to."))
        if self.postcodes is not None:
            self.postcodes.setPlaceholderText(self.tr("For example CH41, CH42 1"))
            self.hints["postcodes"].setText(self.tr("Postcode districts (CH41) or sectors (CH42 1), "
                                                    "separated by commas. Never a full postcode."))
        for key, hint in self.hints.items():
            self.fields[key].setAccessibleDescription(hint.text())
        self.save_button.setText(self.tr("&Save"))
        self.save_button.setAccessibleName(self.tr("Save"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        cancel.setAccessibleName(self.tr("Cancel"))

    # -- the code follows the name until the coordinator types one ---------------------------
    def group(self) -> str:
        return str(self.domain.currentData() or "") if self.domain is not None else ""

    def _name_changed(self, _text: str) -> None:
        self._suggest()

    def _domain_changed(self, _index: int) -> None:
        self._suggest()

    def _code_edited(self, text: str) -> None:
        self._code_typed = bool(text.strip())
        self._check_code()

    def _suggest(self) -> None:
        if self.is_new and not self._code_typed:
            self.code.setText(suggest_code(self.lists, self.list_name, self.name.text(), self.group() or None))
            self._check_code()

    def _check_code(self) -> None:
        """Said as soon as it is typed, not only on Save: a taken code is the one surprise here."""
        message = self.code_problem(self.code.text().strip()) if self.is_new else ""
        if message:
            self.messages["code"].show_problem(message)
        else:
            self.messages["code"].clear_message()

    def code_problem(self, code: str) -> str:
        existing = self.lists.get(self.list_name, code) if code else None
        if existing is not None:
            return self.taken_message(code, existing.label)
        if code and not valid_code(code):
            return self.tr("A code can have letters, numbers, dots, dashes and underscores, but no spaces.")
        return ""

    def taken_message(self, code: str, label: str) -> str:
        return self.tr("{list} already has the code {code}, for “{name}”. Choose another code, "
                       "or close this and edit that item instead.").format(
            list=list_title(self.list_name), code=code, name=domain_tr(label))

    # -- saving --------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """What the item would be, as typed (postcode areas split at commas)."""
        data: dict[str, Any] = {"label": " ".join(self.name.text().split()), "code": self.code.text().strip()}
        if self.domain is not None:
            data["group"] = self.group() or None
        if self.postcodes is not None:
            data["postcodes"] = split_postcodes(self.postcodes.text())
        return data

    def problems(self, data: dict[str, Any]) -> tuple[ReferenceItem | None, dict[str, str]]:
        """The item to save, or the message for each field that needs changing (in the domain's words)."""
        problems: dict[str, str] = {}
        if not data["label"]:
            problems["label"] = self.tr("Give it a name, as champions will see it.")
        if not data["code"]:
            problems["code"] = self.tr("Give it a code: a short name without spaces, for example {example}.").format(
                example=suggest_code(self.lists, self.list_name, list_title(self.list_name)) or "school")
        elif self.is_new and (message := self.code_problem(data["code"])):
            problems["code"] = message
        if self.domain is not None and not data["group"]:
            problems["group"] = self.tr("Choose the domain this barrier belongs to.")
        base = self.item or ReferenceItem.make(self.list_name, data["code"] or "-", data["label"] or "-")
        try:
            candidate = ReferenceItem.model_validate({**base.model_dump(), **data})
        except ValidationError as error:
            for problem in explain(error, ReferenceItem):
                key = problem.field.split(".")[0]
                problems.setdefault(key if key in self.fields else "label", problem.translated(domain_tr))
            return None, problems
        return (None if problems else candidate), problems

    def show_problems(self, problems: dict[str, str]) -> None:
        for key, message in self.messages.items():
            if problems.get(key):
                message.show_problem(problems[key])
            else:
                message.clear_message()
        first = next((k for k in self.fields if k in problems), None)
        if first is not None:
            self.fields[first].setFocus(Qt.FocusReason.OtherFocusReason)
        self.fit_height()

    def fit_height(self) -> None:
        """Grow to show every message in full (wrapped lines included); never shrink under the coordinator."""
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        if needed > self.height():
            self.resize(self.width(), needed)

    def save(self) -> None:
        if self.saving:
            return
        data = self.values()
        item, problems = self.problems(data)
        self.show_problems(problems)
        self.general.clear_message()
        if item is None:
            return
        self.saving = True
        self.save_button.setEnabled(False)
        self.page.save_item(self.list_name, data, self.is_new, self._saved, self._failed)

    def _saved(self, stored: ReferenceItem) -> None:
        self.saving = False
        self.saved.emit(stored)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, CodeTaken):
            self.show_problems({"code": self.taken_message(exc.code, exc.label)})
        elif isinstance(exc, ValidationError):
            self.show_problems({p.field.split(".")[0] if p.field.split(".")[0] in self.fields else "label":
                                p.translated(domain_tr) for p in explain(exc, ReferenceItem)})
        else:
            self.general.show_problem(self.tr("It could not be saved: {why}. What you typed is still here; "
                                              "try again in a moment.").format(why=exc))
        self.fit_height()


def save_job(list_name: str, data: dict[str, Any], is_new: bool) -> Any:
    """The save, run on the worker with its own store: checked against the lists as they are now."""

    def job(store: Any) -> ReferenceItem:
        lists = store.reference
        existing = lists.get(list_name, data["code"])
        if is_new:
            if existing is not None:
                raise CodeTaken(data["code"], existing.label)
            item = ReferenceItem.make(list_name, data["code"], data["label"],
                                      position=next_position(lists, list_name),
                                      **{k: v for k, v in data.items() if k not in ("code", "label")})
            return store.reference_items.save(item)
        if existing is None:
            raise LookupError(_tr("“{code}” is no longer on the list").format(code=data["code"]))
        current = store.reference_items.get(existing.id)
        return store.reference_items.save(current.model_copy(update={k: v for k, v in data.items() if k != "code"}))

    return job


def retire_job(list_name: str, code: str, retired: bool) -> Any:
    def job(store: Any) -> ReferenceItem:
        existing = store.reference.get(list_name, code)
        if existing is None:
            raise LookupError(_tr("“{code}” is no longer on the list").format(code=code))
        current = store.reference_items.get(existing.id)
        return store.reference_items.save(current.model_copy(update={"retired": retired}))

    return job


class SharedListsPage(QWidget):
    """A list chooser on the left, the chosen list's items on the right, and Add, Edit, Retire."""

    loaded = Signal()  # the lists were read (again) and the table shows them
    changed = Signal(object)  # an item was saved (added, edited, retired or brought back)

    def __init__(self, store: Any, events: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sharedListsPage")
        self.store = store
        self.worker = StoreWorker(store, self, name="coordinator-lists")
        self.model = ListItemsModel(self)
        self.lists: ReferenceLists | None = None
        self.dialog: ItemDialog | None = None
        self._keep: str | None = None
        self._closed = False
        self._showing = False  # the table is being refilled
        self._retiring = False  # a Retire or Bring back is on the worker
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self._build()
        if events is not None:
            events.changed.connect(self.store_changed)
        self.retranslate()
        self.reload()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.intro = QLabel()
        self.intro.setWordWrap(True)

        self.chooser_label = QLabel()
        self.chooser = QListWidget()
        self.chooser.setObjectName("listChooser")
        for list_name in EDITABLE:
            entry = QListWidgetItem()
            entry.setData(Qt.ItemDataRole.UserRole, list_name)
            self.chooser.addItem(entry)
        self.chooser.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.chooser.setSpacing(4)
        self.chooser_label.setBuddy(self.chooser)
        left = QVBoxLayout()
        left.addWidget(self.chooser_label)
        left.addWidget(self.chooser, 1)

        self.list_heading = QLabel()
        self.list_heading.setObjectName("listHeading")
        heading_font = self.list_heading.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        self.list_heading.setFont(heading_font)
        self.list_about = QLabel()
        self.list_about.setWordWrap(True)
        self.table_label = QLabel()
        self.table = QTableView()
        self.table.setObjectName("listItemsTable")
        self.table.setModel(self.model)
        self.table_label.setBuddy(self.table)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addListItem")
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("editListItem")
        self.retire_button = QPushButton()
        self.retire_button.setObjectName("retireListItem")
        for button in (self.add_button, self.edit_button, self.retire_button):
            button.setAutoDefault(False)
        self.status = QLabel()
        self.status.setObjectName("listsStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.retire_button)
        buttons.addWidget(self.status, 1)
        right = QVBoxLayout()
        right.addWidget(self.list_heading)
        right.addWidget(self.list_about)
        right.addWidget(self.table_label)
        right.addWidget(self.table, 1)
        right.addLayout(buttons)

        body = QHBoxLayout()
        body.addLayout(left, 0)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(body, 1)
        QWidget.setTabOrder(self.chooser, self.table)
        QWidget.setTabOrder(self.table, self.add_button)
        QWidget.setTabOrder(self.add_button, self.edit_button)
        QWidget.setTabOrder(self.edit_button, self.retire_button)

        self.chooser.currentRowChanged.connect(self._list_chosen)
        self.table.activated.connect(lambda _index: self.edit_current())
        self.add_button.clicked.connect(self.add_item)
        self.edit_button.clicked.connect(self.edit_current)
        self.retire_button.clicked.connect(self.toggle_retired)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.chooser.setCurrentRow(0)

    # -- words --------------------------------------------------------------------------------
    def nav_title(self) -> str:
        return self.tr("Shared lists")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Shared lists"))
        self.intro.setText(self.tr("The lists champions choose from. Changes reach every champion on their next sync. "
                                   "A retired item is no longer offered for new entries; old records still show it."))
        self.chooser_label.setText(self.tr("&Lists:"))
        self.chooser.setAccessibleName(self.tr("Shared lists"))
        metrics = self.chooser.fontMetrics()
        widest = 0
        for row in range(self.chooser.count()):
            entry = self.chooser.item(row)
            entry.setText(list_title(entry.data(Qt.ItemDataRole.UserRole)))
            widest = max(widest, metrics.horizontalAdvance(entry.text()))
        self.chooser.setFixedWidth(widest + 6 * metrics.averageCharWidth())
        self.add_button.setText(self.tr("&Add…"))
        self.add_button.setAccessibleName(self.tr("Add an item to this list"))
        self.edit_button.setText(self.tr("&Edit…"))
        self.edit_button.setAccessibleName(self.tr("Edit the selected item"))
        self._show_list_words()
        self._update_buttons()

    def _show_list_words(self) -> None:
        name = self.current_list()
        self.list_heading.setText(list_title(name))
        self.list_about.setText(list_description(name))
        self.table_label.setText(self.tr("&Items in {list}:").format(list=list_title(name)))
        self.table.setAccessibleName(self.tr("Items in {list}").format(list=list_title(name)))
        self.table.setAccessibleDescription(self.tr("Press Enter to edit the selected item."))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, self.model.columnCount() - 1))

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleName(text)

    # -- the lists ------------------------------------------------------------------------------
    def current_list(self) -> str:
        entry = self.chooser.currentItem()
        return str(entry.data(Qt.ItemDataRole.UserRole)) if entry is not None else EDITABLE[0]

    def choose_list(self, list_name: str) -> None:
        self.chooser.setCurrentRow(EDITABLE.index(list_name))

    def reload(self) -> None:
        """Read the lists on the worker (a sync or another window may have changed them)."""
        if self._closed:
            return
        self.worker.submit(lambda store: store.reference, self._loaded, self._load_failed, channel="lists")

    def _loaded(self, lists: ReferenceLists) -> None:
        self.lists = lists
        self._show_items(keep=self._keep or self.current_code())
        self._keep = None
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        self._say(self.tr("The lists could not be read: {why}").format(why=exc))

    def store_changed(self, event: Any) -> None:
        """A list item changed (``event`` None: something changed on another connection, perhaps a list)."""
        if (event is None or getattr(event, "kind", None) == "reference_item") and not self._closed:
            self._reload_timer.start()

    def _list_chosen(self, _row: int) -> None:
        self._show_list_words()
        self._show_items(keep=None)

    def _show_items(self, keep: str | None) -> None:
        if self.lists is None:
            return
        # The buttons keep their state through the reset: disabling the focused one would send focus away.
        self._showing = True
        try:
            self._fill_table(keep)
        finally:
            self._showing = False
        self._update_buttons()

    def _fill_table(self, keep: str | None) -> None:
        self.model.set_list(self.lists, self.current_list())
        headers = [str(self.model.headerData(i, Qt.Orientation.Horizontal)) for i in range(self.model.columnCount())]
        metrics = self.table.fontMetrics()
        # A column fits its header (bold, with the sort gap) as well as its typical text.
        samples = [max((c.sample, h + "xxx"), key=metrics.horizontalAdvance) for c, h in zip(self.model.columns, headers)]
        setup_table(self.table, samples, 0)
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def current_item(self) -> ReferenceItem | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), index.parent()):
            return None
        return self.model.items[index.row()] if index.row() < len(self.model.items) else None

    def current_code(self) -> str | None:
        item = self.current_item()
        return item.code if item is not None else None

    def _update_buttons(self) -> None:
        if self._showing:
            return
        item = self.current_item()
        self.add_button.setEnabled(self.lists is not None)
        self.edit_button.setEnabled(item is not None)
        self.retire_button.setEnabled(item is not None)
        if item is not None and item.retired:
            self.retire_button.setText(self.tr("&Bring back"))
            self.retire_button.setAccessibleName(self.tr("Bring back the selected item, so new entries can use it"))
        else:
            self.retire_button.setText(self.tr("&Retire"))
            self.retire_button.setAccessibleName(self.tr("Retire the selected item: not offered for new entries"))

    # -- changing -------------------------------------------------------------------------------
    def add_item(self) -> ItemDialog | None:
        return self._open_dialog(None)

    def edit_current(self) -> ItemDialog | None:
        item = self.current_item()
        return self._open_dialog(item) if item is not None else None

    def _open_dialog(self, item: ReferenceItem | None) -> ItemDialog | None:
        if self.lists is None or self._closed:
            return None
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        dialog = ItemDialog(self, self.current_list(), self.lists, item)
        dialog.saved.connect(self._item_saved)
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.open()
        dialog.name.setFocus(Qt.FocusReason.OtherFocusReason)
        return dialog

    def _dialog_closed(self, _result: int) -> None:
        """Back to the table, on the item just saved, so the keyboard carries on where it was."""
        if self._closed:
            return
        self.window().activateWindow()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def save_item(self, list_name: str, data: dict[str, Any], is_new: bool, on_done: Any, on_error: Any) -> None:
        """Called by the dialog: save on the worker; the dialog hears how it went."""
        self.worker.submit(save_job(list_name, data, is_new), on_done, on_error)

    def _item_saved(self, stored: ReferenceItem) -> None:
        self._say(self.tr("Saved “{name}”. Champions get it on their next sync.").format(name=domain_tr(stored.label)))
        self._after_change(stored)

    def toggle_retired(self) -> None:
        item = self.current_item()
        if item is None or self._closed or self._retiring:
            return
        self._retiring = True  # not disabling the button: the keyboard's focus stays on it
        self.worker.submit(retire_job(self.current_list(), item.code, not item.retired), self._retired,
                           self._retire_failed)

    def _retired(self, stored: ReferenceItem) -> None:
        self._retiring = False
        name = domain_tr(stored.label)
        if stored.retired:
            self._say(self.tr("“{name}” is retired: it is no longer offered for new entries, "
                              "and old records still show it.").format(name=name))
        else:
            self._say(self.tr("“{name}” is back in use.").format(name=name))
        self._after_change(stored)

    def _retire_failed(self, exc: BaseException) -> None:
        self._retiring = False
        self._say(self.tr("That could not be changed: {why}. Try again in a moment.").format(why=exc))

    def _after_change(self, stored: ReferenceItem) -> None:
        self._keep = stored.code
        self.changed.emit(stored)
        self.reload()

    def is_busy(self) -> bool:
        return self.worker.is_busy() or self._reload_timer.isActive()

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._reload_timer.stop()
        if self.dialog is not None:
            self.dialog.close()
        self.worker.close()
