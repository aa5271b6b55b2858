"""Sync's words go through Qt's translation: the sync layer's error sentences, the record kinds and
dates on the Sync page, and the problems the enrolment dialog shows."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator

from champions.sync import client, errors
from champions.ui.sync import messages
from champions.ui.sync.controller import describe_record
from champions.ui.sync.enrol_dialog import EnrolDialog

from .test_sync_ui import WAIT, sync_window

SYNC = Path(client.__file__).parent
ERRORS = {name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, errors.SyncError)}


def sync_layer_templates() -> list[str]:
    """Every sentence the sync layer can raise: the first argument of each error it makes."""
    found: list[str] = []
    for path in sorted(SYNC.glob("*.py")):
        module = importlib.import_module(f"champions.sync.{path.stem}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERRORS and node.args):
                continue
            first = node.args[0]
            assert not isinstance(first, ast.JoinedStr), (
                f"{path.name}:{node.lineno}: an f-string cannot be translated; pass values=... instead")
            if isinstance(first, ast.Constant):
                found.append(first.value)
            elif isinstance(first, ast.Name) and hasattr(module, first.id):
                found.append(getattr(module, first.id))
    return found + list(client.INVITE_REFUSED.values())


def test_every_sentence_of_the_sync_layer_is_in_the_translators_list():
    templates = sync_layer_templates()
    assert len(templates) > 20
    missing = [t for t in templates if t not in messages.TEMPLATES]
    assert missing == []
    assert errors.HUB_SAYS == messages.HUB_SAYS


class Welsh(QTranslator):
    """A translator with a few entries, as a .qm file would give."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[str, str]] = []

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:  # noqa: ARG002
        self.asked.append((context, source))
        if context == "SyncMessages":
            return "CY " + source
        return {("SyncKinds", "Conversation"): "Sgwrs", ("SyncKinds", "d MMM yyyy"): "yyyy-MM-dd"}.get((context, source), "")

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


@pytest.fixture
def welsh(qapp: Any) -> Any:
    translator = Welsh()
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_sync_errors_and_the_hubs_words_are_shown_translated(welsh):
    exc = client._error_for(503, b'{"code": "busy", "message": "x"}', "7")
    assert messages.sync_message(exc) == ("CY The hub is busy or had a problem (error 503). Champions will try "
                                          "again later. It asked to wait 7 seconds.")
    assert str(exc).startswith("The hub is busy")  # the log keeps English
    revoked = client._error_for(401, b'{"code": "device_revoked", "message": "Revoked by Cora."}', None)
    assert messages.sync_message(revoked).startswith("CY This laptop can no longer sync")
    assert messages.sync_message(revoked).endswith("CY  (The hub says: Revoked by Cora.)")


def test_the_sync_page_names_kinds_and_dates_in_the_persons_language(welsh, store):
    from champions.domain.samples import SampleGenerator

    record = store.conversations.save(next(SampleGenerator(seed=2, reference=store.reference).conversations(1)))
    title = describe_record(store, "conversation", record.id)
    assert title.startswith(f"Sgwrs, {record.occurred_at:%Y-%m-%d}")


def test_the_enrolment_dialog_shows_the_problem_translated(welsh, qtbot, store):
    window, controller = sync_window(qtbot, store)
    dialog = EnrolDialog(controller, "ftp://hub.example.org", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.code, "ABCD-EFGH")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.connect_button.isEnabled(), timeout=WAIT)
    assert dialog.message.text() == ("CY “ftp://hub.example.org” is not a web address. "
                                     "It should look like https://hub.example.org.")
    window.shutdown()
