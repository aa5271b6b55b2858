"""Words typed in a comment box and not sent yet (a coordinator's query, a champion's reply).

Closing the box keeps them for the next time it opens; so does a crash or a flat battery,
because they are written to the store's local settings (never synced, never in a record)
within half a second of typing, like the forms' drafts. Sending one removes it.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

WRITE_DELAY_MS = 500


class UnsentTexts(QObject):
    """``{item id: text}`` kept under one settings ``key``; read once, written after each change."""

    def __init__(self, store: Any, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.key = key
        try:
            saved = store.settings.get(key)
        except Exception:  # noqa: BLE001 - unreadable words only mean starting afresh
            log.exception("the unsent texts could not be read")
            saved = None
        self._texts: dict[str, str] = {k: v for k, v in (saved or {}).items()
                                       if isinstance(k, str) and isinstance(v, str)} if isinstance(saved, dict) else {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(WRITE_DELAY_MS)
        self._timer.timeout.connect(self._write)

    def get(self, item_id: str) -> str:
        return self._texts.get(item_id, "")

    def keep(self, item_id: str, text: str, *, now: bool = False) -> None:
        """As typed (``now=False``: written shortly, once typing pauses) or as the box closes."""
        if text.strip():
            self._texts[item_id] = text
        else:
            self._texts.pop(item_id, None)
        if now:
            self.flush()
        else:
            self._timer.start()

    def drop(self, item_id: str) -> None:
        """Sent: nothing of it is kept."""
        if self._texts.pop(item_id, None) is not None:
            self.flush()

    def flush(self) -> None:
        self._timer.stop()
        self._write()

    def _write(self) -> None:
        try:
            self.store.settings.set(self.key, dict(self._texts))
        except Exception:  # noqa: BLE001 - the words stay in memory; the log says why they were not kept
            log.exception("the unsent texts could not be kept")
