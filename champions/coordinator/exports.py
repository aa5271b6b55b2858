"""Exports of the current filter: CSV and XLSX of conversations, barriers, outreach and assets.

Rows are generated one record at a time (nothing builds the whole table in memory), the
job checks a cancel flag and reports progress as it goes, and the file appears only when
complete: rows go to a temporary file beside the target, renamed over it at the end. A
cancelled or failed export leaves no file, and never a half-written one.

Every column says its label and, where a label comes from a shared list, the code next to
it (labels read well; codes survive a renamed list item). The XLSX carries a "Data
dictionary" sheet (each column: its meaning and the list its values come from), built
from the domain models' field titles, and the "Taxonomy" sheet (barriers with their BeSD
domain and 5C driver).

CSV is UTF-8 with a byte-order mark so Excel reads accents and scripts right; any text
cell starting with = + - @ (or a tab or carriage return) gets a leading apostrophe so a
spreadsheet never runs it as a formula. In the XLSX such cells are written as typed
strings, which no spreadsheet evaluates, so the text stays exactly as typed.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..domain import (
    ADDRESSED,
    INTENTIONS,
    AssetContact,
    AssetLocation,
    AssetOrganization,
    Barrier,
    CommunityAsset,
    Conversation,
    GroupsReached,
    OutreachActivity,
    ReferenceLists,
    as_utc,
)
from .filters import REVIEW_STATES, FactContext, ReportFilter, iso_week
from .tasks import NO_TASK, Cancelled, TaskLike, check

__all__ = [
    "Cancelled", "ExportColumn", "Exporter", "Sheet", "export_csv", "export_xlsx", "guard_formula",
]

LIST_SEPARATOR = "; "
_FORMULA_START = "=+-@\t\r"
_CHECK_EVERY = 200


def guard_formula(text: str) -> str:
    """OWASP's CSV-injection advice: a leading apostrophe makes the cell plain text."""
    return "'" + text if text and text[0] in _FORMULA_START else text


@dataclass(frozen=True)
class ExportColumn:
    header: str
    meaning: str
    source: str  # which shared list the values come from, or "" for free values
    value: Callable[[Any], Any]


@dataclass
class Sheet:
    """One table of an export: its columns, the records it is built from, and how one record becomes rows."""

    name: str
    columns: list[ExportColumn]
    records: Iterable[Any]
    total: int  # records to walk, for progress
    rows_of: Callable[[Any], Iterable[list[Any]]]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def rows(self, task: TaskLike = NO_TASK, offset: int = 0, grand_total: int | None = None) -> Iterator[list[Any]]:
        """Rows in order; checks the cancel flag and reports progress every few hundred records."""
        total = grand_total if grand_total is not None else self.total
        done = 0
        for record in self.records:
            if done % _CHECK_EVERY == 0:
                check(task)
                task.progress(offset + done, total)
            done += 1
            yield from self.rows_of(record)
        check(task)
        task.progress(offset + done, total)


def _title(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].title or name


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _utc(value: datetime) -> datetime:
    """Spreadsheets have no time zones: naive UTC, and the header says so."""
    return as_utc(value).replace(tzinfo=None)


def _size(records: Iterable[Any]) -> int:
    return len(records) if isinstance(records, Sized) else 0


class Exporter:
    """Builds the sheets of an export for one filter. The UI passes lists it already loaded.

    ``champion_name`` turns an author id into a name (the UI knows the champions);
    ``asset_names`` maps asset ids to names for the "Signposted to" column.
    """

    def __init__(self, reference: ReferenceLists, report_filter: ReportFilter | None = None,
                 context: FactContext | None = None, *, champion_name: Callable[[str], str] | None = None,
                 asset_names: Mapping[str, str] | None = None) -> None:
        self.ref = reference
        self.filter = report_filter or ReportFilter()
        self.context = context or FactContext(reference)
        self.champion_name = champion_name or (lambda author: author)
        self.asset_names = asset_names or {}
        self._sources: dict[str, str] = {}

    # -- helpers -----------------------------------------------------------------
    def source(self, list_name: str) -> str:
        found = self._sources.get(list_name)
        if found is None:
            items = self.ref.items(list_name, include_retired=True)
            origin = next((i.source for i in items if i.source), "")
            found = f"{list_name} list" + (f" ({origin})" if origin else " (set by the coordinator)")
            self._sources[list_name] = found
        return found

    def _labels(self, list_name: str, codes: Iterable[str]) -> str:
        return LIST_SEPARATOR.join(self.ref.label(list_name, c) for c in codes)

    def _coded(self, title: str, list_name: str, get: Callable[[Any], Any], meaning: str,
               many: bool = False) -> list[ExportColumn]:
        """A label column and its code column, for one field that takes values from a shared list."""
        source = self.source(list_name)
        if many:
            return [ExportColumn(title, meaning, source, lambda r: self._labels(list_name, get(r))),
                    ExportColumn(f"{title} (codes)", f"{meaning} Codes, in the same order.", source,
                                 lambda r: LIST_SEPARATOR.join(get(r)))]
        return [ExportColumn(title, meaning, source, lambda r: (self.ref.label(list_name, get(r)) if get(r) else "")),
                ExportColumn(f"{title} (code)", f"{meaning} The list code.", source, lambda r: get(r) or "")]

    def _envelope_columns(self, model: type[BaseModel], what: str) -> list[ExportColumn]:
        return [
            ExportColumn(_title(model, "id"), f"The {what}'s id (UUID), the same on every device and the hub.", "", lambda r: r.id),
            ExportColumn("Champion", "Who logged it (the champion's name as the coordinator knows it).", "",
                         lambda r: self.champion_name(r.author_id) if r.author_id else ""),
            ExportColumn("Champion id", "The champion's account id.", "", lambda r: r.author_id or ""),
        ]

    def _when_columns(self, model: type[BaseModel]) -> list[ExportColumn]:
        return [
            ExportColumn(f"{_title(model, 'occurred_at')} (UTC)", "Date and time it happened, in UTC.", "",
                         lambda r: _utc(r.occurred_at)),
            ExportColumn("ISO week", "The ISO 8601 week it happened in, for example 2026-W10.", "",
                         lambda r: iso_week(as_utc(r.occurred_at).date())),
        ]

    def _tail_columns(self, model: type[BaseModel]) -> list[ExportColumn]:
        return [
            ExportColumn("Review", "Where the coordinator's review stands: " + ", ".join(REVIEW_STATES.values()) + ".",
                         "", lambda r: REVIEW_STATES.get(self.context.review_states.get(r.id, "unreviewed"), "")),
            ExportColumn(f"{_title(model, 'created_at')} (UTC)", "When the record was first saved.", "", lambda r: _utc(r.created_at)),
            ExportColumn(f"{_title(model, 'updated_at')} (UTC)", "When the record was last changed.", "", lambda r: _utc(r.updated_at)),
            ExportColumn(_title(model, "rev"), "How many times the record has been edited and saved.", "", lambda r: r.rev),
        ]

    def _kept(self, records: Iterable[Any], kind: type) -> Iterator[Any]:
        return self.filter.records((r for r in records if isinstance(r, kind)), self.context)

    # -- sheets ------------------------------------------------------------------
    def conversation_columns(self) -> list[ExportColumn]:
        C, G = Conversation, GroupsReached
        cols = self._envelope_columns(C, "conversation") + self._when_columns(C)
        cols += self._coded(_title(C, "neighbourhood"), "neighbourhood", lambda r: r.neighbourhood, "Where it happened.")
        cols += self._coded(_title(C, "setting"), "setting", lambda r: r.setting, "The kind of place.")
        cols += [
            ExportColumn(_title(C, "postcode_district"), "The first part of the postcode (never a full postcode).", "",
                         lambda r: r.postcode_district or ""),
            ExportColumn("Deprivation decile", "IMD 2025 decile of the postcode district (1 = most deprived), from the imported postcode file; blank if not known.",
                         "imported deprivation file", lambda r: self.context.decile_of_district.get(r.postcode_district or "", "")),
            ExportColumn(_title(C, "people_reached"), "How many people took part.", "", lambda r: r.people_reached),
        ]
        cols += self._coded(_title(G, "age_bands"), "age_band", lambda r: r.groups.age_bands, "Age bands of the people reached.", many=True)
        cols += self._coded(_title(G, "ethnic_groups"), "ethnic_group", lambda r: r.groups.ethnic_groups, "Ethnic groups of the people reached.", many=True)
        cols += self._coded(_title(G, "languages"), "language", lambda r: r.groups.languages, "Languages spoken in the conversation.", many=True)
        cols += self._coded(_title(G, "core20plus"), "core20plus", lambda r: r.groups.core20plus, "Core20PLUS groups the people belong to.", many=True)
        cols += self._coded(_title(C, "topics"), "topic", lambda r: r.topics, "What was talked about.", many=True)
        cols += self._coded(_title(C, "barriers"), "barrier", lambda r: [b.code for b in r.barriers], "Barriers heard (details on the Barriers sheet).", many=True)
        cols += [ExportColumn("Barriers count", "How many barriers were heard.", "", lambda r: len(r.barriers))]
        for name in ("intention_before", "intention_after"):
            title = _title(C, name)
            cols += [ExportColumn(title, f"{title}: " + ", ".join(INTENTIONS.values()) + ".", "intention (fixed list)",
                                  lambda r, n=name: INTENTIONS[getattr(r, n)]),
                     ExportColumn(f"{title} (code)", f"{title}, as its code.", "intention (fixed list)", lambda r, n=name: getattr(r, n))]
        cols += [
            ExportColumn(_title(C, "signposted_to"), "Community assets the people were signposted to.", "community assets",
                         lambda r: LIST_SEPARATOR.join(self.asset_names.get(a, a) for a in r.signposted_to)),
            ExportColumn(f"{_title(C, 'signposted_to')} (ids)", "The assets' ids (Open Referral UK service ids).", "community assets",
                         lambda r: LIST_SEPARATOR.join(r.signposted_to)),
            ExportColumn(_title(C, "referral_made"), "Whether a referral was made (Yes or No).", "", lambda r: _yes_no(r.referral_made)),
            ExportColumn(_title(C, "follow_up_on"), "The date set for a follow-up, if any.", "", lambda r: r.follow_up_on or ""),
            ExportColumn(_title(C, "notes"), "The champion's notes.", "", lambda r: r.notes),
        ]
        return cols + self._tail_columns(C)

    def conversations(self, records: Iterable[Any]) -> Sheet:
        return Sheet("Conversations", (cols := self.conversation_columns()), self._kept(records, Conversation),
                     _size(records), lambda r: [[c.value(r) for c in cols]])

    def barrier_columns(self) -> list[ExportColumn]:
        B = Barrier

        def code(row: tuple[Any, Any]) -> str:
            return row[1].code

        def domain(row: tuple[Any, Any]) -> str:
            return self.context.barrier_domain(row[1].code)

        def driver(row: tuple[Any, Any]) -> str:
            item = self.ref.get("barrier", row[1].code)
            return (item.driver or "") if item else ""

        def on(get: Callable[[Any], Any]) -> Callable[[tuple[Any, Any]], Any]:
            return lambda row: get(row[0])

        cols = [
            ExportColumn("Barrier row id", "Unique per row: the record id, then #n for the n-th barrier of a conversation.", "",
                         lambda row: row[0].id if row[0] is row[1] else f"{row[0].id}#{row[2]}"),
            ExportColumn("Logged as", "“conversation” (heard in a conversation) or “standalone” (logged on its own).", "",
                         lambda row: "standalone" if row[0] is row[1] else "conversation"),
            ExportColumn("Conversation id", "The conversation it was heard in; blank for a standalone barrier.", "",
                         lambda row: "" if row[0] is row[1] else row[0].id),
            ExportColumn("Barrier record id", "The standalone barrier's id; blank for one heard in a conversation.", "",
                         lambda row: row[0].id if row[0] is row[1] else ""),
            ExportColumn("Champion", "Who logged it.", "", on(lambda r: self.champion_name(r.author_id) if r.author_id else "")),
            ExportColumn("Champion id", "The champion's account id.", "", on(lambda r: r.author_id or "")),
        ]
        cols += [ExportColumn(c.header, c.meaning, c.source, on(c.value)) for c in self._when_columns(B)]
        cols += [ExportColumn(c.header, c.meaning, c.source, on(c.value))
                 for c in self._coded(_title(B, "neighbourhood"), "neighbourhood", lambda r: r.neighbourhood, "Where it was heard.")]
        cols += [
            ExportColumn("Postcode district", "The conversation's postcode district; blank for a standalone barrier.", "",
                         on(lambda r: getattr(r, "postcode_district", None) or "")),
            ExportColumn(_title(B, "code"), "The barrier heard.", self.source("barrier"), lambda row: self.ref.label("barrier", code(row))),
            ExportColumn(f"{_title(B, 'code')} (code)", "The barrier's code in the taxonomy.", self.source("barrier"), code),
            ExportColumn("BeSD domain", "The WHO Behavioural and Social Drivers domain of the barrier.", self.source("barrier_group"),
                         lambda row: self.ref.label("barrier_group", domain(row)) if domain(row) else ""),
            ExportColumn("BeSD domain (code)", "The domain's code.", self.source("barrier_group"), domain),
            ExportColumn("5C driver", "The driver from the 5C model (Betsch et al. 2018).", self.source("barrier"), driver),
            ExportColumn(_title(B, "quote"), "What the resident said, in their words.", "", lambda row: row[1].quote),
            ExportColumn(_title(B, "addressed"), "Whether the champion could address it: " + ", ".join(ADDRESSED.values()) + ".",
                         "addressed (fixed list)", lambda row: ADDRESSED[row[1].addressed]),
            ExportColumn(f"{_title(B, 'addressed')} (code)", "The same, as its code.", "addressed (fixed list)", lambda row: row[1].addressed),
            ExportColumn(_title(B, "notes"), "Notes on a standalone barrier (a conversation's notes are on its own sheet).", "",
                         lambda row: row[1].notes if row[0] is row[1] else ""),
            ExportColumn("Review", "Where the coordinator's review of the record stands.", "",
                         on(lambda r: REVIEW_STATES.get(self.context.review_states.get(r.id, "unreviewed"), ""))),
        ]
        return cols

    def _barrier_rows(self, cols: list[ExportColumn]) -> Callable[[Any], Iterator[list[Any]]]:
        keeps = self.filter.keeps_barrier
        domain_of = self.context.barrier_domain

        def rows(record: Any) -> Iterator[list[Any]]:
            if isinstance(record, Barrier):
                if keeps(record.code, domain_of(record.code)):
                    yield [c.value((record, record, 0)) for c in cols]
                return
            for n, heard in enumerate(record.barriers, start=1):
                if keeps(heard.code, domain_of(heard.code)):
                    yield [c.value((record, heard, n)) for c in cols]
        return rows

    def barriers(self, records: Iterable[Any]) -> Sheet:
        """One row per barrier: those heard in conversations and those logged on their own."""
        cols = self.barrier_columns()
        source = self.filter.records((r for r in records if isinstance(r, (Conversation, Barrier))), self.context)
        return Sheet("Barriers", cols, source, _size(records), self._barrier_rows(cols))

    def outreach_columns(self) -> list[ExportColumn]:
        O = OutreachActivity
        cols = self._envelope_columns(O, "activity") + self._when_columns(O)
        cols += self._coded(_title(O, "activity_kind"), "activity_kind", lambda r: r.activity_kind, "What kind of activity.")
        cols += [
            ExportColumn(_title(O, "duration_minutes"), "How long it lasted, in minutes.", "", lambda r: r.duration_minutes),
            ExportColumn("Hours", "How long it lasted, in hours.", "", lambda r: round(r.duration_minutes / 60, 2)),
        ]
        cols += self._coded(_title(O, "neighbourhood"), "neighbourhood", lambda r: r.neighbourhood, "Where it happened.")
        cols += [
            ExportColumn(_title(O, "partners"), "Partner organisations, as typed.", "", lambda r: LIST_SEPARATOR.join(r.partners)),
            ExportColumn(_title(O, "people_reached"), "How many people it reached (the champion's estimate).", "", lambda r: r.people_reached),
        ]
        cols += self._coded(_title(O, "languages"), "language", lambda r: r.languages, "Languages used.", many=True)
        cols += [
            ExportColumn(_title(O, "volunteer_hours"), "Volunteer hours given, all volunteers together.", "", lambda r: r.volunteer_hours),
            ExportColumn(_title(O, "materials"), "Materials used, as typed.", "", lambda r: LIST_SEPARATOR.join(r.materials)),
            ExportColumn(_title(O, "notes"), "The champion's notes.", "", lambda r: r.notes),
        ]
        return cols + self._tail_columns(O)

    def outreach(self, records: Iterable[Any]) -> Sheet:
        return Sheet("Outreach", (cols := self.outreach_columns()), self._kept(records, OutreachActivity),
                     _size(records), lambda r: [[c.value(r) for c in cols]])

    def asset_columns(self) -> list[ExportColumn]:
        A = CommunityAsset
        cols = [ExportColumn("Asset id", "The asset's id, which is also its Open Referral UK service id.", "", lambda r: r.id),
                ExportColumn(_title(A, "name"), "The service's name.", "", lambda r: r.name),
                ExportColumn(_title(A, "description"), "What it offers.", "", lambda r: r.description),
                ExportColumn(_title(A, "status"), "active, proposed or inactive.", "", lambda r: r.status)]
        cols += self._coded(_title(A, "neighbourhood"), "neighbourhood", lambda r: r.neighbourhood, "The neighbourhood it serves.")
        for prefix, part in (("organization", AssetOrganization), ("location", AssetLocation), ("contact", AssetContact)):
            for name, info in part.model_fields.items():
                title = info.title or name
                header = title if prefix != "contact" or name == "name" else f"Contact {title.lower()}"
                if prefix == "organization" and name == "email":
                    header = "Organisation email"
                cols.append(ExportColumn(header, f"{_title(A, prefix)}: {title.lower()}.", "",
                                         lambda r, p=prefix, n=name: _blank(getattr(getattr(r, p), n))))
        cols += [ExportColumn(_title(A, "opening_times"), "When it is open, as written.", "", lambda r: r.opening_times)]
        cols += self._coded(_title(A, "languages"), "language", lambda r: r.languages, "Languages spoken there.", many=True)
        cols += [ExportColumn(_title(A, "taxonomy_terms"), "Categories (Open Referral UK taxonomy terms).", "",
                              lambda r: LIST_SEPARATOR.join(r.taxonomy_terms))]
        return cols

    def assets(self, records: Iterable[Any]) -> Sheet:
        """The directory: only the neighbourhood filter applies (assets have no date, author or groups)."""
        hoods = self.filter.neighbourhoods
        kept = (r for r in records if isinstance(r, CommunityAsset) and (self.filter.include_deleted or not r.deleted)
                and (not hoods or r.neighbourhood in hoods))
        return Sheet("Assets", (cols := self.asset_columns()), kept, _size(records), lambda r: [[c.value(r) for c in cols]])

    # -- extra XLSX sheets -------------------------------------------------------------
    def dictionary_rows(self, sheets: Sequence[Sheet]) -> list[list[str]]:
        rows = [["Sheet", "Column", "Meaning", "Source list"]]
        for sheet in sheets:
            rows += [[sheet.name, c.header, c.meaning, c.source] for c in sheet.columns]
        return rows

    def taxonomy_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["BeSD domain (code)", "BeSD domain", "Barrier (code)", "Barrier", "5C driver", "Retired", "Source"]]
        domains = {g.code: g.label for g in self.ref.groups("barrier")}
        for item in sorted(self.ref.items("barrier", include_retired=True),
                           key=lambda i: (list(domains).index(i.group) if i.group in domains else len(domains), i.position, i.code)):
            rows.append([item.group or "", domains.get(item.group or "", ""), item.code, item.label, item.driver or "",
                         _yes_no(item.retired), item.source])
        return rows

    def about_rows(self, generated_at: datetime | None = None) -> list[list[str]]:
        when = as_utc(generated_at or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M UTC")
        return [["Filter", "Value"], ["Exported", when]] + [[k, v] for k, v in self.filter.describe(self.ref, self.champion_name)]


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _csv_cell(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return "'" + value if value and value[0] in _FORMULA_START else value
    if kind is datetime:
        return value.isoformat(sep=" ", timespec="seconds")
    if kind is date:
        return value.isoformat()
    return value


@contextmanager
def _atomic(path: Path, suffix: str, task: TaskLike | None = None) -> Iterator[Path]:
    """A temporary file beside the target, renamed over it only if the body finishes and, with a
    task, only if it was not cancelled meanwhile (a Cancel pressed during the final save counts)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=suffix + ".part", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if task is not None:
            check(task)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


atomic_path = _atomic  # the UI's PDF summary writes through the same temporary-then-rename path


def export_csv(path: str | os.PathLike[str], sheet: Sheet, task: TaskLike = NO_TASK) -> int:
    """Writes one sheet as CSV; returns the number of data rows. Raises ``Cancelled`` and leaves no file."""
    count = 0
    with _atomic(Path(path), ".csv", task) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([guard_formula(h) for h in sheet.headers])
            for row in sheet.rows(task):
                writer.writerow([_csv_cell(v) for v in row])
                count += 1
    return count


class _Workbook:
    """openpyxl's write-only workbook: rows stream to disk; bold headers; "=" text typed as text."""

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        self.wb = Workbook(write_only=True)
        self._bold = Font(bold=True)

    def sheet(self, name: str, headers: Sequence[str]) -> Any:
        ws = self.wb.create_sheet(name)
        ws.freeze_panes = "A2"
        cells = []
        for text in headers:
            cell = self._text(ws, text)
            cell.font = self._bold
            cells.append(cell)
        ws.append(cells)
        return ws

    @staticmethod
    def _text(ws: Any, value: str) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # typed as text: shown as typed, never evaluated as a formula
        return cell

    def append(self, ws: Any, row: Sequence[Any]) -> None:
        ws.append([None if v == "" else self._text(ws, v) if isinstance(v, str) and v.startswith("=") else v
                   for v in row])

    def save(self, path: Path) -> None:
        self.wb.save(path)

    def discard(self) -> None:
        """After a cancel: close the sheet streams and delete openpyxl's temporary files."""
        for ws in self.wb.worksheets:
            try:
                ws.close()
            except Exception:  # never started, or already closed
                pass
            writer = getattr(ws, "_writer", None)
            if writer is not None:
                try:
                    writer.cleanup()
                except (OSError, ValueError):
                    pass


def export_xlsx(path: str | os.PathLike[str], sheets: Sequence[Sheet], exporter: Exporter,
                task: TaskLike = NO_TASK) -> dict[str, int]:
    """Writes the sheets, then "Data dictionary", "Taxonomy" and "Filter"; returns data rows per sheet.

    Raises ``Cancelled`` and leaves no file (nor openpyxl's temporary files) when the task is cancelled.
    """
    counts: dict[str, int] = {}
    grand_total = sum(s.total for s in sheets)
    with _atomic(Path(path), ".xlsx", task) as tmp:
        book = _Workbook()
        try:
            offset = 0
            for sheet in sheets:
                ws = book.sheet(sheet.name, sheet.headers)
                n = 0
                for row in sheet.rows(task, offset, grand_total):
                    book.append(ws, row)
                    n += 1
                counts[sheet.name] = n
                offset += sheet.total
            for name, rows in (("Data dictionary", exporter.dictionary_rows(sheets)),
                               ("Taxonomy", exporter.taxonomy_rows()), ("Filter", exporter.about_rows())):
                ws = book.sheet(name, rows[0])
                for row in rows[1:]:
                    book.append(ws, row)
            check(task)
        except BaseException:
            book.discard()
            raise
        book.save(tmp)
    return counts
