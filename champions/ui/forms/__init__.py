"""The champion's forms: conversation, outreach activity and a barrier heard on its own, with drafts
and live validation.

The main window calls ``open_conversation_form`` / ``open_activity_form`` (both return
the dialog, already shown, with a ``saved(str)`` signal) and, at start-up,
``offer_drafts`` to bring back work left unsaved by a crash.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from .activity import ActivityForm
from .barrier import BarrierForm
from .base import RecordForm
from .conversation import ConversationForm
from .offer import DraftsOffer

FORMS: dict[str, type[RecordForm]] = {"conversation": ConversationForm, "outreach_activity": ActivityForm,
                                      "barrier": BarrierForm}


def _open(kind: str, parent: QWidget | None, store: Any, record_id: str | None) -> RecordForm:
    form = FORMS[kind](parent, store, record_id)
    form.show()
    form.raise_()
    form.activateWindow()
    return form


def open_conversation_form(parent: QWidget | None, store: Any, record_id: str | None = None) -> RecordForm:
    """A new conversation, or the one with ``record_id`` (with its unsaved draft, if any)."""
    return _open("conversation", parent, store, record_id)


def open_activity_form(parent: QWidget | None, store: Any, record_id: str | None = None) -> RecordForm:
    return _open("outreach_activity", parent, store, record_id)


def open_barrier_form(parent: QWidget | None, store: Any, record_id: str | None = None) -> RecordForm:
    """A barrier heard on its own (not in a conversation), new or the one with ``record_id``."""
    return _open("barrier", parent, store, record_id)


def open_form(parent: QWidget | None, store: Any, kind: str, record_id: str | None = None) -> RecordForm:
    return _open(kind, parent, store, record_id)


def offer_drafts(parent: QWidget | None, store: Any) -> QDialog | None:
    """If unsaved drafts exist, show (without blocking) a dialog to restore or discard each one."""
    drafts = [d for d in store.drafts.list() if d[0].split(":", 1)[0] in FORMS]
    if not drafts:
        return None
    dialog = DraftsOffer(parent, store, drafts, open_form)
    dialog.show()
    return dialog


__all__ = ["ActivityForm", "BarrierForm", "ConversationForm", "DraftsOffer", "RecordForm", "offer_drafts", "open_activity_form",
           "open_barrier_form", "open_conversation_form", "open_form"]
