"""Exports read back as a spreadsheet would: headers, rows, labels and codes, guards, cancel, size."""

from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from champions.coordinator import Cancelled, FactContext, ReportFilter, TaskState
from champions.coordinator.exports import Exporter, export_csv, export_xlsx, guard_formula
from champions.domain.samples import SampleGenerator

from . import dataset
from .builders import conv


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture()
def exporter(ref):
    recs = dataset.records()
    ctx = FactContext(ref, decile_of_district=dataset.DECILES, review_states={recs["c2"].id: "reviewed"})
    names = {"amina": "Amina Khan", "ben": "Ben Jones"}
    return Exporter(ref, ReportFilter(), ctx, champion_name=names.get)


def test_conversations_csv_one_row_each_with_labels_and_codes(tmp_path, exporter) -> None:
    recs = dataset.records()
    path = tmp_path / "conversations.csv"
    assert export_csv(path, exporter.conversations(list(recs.values()))) == 4
    rows = read_csv(path)
    assert [r["Record id"] for r in rows] == [recs[n].id for n in ("c1", "c2", "c3", "c4")]
    c1 = rows[0]
    assert c1["Champion"] == "Amina Khan" and c1["Champion id"] == "amina"
    assert c1["When (UTC)"] == "2026-03-02 10:00:00" and c1["ISO week"] == "2026-W10"
    assert (c1["Neighbourhood"], c1["Neighbourhood (code)"]) == ("Birkenhead", "birkenhead")
    assert (c1["Postcode district"], c1["Deprivation decile"], c1["People reached"]) == ("CH41", "1", "3")
    assert (c1["Age bands"], c1["Age bands (codes)"]) == ("16-24; 25-34", "16-24; 25-34")
    assert (c1["Languages"], c1["Languages (codes)"]) == ("Bengali; English", "bn; en")
    assert c1["Barriers heard"] == "worried about side effects or safety; distance or transport"
    assert c1["Barriers heard (codes)"] == "TF.SAFETY; PI.TRAVEL"
    assert (c1["Intention before"], c1["Intention after (code)"]) == ("No", "yes")
    assert (c1["Referral made"], c1["Review"]) == ("Yes", "Not reviewed")
    assert rows[1]["Review"] == "Reviewed"
    assert rows[2]["Deprivation decile"] == ""


def test_barriers_one_row_each_from_conversations_and_standalone(tmp_path, exporter) -> None:
    recs = dataset.records()
    path = tmp_path / "barriers.csv"
    assert export_csv(path, exporter.barriers(list(recs.values()))) == 5
    rows = read_csv(path)
    assert [(r["Logged as"], r["Barrier (code)"]) for r in rows] == [
        ("conversation", "TF.SAFETY"), ("conversation", "PI.TRAVEL"), ("conversation", "TF.SAFETY"),
        ("conversation", "SP.FAMILY"), ("standalone", "TF.SAFETY")]
    first, lone = rows[0], rows[4]
    assert first["Barrier row id"] == f"{recs['c1'].id}#1" and rows[1]["Barrier row id"] == f"{recs['c1'].id}#2"
    assert (first["Conversation id"], first["Barrier record id"]) == (recs["c1"].id, "")
    assert (first["BeSD domain"], first["5C driver"], first["Addressed"]) == ("Thinking and feeling", "confidence", "Yes")
    assert first["In their words"] == "My sister was poorly"
    assert (lone["Conversation id"], lone["Barrier record id"]) == ("", recs["b1"].id)
    assert lone["In their words"] == "Is it safe when you're pregnant?"
    assert lone["Champion"] == "Ben Jones"


def test_the_filter_drives_the_export(tmp_path, ref) -> None:
    recs = dataset.records()
    ex = Exporter(ref, ReportFilter.make(barrier_codes=["TF.SAFETY"]), FactContext(ref))
    path = tmp_path / "b.csv"
    assert export_csv(path, ex.barriers(list(recs.values()))) == 3
    assert {r["Barrier (code)"] for r in read_csv(path)} == {"TF.SAFETY"}
    assert export_csv(tmp_path / "c.csv", ex.conversations(list(recs.values()))) == 2
    assert export_csv(tmp_path / "o.csv", ex.outreach(list(recs.values()))) == 0


def test_outreach_and_assets(tmp_path, ref, exporter) -> None:
    recs = dataset.records()
    assert export_csv(tmp_path / "o.csv", exporter.outreach(list(recs.values()))) == 3
    a1 = read_csv(tmp_path / "o.csv")[0]
    assert (a1["Kind of activity"], a1["Kind of activity (code)"], a1["How long (minutes)"], a1["Hours"]) == ("Stall", "stall", "90", "1.5")
    gen = SampleGenerator(seed=1, reference=ref)
    assets = [gen.asset(i) for i in range(6)]
    assert export_csv(tmp_path / "a.csv", exporter.assets(assets)) == 6
    row = read_csv(tmp_path / "a.csv")[0]
    assert row["Asset id"] == assets[0].id
    assert (row["Service name"], row["Organisation"], row["Contact phone"]) == (
        assets[0].name, assets[0].organization.name, "0151 000 0000")
    only = Exporter(ref, ReportFilter.make(neighbourhoods=["wallasey"]))
    assert export_csv(tmp_path / "a2.csv", only.assets(assets)) == 1


def test_csv_guards_against_formula_injection(tmp_path, ref) -> None:
    bad = conv("2026-03-02T10:00", notes="=HYPERLINK(\"http://evil\",\"click\")",
               barriers=[("TF.SAFETY", "+44 said no", "no"), ("TF.TRUST", "@everyone lies", "no"),
                         ("PI.COST", "-5 quid a bus", "no")])
    ex = Exporter(ref)
    export_csv(tmp_path / "c.csv", ex.conversations([bad]))
    export_csv(tmp_path / "b.csv", ex.barriers([bad]))
    assert read_csv(tmp_path / "c.csv")[0]["Notes"] == "'=HYPERLINK(\"http://evil\",\"click\")"
    assert [r["In their words"] for r in read_csv(tmp_path / "b.csv")] == ["'+44 said no", "'@everyone lies", "'-5 quid a bus"]
    assert guard_formula("fine") == "fine" and guard_formula("\t=1") == "'\t=1"


def test_xlsx_sheets_data_dictionary_and_taxonomy(tmp_path, exporter) -> None:
    recs = list(dataset.records().values())
    sheets = [exporter.conversations(recs), exporter.barriers(recs), exporter.outreach(recs), exporter.assets(recs)]
    path = tmp_path / "export.xlsx"
    assert export_xlsx(path, sheets, exporter) == {"Conversations": 4, "Barriers": 5, "Outreach": 3, "Assets": 0}
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == ["Conversations", "Barriers", "Outreach", "Assets", "Data dictionary", "Taxonomy", "Filter"]
    conversations = list(wb["Conversations"].values)
    assert conversations[0] == tuple(exporter.conversation_columns()[i].header for i in range(len(conversations[0])))
    assert len(conversations) == 5
    first = dict(zip(conversations[0], conversations[1]))
    assert first["When (UTC)"] == datetime(2026, 3, 2, 10, 0)
    assert (first["People reached"], first["Neighbourhood"], first["Deprivation decile"]) == (3, "Birkenhead", 1)
    dictionary = list(wb["Data dictionary"].values)
    assert dictionary[0] == ("Sheet", "Column", "Meaning", "Source list")
    described = {(row[0], row[1]) for row in dictionary[1:]}
    for sheet in ("Conversations", "Barriers", "Outreach", "Assets"):
        headers = next(wb[sheet].values)
        assert {(sheet, h) for h in headers} <= described
    hood = [row for row in dictionary if row[:2] == ("Conversations", "Neighbourhood")][0]
    assert hood[2] == "Where it happened." and hood[3].startswith("neighbourhood list (")
    taxonomy = list(wb["Taxonomy"].values)
    assert taxonomy[0] == ("BeSD domain (code)", "BeSD domain", "Barrier (code)", "Barrier", "5C driver", "Retired", "Source")
    assert len(taxonomy) == 1 + 23
    assert taxonomy[1][:5] == ("thinking_feeling", "Thinking and feeling", "TF.SAFETY", "worried about side effects or safety", "confidence")
    assert ("social_processes", "Social processes", "SP.OTHERS", "no sense of protecting others", "collective_responsibility") in [r[:5] for r in taxonomy]
    assert list(wb["Filter"].values)[1][0] == "Exported"


def test_xlsx_keeps_formula_like_text_as_text(tmp_path, ref) -> None:
    bad = conv("2026-03-02T10:00", notes="=1+1")
    ex = Exporter(ref)
    export_xlsx(tmp_path / "x.xlsx", [ex.conversations([bad])], ex)
    ws = load_workbook(tmp_path / "x.xlsx")["Conversations"]
    notes = [c for c in ws[2] if c.value == "=1+1"][0]
    assert notes.data_type == "s"


def many_records(ref, n: int) -> list:
    gen = SampleGenerator(seed=3, reference=ref, now=datetime(2026, 3, 20, tzinfo=timezone.utc))
    base = list(gen.conversations(min(n, 2000)))
    return [base[i % len(base)] for i in range(n)]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_cancel_midway_leaves_no_file(tmp_path, ref, kind) -> None:
    records = many_records(ref, 3000)
    seen: list[tuple[int, int]] = []

    def on_progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 1000:
            task.cancel()

    task = TaskState(on_progress)
    ex = Exporter(ref)
    openpyxl_temp_files = list(ALL_TEMP_FILES)
    path = tmp_path / f"out.{kind}"
    with pytest.raises(Cancelled):
        if kind == "csv":
            export_csv(path, ex.conversations(records), task)
        else:
            export_xlsx(path, [ex.conversations(records), ex.barriers(records)], ex, task)
    assert list(tmp_path.iterdir()) == []
    assert ALL_TEMP_FILES == openpyxl_temp_files
    assert seen[0] == (0, 3000 if kind == "csv" else 6000)
    assert 1000 <= seen[-1][0] < 1400


def test_a_cancelled_export_leaves_the_previous_file_alone(tmp_path, ref) -> None:
    path = tmp_path / "out.csv"
    path.write_text("yesterday's export")
    task = TaskState()
    task.cancel()
    with pytest.raises(Cancelled):
        export_csv(path, Exporter(ref).conversations(many_records(ref, 10)), task)
    assert path.read_text() == "yesterday's export"
    assert list(tmp_path.iterdir()) == [path]


def test_progress_reaches_the_total(tmp_path, ref) -> None:
    seen: list[tuple[int, int]] = []
    export_csv(tmp_path / "c.csv", Exporter(ref).conversations(many_records(ref, 450)), TaskState(lambda d, t: seen.append((d, t))))
    assert seen == [(0, 450), (200, 450), (400, 450), (450, 450)]


def test_50000_rows_export_completes(tmp_path, ref) -> None:
    records = many_records(ref, 50_000)
    path = tmp_path / "big.csv"
    assert export_csv(path, Exporter(ref).conversations(records)) == 50_000
    with open(path, encoding="utf-8-sig", newline="") as handle:
        assert sum(1 for _ in csv.reader(handle)) == 50_001


def test_deleted_records_stay_out_of_an_unfiltered_export_unless_asked_for(tmp_path, ref) -> None:
    kept, gone = conv("2026-03-02T10:00"), conv("2026-03-03T10:00", deleted=True)
    assert export_csv(tmp_path / "a.csv", Exporter(ref).conversations([kept, gone])) == 1
    assert export_csv(tmp_path / "b.csv", Exporter(ref, ReportFilter(include_deleted=True)).conversations([kept, gone])) == 2
    assert export_csv(tmp_path / "c.csv", Exporter(ref, ReportFilter.make(champions=["amina"])).conversations([kept, gone])) == 1
