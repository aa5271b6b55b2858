"""Propose a community asset the coordinator does not list yet, or (the coordinator) edit one.

A proposal is saved with status "proposed" so the coordinator can check it before it
is offered to everyone. Problems are shown next to their field in the domain's own
words (``champions.domain.explain``), and the dialog stays open with everything typed.

Given an ``asset``, the same form edits it: the coordinator corrects what a champion
proposed or an import brought, and sets its status. Only the fields on the form change;
everything else the asset holds (its address, contact, categories, its Open Referral UK
ids) is kept, and the saved edit is a new revision of the same record, synced as such.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QComboBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain import AssetLocation, AssetOrganization, CommunityAsset, explain, is_full_postcode
from ..forms.labels import domain_tr
from .field_texts import set_field_texts

# Which field a problem's dotted path belongs to.
_FIELD_OF = {
    "name": "name",
    "organization": "organisation",
    "description": "description",
    "location": "postcode",
    "opening_times": "opening_times",
    "languages": "languages",
    "status": "status",
}
STATUSES = (
    ("active", QT_TRANSLATE_NOOP("ProposeAssetDialog", "Listed: champions can signpost to it")),
    ("proposed", QT_TRANSLATE_NOOP("ProposeAssetDialog", "Proposed: not offered to champions yet")),
    ("inactive", QT_TRANSLATE_NOOP("ProposeAssetDialog", "No longer running")),
)


class ProposeAssetDialog(QDialog):
    saved = Signal(str)

    def __init__(self, store: Any, parent: QWidget | None = None, asset: CommunityAsset | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.asset = asset  # None: a new proposal; else the asset being edited
        self.setObjectName("editAssetDialog" if asset is not None else "proposeAssetDialog")
        self.name = QLineEdit()
        self.organisation = QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(self.fontMetrics().height() * 4)
        self.postcode = QLineEdit()
        self.opening_times = QLineEdit()
        self.languages = QListWidget()
        self.languages.setMinimumHeight(self.fontMetrics().height() * 5)
        for item in store.reference.items("language"):
            entry = QListWidgetItem(item.label)
            entry.setData(Qt.ItemDataRole.UserRole, item.code)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.languages.addItem(entry)
        self.status = QComboBox()
        for code, _words in STATUSES:
            self.status.addItem("", code)
        self.fields: dict[str, QWidget] = {
            "name": self.name,
            "organisation": self.organisation,
            "description": self.description,
            "postcode": self.postcode,
            "opening_times": self.opening_times,
            "languages": self.languages,
        }
        if asset is not None:
            self.fields["status"] = self.status
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, widget in self.fields.items():
            label = QLabel()
            label.setBuddy(widget)
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(widget)
            column.addWidget(error)
            form.addRow(label, column)
            self.labels[key] = label
            self.errors[key] = error
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.retranslate()
        if asset is not None:
            self._fill(asset)

    def _fill(self, asset: CommunityAsset) -> None:
        self.name.setText(asset.name)
        self.organisation.setText(asset.organization.name)
        self.description.setPlainText(asset.description)
        self.postcode.setText(asset.location.postcode)
        self.opening_times.setText(asset.opening_times)
        for i in range(self.languages.count()):
            item = self.languages.item(i)
            ticked = item.data(Qt.ItemDataRole.UserRole) in asset.languages
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.status.setCurrentIndex(max(0, self.status.findData(asset.status)))

    def retranslate(self) -> None:
        editing = self.asset is not None
        if editing:
            self.setWindowTitle(self.tr("Edit a community asset"))
            self.intro.setText(self.tr("Correct what the champions see. A listed asset reaches every champion "
                                       "on their next sync; a proposed one only its author."))
        else:
            self.setWindowTitle(self.tr("Propose a community asset"))
            self.intro.setText(
                self.tr("Tell your coordinator about a group, place or service people can be pointed to. "
                        "It is listed as proposed until they check it.")
            )
        texts = {
            "name": (self.tr("&Name:"), self.tr("Service name")),
            "organisation": (self.tr("&Organisation:"), self.tr("Organisation")),
            "description": (self.tr("&What it offers:"), self.tr("What it offers")),
            "postcode": (self.tr("&Postcode:"), self.tr("Postcode of the place")),
            "opening_times": (self.tr("Opening &times:"), self.tr("Opening times")),
            "languages": (self.tr("&Languages:"), self.tr("Languages spoken there")),
            "status": (self.tr("St&atus:"), self.tr("Status")),
        }
        set_field_texts(self.labels, self.fields, texts)
        for i, (_code, words) in enumerate(STATUSES):
            self.status.setItemText(i, QCoreApplication.translate("ProposeAssetDialog", words))
        self.opening_times.setPlaceholderText(self.tr("For example Mon-Fri 9:00-17:00"))
        self.postcode.setPlaceholderText(self.tr("For example CH41 5LH"))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(self.tr("&Save changes") if editing else self.tr("&Save proposal"))
        save.setAccessibleName(self.tr("Save changes") if editing else self.tr("Save proposal"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        cancel.setAccessibleName(self.tr("Cancel"))

    def chosen_languages(self) -> list[str]:
        return [
            self.languages.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.languages.count())
            if self.languages.item(i).checkState() == Qt.CheckState.Checked
        ]

    def data(self) -> dict[str, Any]:
        ref = self.store.reference
        postcode = self.postcode.text().strip().upper()
        neighbourhood = ref.neighbourhood_for(postcode) if postcode and is_full_postcode(postcode) else None
        if self.asset is not None:
            return self._edited(postcode, neighbourhood)
        return {
            "name": self.name.text(),
            "organization": AssetOrganization(name=self.organisation.text()).model_dump(),
            "description": self.description.toPlainText(),
            "location": AssetLocation(name=self.organisation.text().strip(), postcode=postcode).model_dump(),
            "opening_times": self.opening_times.text(),
            "languages": self.chosen_languages(),
            "neighbourhood": neighbourhood,
            "status": "proposed",
        }

    def _edited(self, postcode: str, neighbourhood: str | None) -> dict[str, Any]:
        """The asset being edited with the form's fields put in; everything else it holds is kept."""
        assert self.asset is not None
        old = self.asset
        data = old.model_dump()
        organisation = self.organisation.text()
        data["organization"] = {**data["organization"], "name": organisation}
        place = data["location"]["name"] or organisation.strip()
        data["location"] = {**data["location"], "postcode": postcode, "name": place}
        shown = {self.languages.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.languages.count())}
        kept = [code for code in old.languages if code not in shown]  # retired ones the form cannot show
        data.update({
            "name": self.name.text(),
            "description": self.description.toPlainText(),
            "opening_times": self.opening_times.text(),
            "languages": kept + self.chosen_languages(),
            "neighbourhood": neighbourhood if postcode != old.location.postcode and neighbourhood else old.neighbourhood,
            "status": self.status.currentData(),
        })
        return data

    def show_problems(self, problems: dict[str, str]) -> None:
        for key, label in self.errors.items():
            message = problems.get(key, "")
            label.setText(message)
            label.setVisible(bool(message))
            self.fields[key].setAccessibleDescription(message)
        first = next((k for k in self.fields if k in problems), None)
        if first is not None:
            self.fields[first].setFocus(Qt.FocusReason.OtherFocusReason)

    def problems_for(self, data: dict[str, Any]) -> tuple[CommunityAsset | None, dict[str, str]]:
        problems: dict[str, str] = {}
        postcode = data["location"]["postcode"]
        unchanged = self.asset is not None and postcode == self.asset.location.postcode  # as imported, say
        if postcode and not unchanged and not is_full_postcode(postcode):
            problems["postcode"] = self.tr("Enter the whole postcode of the place, for example CH41 5LH, or leave it empty.")
        try:
            asset = CommunityAsset.model_validate(data, context={"reference": self.store.reference})
        except ValidationError as error:
            for problem in explain(error, CommunityAsset):
                key = _FIELD_OF.get(problem.field.split(".")[0], "name")
                problems.setdefault(key, problem.translated(domain_tr))
            return None, problems
        return (None if problems else asset), problems

    def save(self) -> None:
        asset, problems = self.problems_for(self.data())
        self.show_problems(problems)
        if asset is None:
            return
        saved = self.store.assets.save(asset)
        self.saved.emit(saved.id)
        self.accept()
