"""Propose a community asset the coordinator does not list yet.

The asset is saved with status "proposed" so the coordinator can check it before it
is offered to everyone. Problems are shown next to their field in the domain's own
words (``champions.domain.explain``), and the dialog stays open with everything typed.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain import AssetLocation, AssetOrganization, CommunityAsset, explain, is_full_postcode
from ..forms.labels import domain_tr

# Which field a problem's dotted path belongs to.
_FIELD_OF = {
    "name": "name",
    "organization": "organisation",
    "description": "description",
    "location": "postcode",
    "opening_times": "opening_times",
    "languages": "languages",
}


class ProposeAssetDialog(QDialog):
    saved = Signal(str)

    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setObjectName("proposeAssetDialog")
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
        self.fields: dict[str, QWidget] = {
            "name": self.name,
            "organisation": self.organisation,
            "description": self.description,
            "postcode": self.postcode,
            "opening_times": self.opening_times,
            "languages": self.languages,
        }
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

    def retranslate(self) -> None:
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
        }
        for key, (label, name) in texts.items():
            self.labels[key].setText(label)
            self.fields[key].setAccessibleName(name)
        self.opening_times.setPlaceholderText(self.tr("For example Mon-Fri 9:00-17:00"))
        self.postcode.setPlaceholderText(self.tr("For example CH41 5LH"))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(self.tr("&Save proposal"))
        save.setAccessibleName(self.tr("Save proposal"))
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
        if postcode and not is_full_postcode(postcode):
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
