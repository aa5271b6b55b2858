"""What a list shows for one record: plain text cells built on the worker thread.

Building a row needs the reference lists (labels) and the record's sync state, which
are store reads, so it happens off the GUI thread; the model only shows the strings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from ...domain import as_utc
from ..forms.labels import ref_label

CONTEXT = "Columns"


@dataclass(frozen=True)
class Row:
    id: str
    cells: tuple[str, ...]
    sync_state: str = ""
    sync_reason: str = ""


@dataclass(frozen=True)
class Column:
    title: str  # source text, translated in the "Columns" context when shown
    cell: Callable[[Any, Any], str] | None  # (record, reference lists) -> text; None: the sync state
    numeric: bool = False
    sample: str = "Community centre"  # typical longest text, to size the column from the font
    stretch: bool = False  # takes the width left over


def when_text(value: datetime) -> str:
    """Local time, day first, as a champion reads a diary."""
    local = as_utc(value).astimezone()
    return local.strftime("%a %d %b %Y, %H:%M")


def sentence(text: str) -> str:
    """Taxonomy labels are lower case for use mid-sentence; a cell starts with a capital."""
    return text[:1].upper() + text[1:]


def _barriers(record: Any, ref: Any) -> str:
    return sentence("; ".join(ref_label(ref, "barrier", b.code) for b in record.barriers))


def _hours(record: Any, ref: Any) -> str:
    hours = record.duration_minutes / 60
    return f"{hours:g}"


SYNC = Column(QT_TRANSLATE_NOOP("Columns", "Sync"), None, sample="Waiting to sync")

CONVERSATION_COLUMNS: tuple[Column, ...] = (
    Column(QT_TRANSLATE_NOOP("Columns", "When"), lambda r, ref: when_text(r.occurred_at), sample="Wed 30 Sep 2026, 23:59"),
    Column(QT_TRANSLATE_NOOP("Columns", "Neighbourhood"), lambda r, ref: ref_label(ref, "neighbourhood", r.neighbourhood), sample="Hoylake and West Kirby"),
    Column(QT_TRANSLATE_NOOP("Columns", "Setting"), lambda r, ref: ref_label(ref, "setting", r.setting), sample="Community centre"),
    Column(QT_TRANSLATE_NOOP("Columns", "People"), lambda r, ref: str(r.people_reached), numeric=True, sample="People"),
    Column(QT_TRANSLATE_NOOP("Columns", "Barriers heard"), _barriers, sample="Worried about side effects or safety", stretch=True),
    SYNC,
)

ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column(QT_TRANSLATE_NOOP("Columns", "When"), lambda r, ref: when_text(r.occurred_at), sample="Wed 30 Sep 2026, 23:59"),
    Column(QT_TRANSLATE_NOOP("Columns", "Neighbourhood"), lambda r, ref: ref_label(ref, "neighbourhood", r.neighbourhood), sample="Hoylake and West Kirby"),
    Column(QT_TRANSLATE_NOOP("Columns", "Kind"), lambda r, ref: ref_label(ref, "activity_kind", r.activity_kind), sample="Community group message"),
    Column(QT_TRANSLATE_NOOP("Columns", "People"), lambda r, ref: str(r.people_reached), numeric=True, sample="People"),
    Column(QT_TRANSLATE_NOOP("Columns", "Hours"), _hours, numeric=True, sample="People"),
    Column(QT_TRANSLATE_NOOP("Columns", "Partners"), lambda r, ref: ", ".join(r.partners), sample="Age UK, Housing association", stretch=True),
    SYNC,
)


def build_rows(store: Any, repo_name: str, ids: Sequence[str], columns: Sequence[Column]) -> dict[str, Row]:
    """Runs on the worker thread: fetch the records and turn them into text."""
    repo = getattr(store, repo_name)
    ref = store.reference
    ids = list(ids)
    states = repo.sync_states(ids)
    rows: dict[str, Row] = {}
    for record in repo.get_many(ids):
        cells = tuple("" if c.cell is None else c.cell(record, ref) for c in columns)
        state = states.get(record.id)
        rows[record.id] = Row(
            record.id, cells, state.state if state else "", (state.reason or "") if state else ""
        )
    return rows
