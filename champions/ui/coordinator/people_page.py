"""The coordinator's Champions and devices: who is enrolled, on which laptops, when each last synced.

Everything on this page comes from the hub's coordinator calls (``HubClient.devices``,
``people``, ``invite``, ``revoke``), never from the local store: the hub is the only one that
knows other people's laptops. Each call runs on the page's own ``StoreWorker`` thread with a
``HubClient`` made there the way the sync engine makes its own (the enrolment in the store's
settings, the token from the keyring, ``champions.sync.engine.default_client`` for the managed
CA bundle and proxy), so a slow or absent hub never freezes the window. A problem is shown on
the page in the same plain words the Sync page uses (``sync_message``); the last list stays
on screen, marked as not up to date.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QDate, QDateTime, QLocale, QModelIndex, QPersistentModelIndex, Qt, QTime
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from champions.sync import protocol as p
from champions.sync.client import HubClient
from champions.sync.engine import ClientFactory, default_client
from champions.sync.enrolment import Identity, current_identity, token_for
from champions.sync.errors import NotEnrolled, SyncError

from ..main_window import scale_font
from ..sync.enrol_dialog import role_word
from ..sync.messages import sync_message
from ..widgets.tables import setup_table
from ..workers import StoreWorker

log = logging.getLogger(__name__)

INVITE_ROLES = ("champion", "coordinator")
CODE_SCALE = 3.0  # the invite code is read aloud or copied off the screen: make it big
STALE_S = 60  # showing the page again after this long asks the hub again
REVOKED_GREY = "#5f6b7a"  # a revoked laptop reads as past, still 5.6:1 on white


def _parse(moment: str | None) -> datetime | None:
    if not moment:
        return None
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate("PeoplePage", text, None, n)


def _local(moment: datetime, layout: str) -> str:
    local = moment.astimezone()
    shown = QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    return QLocale().toString(shown, layout)  # day and month names in the person's language


def last_sync_text(moment: datetime | None, now: datetime | None = None) -> str:
    """“today 10:42”, “yesterday 16:05”, “3 days ago”, else “3 Mar 2026”; “never” before the first sync."""
    if moment is None:
        return _tr("never")
    local = moment.astimezone()
    today = (now or datetime.now(timezone.utc)).astimezone().date()
    days = (today - local.date()).days
    if days <= 0:
        return _tr("today {time}").format(time=_local(moment, "HH:mm"))
    if days == 1:
        return _tr("yesterday {time}").format(time=_local(moment, "HH:mm"))
    if days < 7:
        return _tr("%n days ago", days)
    return _local(moment, _tr("d MMM yyyy"))


def full_time_text(moment: datetime) -> str:
    """The exact moment, for a tooltip: “Tue 1 Dec 2026, 10:42”."""
    return _local(moment, _tr("ddd d MMM yyyy, HH:mm"))


@dataclass(frozen=True)
class PersonRow:
    """One line of the table: a device and its person, or a person with no device (device_id None)."""

    person_id: str
    person_name: str
    role: str
    device_id: str | None = None
    device_name: str = ""
    last_sync: datetime | None = None
    revoked_at: datetime | None = None
    this_laptop: bool = False
    person_disabled: bool = False  # none of their laptops can sync, whatever each device's state

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None or self.person_disabled


def rows_from(people: Sequence[p.PersonInfo], devices: Sequence[p.DeviceInfo], own_device: str = "") -> list[PersonRow]:
    """Every device under its person, then people without one; by name, a person's laptops oldest first."""
    rows: list[PersonRow] = []
    with_device = set()
    disabled = {x.id for x in people if getattr(x, "disabled", False)}
    for device in devices:
        synced = [t for t in (_parse(device.last_push_at), _parse(device.last_pull_at)) if t is not None]
        rows.append(PersonRow(device.person.id, device.person.name, device.person.role, device.id, device.name,
                              max(synced) if synced else None, _parse(device.revoked_at), device.id == own_device,
                              device.person.id in disabled))
        with_device.add(device.person.id)
    rows += [PersonRow(x.id, x.name, x.role, person_disabled=x.id in disabled) for x in people if x.id not in with_device]
    order = {row.device_id: n for n, row in enumerate(rows)}
    rows.sort(key=lambda r: (r.person_name.casefold(), r.person_id, order[r.device_id] if r.device_id else 1 << 30))
    return rows


COLUMNS = ("person", "role", "device", "last_sync", "access")


class PeopleModel(QAbstractTableModel):
    """People and their devices as the hub last listed them; ``ROW_ROLE`` gives the ``PersonRow``."""

    ROW_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None, now: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self.rows: list[PersonRow] = []
        self.now = now or (lambda: datetime.now(timezone.utc))

    def set_rows(self, rows: list[PersonRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole or not 0 <= section < len(COLUMNS):
            return None
        return self.header_text(COLUMNS[section])

    @staticmethod
    def header_text(column: str) -> str:
        return {"person": _tr("Person"), "role": _tr("Role"), "device": _tr("Device"),
                "last_sync": _tr("Last sync"), "access": _tr("Access")}[column]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == self.ROW_ROLE:
            return row
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.cell_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "last_sync" and row.last_sync is not None:
                return full_time_text(row.last_sync)
            if column == "access" and row.person_disabled:
                return _tr("Disabled on the hub: none of this person's laptops can sync")
            if column == "access" and row.revoked_at is not None:
                return _tr("Revoked {when}").format(when=full_time_text(row.revoked_at))
        if role == Qt.ItemDataRole.FontRole and row.revoked:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.revoked:
            return QColor(REVOKED_GREY)
        return None

    def cell_text(self, row: PersonRow, column: str) -> str:
        if column == "person":
            return row.person_name
        if column == "role":
            return role_word(row.role).capitalize()
        if row.device_id is None:
            if column == "access" and row.person_disabled:
                return _tr("Person disabled")
            return _tr("No laptop connected yet") if column == "device" else ""
        if column == "device":
            name = row.device_name or _tr("Unnamed laptop")
            return _tr("{name} (this laptop)").format(name=name) if row.this_laptop else name
        if column == "last_sync":
            return last_sync_text(row.last_sync, self.now())
        if row.person_disabled:
            return _tr("Person disabled")
        return _tr("Revoked") if row.revoked_at is not None else _tr("Can sync")

    def retranslate(self) -> None:
        """Headers and cells in the new language (and “today” redrawn, which may be “yesterday” by now)."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))


class HubSession:
    """The page's HubClient, made on the worker thread the way the sync engine makes its own.

    One per worker thread (a HubClient is not thread-safe); made again when the enrolment or the
    token changes (a sign-out, a new enrolment).
    """

    def __init__(self, factory: ClientFactory = default_client) -> None:
        self.factory = factory
        self.client: HubClient | None = None
        self.key: tuple[str, str, str] | None = None

    def open(self, store: Any) -> tuple[HubClient, Identity]:
        identity = current_identity(store)
        if identity is None:
            raise NotEnrolled("This laptop is not connected to a hub yet. Enrol with the invite code from your coordinator.")
        token = token_for(identity)
        key = (identity.hub_url, identity.device_id, token)
        if self.client is None or self.key != key:
            self.close()
            self.client = self.factory(identity, token)
            self.key = key
        return self.client, identity

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
            self.key = None


@dataclass(frozen=True)
class Listing:
    rows: list[PersonRow]
    people: list[p.PersonInfo]


class InviteDialog(QDialog):
    """Choose who the code is for; the hub makes it; the code is shown big, to read out or copy."""

    def __init__(self, page: "PeoplePage", people: Sequence[p.PersonInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.invite: p.InviteResponse | None = None
        self.setObjectName("inviteDialog")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.who = QComboBox()
        self.who.setObjectName("inviteWho")
        self.who.addItem("", None)  # someone new; the text is set in retranslate
        for person in sorted(people, key=lambda x: x.name.casefold()):
            self.who.addItem(f"{person.name} ({role_word(person.role)})", person.id)
        self.name = QLineEdit()
        self.name.setObjectName("inviteName")
        self.name.setMaxLength(200)
        self.role = QComboBox()
        self.role.setObjectName("inviteRole")
        for role in INVITE_ROLES:
            self.role.addItem("", role)
        self.days = QSpinBox()
        self.days.setObjectName("inviteDays")
        self.days.setRange(1, 90)
        self.days.setValue(7)
        self.labels = {key: QLabel() for key in ("who", "name", "role", "days")}
        form = QFormLayout()
        for key, field in (("who", self.who), ("name", self.name), ("role", self.role), ("days", self.days)):
            self.labels[key].setBuddy(field)
            form.addRow(self.labels[key], field)

        self.result = QWidget()
        self.result.setObjectName("inviteResult")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.code = QLabel()
        self.code.setObjectName("inviteCodeShown")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.code.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("inviteCopy")
        self.copy_button.clicked.connect(self.copy)
        self.hub_address = QLabel()
        self.hub_address.setObjectName("inviteHub")
        self.hub_address.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hub_address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel()
        self.details.setObjectName("inviteDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        code_row = QHBoxLayout()
        code_row.addStretch(1)
        code_row.addWidget(self.code)
        code_row.addSpacing(12)
        code_row.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignVCenter)
        code_row.addStretch(1)
        result_layout = QVBoxLayout(self.result)
        result_layout.setContentsMargins(0, 8, 0, 0)
        result_layout.addWidget(self.caption)
        result_layout.addLayout(code_row)
        result_layout.addWidget(self.hub_address)
        result_layout.addWidget(self.details)
        self.result.hide()

        self.message = QLabel()
        self.message.setObjectName("inviteMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.make_button = QPushButton()
        self.make_button.setObjectName("inviteMake")
        self.buttons.addButton(self.make_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.make_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.close_button.clicked.connect(self.accept)
        self.who.currentIndexChanged.connect(self._who_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.result)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.make_button.setDefault(True)  # Return in the name field makes the code
        self.retranslate()
        self.name.setFocus()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 84)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Make an invite code"))
        self.intro.setText(self.tr(
            "An invite code connects one laptop to the hub, once. Give it to the person with the hub "
            "address; they type both on the Sync page of their Champions."))
        self.labels["who"].setText(self.tr("&For:"))
        self.labels["name"].setText(self.tr("&Name:"))
        self.labels["role"].setText(self.tr("&Role:"))
        self.labels["days"].setText(self.tr("&Valid for:"))
        self.who.setItemText(0, self.tr("Someone new"))
        self.who.setAccessibleName(self.tr("Who the code is for"))
        self.name.setAccessibleName(self.tr("Name of the new person"))
        self.name.setPlaceholderText(self.tr("Their name, as the team knows them"))
        for i, role in enumerate(INVITE_ROLES):
            self.role.setItemText(i, role_word(role).capitalize())
        self.role.setAccessibleName(self.tr("Role of the new person"))
        self.days.setSuffix(self.tr(" days"))
        self.days.setAccessibleName(self.tr("Days before the code expires"))
        self.make_button.setText(self.tr("&Make code"))
        self.make_button.setAccessibleName(self.tr("Make the invite code"))
        self.copy_button.setText(self.tr("&Copy"))
        self.copy_button.setAccessibleName(self.tr("Copy the invite code"))
        self.close_button.setText(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close"))
        self.message.setAccessibleName(self.tr("Problem"))
        self.code.setAccessibleName(self.tr("Invite code"))
        if self.invite is not None:
            self._show(self.invite)

    def _who_changed(self, _index: int = 0) -> None:
        new = self.who.currentData() is None
        self.name.setEnabled(new)
        self.role.setEnabled(new)

    def start(self) -> None:
        """Ask the hub for a code (on the page's worker); the dialog stays usable meanwhile."""
        person_id = self.who.currentData()
        name = self.name.text().strip()
        if person_id is None and not name:
            self._problem(self.tr("Type the name of the person the code is for."))
            self.name.setFocus()
            return
        self._problem("")
        self.message.setText(self.tr("Asking the hub for a code…"))
        self.make_button.setEnabled(False)
        self.page.make_invite(str(self.role.currentData()), name, person_id, self.days.value(),
                              self._done, self._failed)

    def _done(self, invite: p.InviteResponse) -> None:
        self.invite = invite
        self.make_button.setEnabled(True)
        self.message.clear()
        self.message.hide()
        self._show(invite)
        self.result.show()
        self.copy_button.setFocus()
        self.adjustSize()

    def _show(self, invite: p.InviteResponse) -> None:
        self._big_code_font()
        self.code.setText(invite.code)
        self.caption.setText(self.tr("Invite code for {name} ({role}):").format(
            name=invite.person_name, role=role_word(invite.role)))
        expires = _parse(invite.expires_at)
        until = full_time_text(expires) if expires is not None else self.tr("it expires")
        self.hub_address.setText(self.tr("Hub address: {url}").format(url=invite.hub_url))
        self.details.setText(self.tr(
            "It works once, until {until}. On the new laptop, open Sync, choose Connect, and type the hub "
            "address and this code.").format(until=until))
        self.make_button.setText(self.tr("&Make another code"))

    def _big_code_font(self) -> None:
        """A fixed-width face (no 0/O or 1/I confusion) at three times the person's size.

        Set when shown, once the label has its final parent: reparenting under a style sheet resets fonts.
        """
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        base = self.font()
        if base.pointSizeF() > 0:
            font.setPointSizeF(base.pointSizeF())
        else:
            font.setPixelSize(base.pixelSize())
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 110)
        self.code.setFont(font)
        scale_font(self.code, CODE_SCALE, bold=True)
        scale_font(self.hub_address, 1.2, bold=True)

    def _failed(self, exc: BaseException) -> None:
        self.make_button.setEnabled(True)
        self._problem(self.page.problem_text(exc))

    def _problem(self, text: str) -> None:
        self.message.setProperty("problem", bool(text))
        self.message.setText(text)
        self.message.setVisible(True)

    def copy(self) -> None:
        if self.invite is not None:
            QGuiApplication.clipboard().setText(self.invite.code)
            self.copy_button.setText(self.tr("Copied"))


class PeoplePage(QWidget):
    """Champions and devices: the hub's list of people and laptops, invite codes, revoking a laptop."""

    def __init__(self, store: Any, parent: QWidget | None = None, *, client_factory: ClientFactory = default_client,
                 now: Callable[[], datetime] | None = None, load_now: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("peoplePage")
        self.store = store
        self.session = HubSession(client_factory)
        self.worker = StoreWorker(store, self, name="people")
        self.people: list[p.PersonInfo] = []
        self.loaded_at: datetime | None = None
        self.loading = False
        self.invite_dialog: InviteDialog | None = None
        self.confirm: QMessageBox | None = None
        self._shut = False

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("pageSubtitle")
        self.subtitle.setWordWrap(True)
        self.model = PeopleModel(self, now)
        self.table = QTableView()
        self.table.setObjectName("peopleTable")
        self.table.setModel(self.model)
        setup_table(self.table, ("Amina Rahman-Okafor", "Community champion", "Amina's work laptop (this laptop)",
                                 "yesterday 16:05", "Can sync"))
        self.table_label = QLabel()
        self.table_label.setBuddy(self.table)
        self.status = QLabel()
        self.status.setObjectName("peopleStatus")
        self.message = QLabel()
        self.message.setObjectName("peopleMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("peopleRefresh")
        self.invite_button = QPushButton()
        self.invite_button.setObjectName("primaryButton")
        self.revoke_button = QPushButton()
        self.revoke_button.setObjectName("peopleRevoke")
        self.refresh_button.clicked.connect(self.refresh)
        self.invite_button.clicked.connect(self.open_invite)
        self.revoke_button.clicked.connect(self.ask_revoke)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)

        buttons = QHBoxLayout()
        buttons.addWidget(self.invite_button)
        buttons.addWidget(self.revoke_button)
        buttons.addStretch(1)
        buttons.addWidget(self.status)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table_label)
        layout.addWidget(self.table, 1)
        QWidget.setTabOrder(self.invite_button, self.revoke_button)
        QWidget.setTabOrder(self.revoke_button, self.refresh_button)
        QWidget.setTabOrder(self.refresh_button, self.table)
        self.retranslate()
        self._update_buttons()
        if load_now:
            self.refresh()

    # -- text -------------------------------------------------------------------------

    def nav_title(self) -> str:
        """Short: the navigation must fit a 1366-pixel screen at 200% text; the heading says it all."""
        return self.tr("People")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Champions and devices"))
        self.subtitle.setText(self.tr(
            "Everyone connected to your organisation's hub and their laptops. Make an invite code to connect "
            "a new champion or a new laptop; revoke a laptop that is lost or no longer used."))
        self.table_label.setText(self.tr("&People and their laptops:"))
        self.table.setAccessibleName(self.tr("People and their laptops"))
        self.refresh_button.setText(self.tr("Refre&sh"))  # Alt+F, E, G and H open the window's menus
        self.refresh_button.setAccessibleName(self.tr("Ask the hub for the list again"))
        self.refresh_button.setToolTip(self.tr("Ask the hub for the list again (Alt+S)"))
        self.invite_button.setText(self.tr("Make &invite code…"))
        self.invite_button.setAccessibleName(self.tr("Make an invite code"))
        self.revoke_button.setText(self.tr("&Revoke device…"))
        self.revoke_button.setAccessibleName(self.tr("Revoke the selected device"))
        self.message.setAccessibleName(self.tr("Problem"))
        self.model.retranslate()
        self._show_status()
        if self.invite_dialog is not None:
            self.invite_dialog.retranslate()

    def _show_status(self) -> None:
        if self.loading:
            text = self.tr("Asking the hub…")
        elif self.loaded_at is None:
            text = ""
        else:
            people = len({r.person_id for r in self.model.rows})
            devices = sum(1 for r in self.model.rows if r.device_id)
            text = self.tr("{people} · {devices} · updated {when}").format(
                people=self.tr("%n people", "", people), devices=self.tr("%n devices", "", devices),
                when=last_sync_text(self.loaded_at))
        self.status.setText(text)
        self.status.setAccessibleName(text)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Coming back to the page asks the hub again: laptops sync and enrol while it is hidden."""
        super().showEvent(event)
        stale = self.loaded_at is not None and datetime.now(timezone.utc) - self.loaded_at > timedelta(seconds=STALE_S)
        if stale and not self.loading:
            self.refresh()

    def problem_text(self, exc: BaseException) -> str:
        """The plain sentence for a problem with the hub (never a traceback)."""
        if isinstance(exc, SyncError):
            return sync_message(exc)
        return self.tr("Something went wrong while talking to the hub ({what}). Try again; the details are in "
                       "the log file.").format(what=type(exc).__name__)

    def _say(self, text: str, problem: bool = False) -> None:
        self.message.setProperty("problem", problem)
        self.message.setText(text)
        self.message.setAccessibleName(self.tr("Problem") if problem else self.tr("Done"))
        self.message.setVisible(bool(text))

    # -- the list ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask the hub for people and devices again; the newest request wins."""
        self.loading = True
        self._show_status()
        self.worker.submit(self._list_job, self._listed, self._failed, channel="list")

    def _list_job(self, store: Any) -> Listing | SyncError:
        try:
            client, identity = self.session.open(store)
            people = client.people().people
            devices = client.devices().devices
        except SyncError as exc:  # expected (offline, revoked): an answer, not a crash to log
            return exc
        return Listing(rows_from(people, devices, identity.device_id), people)

    def _listed(self, result: Listing | SyncError) -> None:
        self.loading = False
        if isinstance(result, SyncError):
            self._failed(result)
            return
        selected = self.selected()
        self.people = result.people
        self.model.set_rows(result.rows)
        self.loaded_at = datetime.now(timezone.utc)
        if selected is not None:
            self._select(selected.device_id, selected.person_id)
        if self.message.property("problem"):
            self._say("")
        self._show_status()

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        self._show_status()
        text = self.problem_text(exc)
        if self.loaded_at is not None:
            text = self.tr("{problem} The list below is from {when}.").format(
                problem=text, when=last_sync_text(self.loaded_at))
        self._say(text, problem=True)

    def selected(self) -> PersonRow | None:
        index = self.table.currentIndex()
        return self.model.data(index, PeopleModel.ROW_ROLE) if index.isValid() else None

    def _select(self, device_id: str | None, person_id: str) -> None:
        for n, row in enumerate(self.model.rows):
            if row.device_id == device_id and row.person_id == person_id:
                self.table.setCurrentIndex(self.model.index(n, 0))
                return

    def _update_buttons(self) -> None:
        row = self.selected()
        self.revoke_button.setEnabled(row is not None and row.device_id is not None and row.revoked_at is None)

    # -- invite codes --------------------------------------------------------------------

    def open_invite(self) -> InviteDialog:
        dialog = InviteDialog(self, self.people, self)
        self.invite_dialog = dialog
        dialog.finished.connect(lambda _r: self.refresh())  # the new person shows once they enrol
        dialog.open()
        return dialog

    def make_invite(self, role: str, name: str, person_id: str | None, days: int,
                    on_done: Callable[[p.InviteResponse], None], on_error: Callable[[BaseException], None]) -> None:
        def job(store: Any) -> p.InviteResponse | SyncError:
            try:
                client, _identity = self.session.open(store)
                return client.invite(role, name, person_id=person_id, days=days)
            except SyncError as exc:
                return exc

        def done(result: p.InviteResponse | SyncError) -> None:
            on_error(result) if isinstance(result, SyncError) else on_done(result)

        self.worker.submit(job, done, on_error)

    # -- revoking ------------------------------------------------------------------------

    def ask_revoke(self) -> QMessageBox | None:
        """Name the device and its person, and revoke only when the coordinator says so."""
        row = self.selected()
        if row is None or row.device_id is None or row.revoked_at is not None:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Revoke this device?"),
                          self.tr("Revoke “{device}”, {person}'s laptop?").format(
                              device=row.device_name or self.tr("Unnamed laptop"), person=row.person_name),
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("revokeConfirm")
        info = self.tr("It stops syncing at once. Records not yet sent stay on that laptop, and {person} can "
                       "export them for you. To connect a new laptop for {person}, make an invite code.").format(
                           person=row.person_name)
        if row.this_laptop:
            info += " " + self.tr("This is the laptop you are using: after this, it cannot sync either.")
        box.setInformativeText(info)
        revoke = box.addButton(self.tr("&Revoke"), QMessageBox.ButtonRole.DestructiveRole)
        revoke.setObjectName("revokeYes")
        revoke.setAccessibleName(self.tr("Revoke the device"))
        cancel = box.button(QMessageBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        box.setDefaultButton(cancel)  # a stray Return keeps the laptop connected
        box.setEscapeButton(cancel)
        self.confirm = box

        def answered(button: QAbstractButton) -> None:
            if button is revoke:
                self.revoke(row)

        box.buttonClicked.connect(answered)
        box.open()
        return box

    def revoke(self, row: PersonRow) -> None:
        device_id = row.device_id
        assert device_id is not None

        def job(store: Any) -> p.RevokeResponse | SyncError:
            try:
                client, _identity = self.session.open(store)
                return client.revoke(device_id)
            except SyncError as exc:
                return exc

        def done(result: p.RevokeResponse | SyncError) -> None:
            if isinstance(result, SyncError):
                self._say(self.tr("“{device}” was not revoked: {problem}").format(
                    device=row.device_name, problem=self.problem_text(result)), problem=True)
                self._update_buttons()
                return
            self._say(self.tr("“{device}” ({person}) is revoked: it can no longer sync.").format(
                device=row.device_name, person=row.person_name))
            self.refresh()

        self.revoke_button.setEnabled(False)
        self.worker.submit(job, done, self._failed)

    # -- lifetime ------------------------------------------------------------------------

    def is_busy(self) -> bool:
        return self.worker.is_busy()

    def shutdown(self) -> None:
        """Stop the worker, closing its HTTP client on its own thread. Safe to call twice."""
        if self._shut:
            return
        self._shut = True
        self.worker.submit(lambda _store: self.session.close())
        self.worker.close()

