"""The desk over a real store: counts agree with the store's own SQL, exports and imports go through it."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook

from champions.coordinator import ReportFilter, TaskState
from champions.coordinator.deprivation import import_lookup
from champions.coordinator.desk import Desk, StoreDesk, StoredRecords
from champions.coordinator.openreferral import import_package
from champions.domain.samples import SampleGenerator
from champions.store import Query

NOW = datetime(2026, 3, 20, tzinfo=timezone.utc)


@pytest.fixture
def store(open_store, ref):
    store = open_store()
    for n, champion in enumerate(("amina", "ben")):
        gen = SampleGenerator(seed=n, reference=ref, now=NOW, author_id=champion, org_id="org-1")
        store.conversations.save_many(gen.conversations(300))
        store.barriers.save_many(gen.barrier() for _ in range(40))
        store.activities.save_many(gen.activities(30))
    store.assets.save_many(SampleGenerator(seed=9, reference=ref).asset(i) for i in range(6))
    gone = store.conversations.query(Query(limit=1))[0]
    store.conversations.delete(gone.id)
    return store


def test_counts_agree_with_the_stores_queries(store) -> None:
    progress: list[tuple[int, int]] = []
    desk = Desk.load(store, champion_names={"amina": "Amina Khan"}, task=TaskState(lambda d, t: progress.append((d, t))))
    assert progress[-1] == (5, 5)
    data = desk.dashboard(ReportFilter())
    assert data.headline.conversations == store.conversations.count() == 599
    assert data.headline.outreach_activities == store.activities.count() == 60
    for hood in data.by_neighbourhood.column("code"):
        row = data.by_neighbourhood.row_for(hood)
        assert row[2] == store.conversations.count(Query(neighbourhood=hood)), hood
    for champion in ("amina", "ben"):
        flt = ReportFilter.make(champions=[champion])
        assert desk.dashboard(flt).headline.conversations == store.conversations.count(Query(author_id=champion))
    for code in ("TF.SAFETY", "PI.BOOKING"):
        flt = ReportFilter.make(barrier_codes=[code])
        expected = store.conversations.count(Query(barrier_code=code)) + store.barriers.count(Query(barrier_code=code))
        assert len(desk.submissions(flt)) == expected, code
    domain = ReportFilter.make(barrier_domains=["social_processes"])
    assert len([f for f in desk.submissions(domain) if f.kind == "conversation"]) == store.conversations.count(
        Query(barrier_domain="social_processes"))


def test_exports_through_the_desk(tmp_path, store) -> None:
    desk = Desk.load(store, champion_names={"amina": "Amina Khan"})
    flt = ReportFilter.make(champions=["amina"])
    assert desk.export_csv(tmp_path / "c.csv", "conversations", flt) == store.conversations.count(Query(author_id="amina"))
    with open(tmp_path / "c.csv", encoding="utf-8-sig", newline="") as handle:
        assert {r["Champion"] for r in csv.DictReader(handle)} == {"Amina Khan"}
    counts = desk.export_xlsx(tmp_path / "all.xlsx", flt)
    assert counts["Assets"] == 6 and counts["Outreach"] == 30
    assert load_workbook(tmp_path / "all.xlsx", read_only=True).sheetnames[-3:] == ["Data dictionary", "Taxonomy", "Filter"]
    with pytest.raises(ValueError, match="unknown export table\\(s\\): people"):
        desk.export_csv(tmp_path / "x.csv", "people", flt)


def sheet_rows(path) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    book = load_workbook(path, read_only=True)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


@pytest.mark.parametrize("flt", [ReportFilter(), ReportFilter.make(champions=["ben"], barrier_domains=["practical_issues"])],
                         ids=["everything", "one champion, one domain"])
def test_the_store_desk_counts_and_exports_what_the_whole_desk_does(tmp_path, store, flt) -> None:
    """The Dashboard's StoreDesk keeps only columns and streams records for exports; it must agree with Desk."""
    names = {"amina": "Amina Khan"}
    whole, light = Desk.load(store, champion_names=names), StoreDesk.load(store, champion_names=names)
    assert light.dashboard(flt) == whole.dashboard(flt)
    assert light.describe(flt) == whole.describe(flt)
    assert light.export_xlsx(tmp_path / "light.xlsx", flt, store=store) == whole.export_xlsx(tmp_path / "whole.xlsx", flt)
    light_rows, whole_rows = sheet_rows(tmp_path / "light.xlsx"), sheet_rows(tmp_path / "whole.xlsx")
    assert light_rows.keys() == whole_rows.keys()
    for name in whole_rows:
        if name != "Filter":  # it says when the file was made
            assert light_rows[name] == whole_rows[name], name
    for table in ("conversations", "barriers", "outreach", "assets"):
        assert light.export_csv(tmp_path / f"l-{table}.csv", table, flt, store=store) == whole.export_csv(
            tmp_path / f"w-{table}.csv", table, flt)
        assert (tmp_path / f"l-{table}.csv").read_bytes() == (tmp_path / f"w-{table}.csv").read_bytes(), table


def test_stored_records_stream_every_live_record_in_the_stores_order(store) -> None:
    records = StoredRecords(store.conversations, store.barriers, chunk=7)
    expected = [*store.conversations.query(), *store.barriers.query()]
    assert len(records) == len(expected) == 599 + 80
    assert [r.id for r in records] == [r.id for r in expected]
    assert records[0].id == expected[0].id and records[-1].id == expected[-1].id and records[600].id == expected[600].id


def test_open_referral_out_of_one_store_and_into_another(tmp_path, store, open_store) -> None:
    Desk.load(store).export_open_referral(tmp_path / "oruk")
    other = open_store("other")
    assert import_package(tmp_path / "oruk", other).summary() == "6 added, 0 updated, 0 unchanged."
    assert sorted(a.name for a in Desk.load(other).assets) == sorted(a.name for a in store.assets.query())


def test_a_deprivation_import_shows_on_the_next_load(tmp_path, store) -> None:
    (tmp_path / "imd.csv").write_text("postcode,lsoa21cd,imd_decile\nCH41 1AA,E01007001,1\nCH41 2AB,E01007002,1\n"
                                      "CH44 5XY,E01007003,7\n", encoding="utf-8")
    assert Desk.load(store).dashboard(ReportFilter(core20_only=True)).headline.conversations == 0
    import_lookup(tmp_path / "imd.csv", store)
    desk = Desk.load(store)
    in_ch41 = sum(1 for c in store.conversations.query() if c.postcode_district == "CH41")  # by hand
    assert 0 < in_ch41 < store.conversations.count()
    assert desk.dashboard(ReportFilter(core20_only=True)).headline.conversations == in_ch41


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (Debian's libreoffice-calc-nogui) is not installed on this machine")
def test_libreoffice_reads_the_xlsx_rows_back(tmp_path, store) -> None:
    """A program no one here wrote opens the export; its CSV of each sheet matches ours."""
    desk = Desk.load(store)
    flt = ReportFilter.make(champions=["ben"])
    desk.export_xlsx(tmp_path / "export.xlsx", flt, tables=["barriers"])
    desk.export_csv(tmp_path / "ours.csv", "barriers", flt)
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1",
                    "--outdir", str(out), str(tmp_path / "export.xlsx")],
                   check=True, capture_output=True, timeout=180)
    with open(out / "export-Barriers.csv", encoding="utf-8", newline="") as handle:
        theirs = list(csv.reader(handle))
    with open(tmp_path / "ours.csv", encoding="utf-8-sig", newline="") as handle:
        ours = list(csv.reader(handle))
    assert theirs[0] == ours[0]
    assert len(theirs) == len(ours) > 10
    when = ours[0].index("When (UTC)")
    for mine, lo in zip(ours[1:], theirs[1:]):
        assert [c for i, c in enumerate(lo) if i != when] == [c for i, c in enumerate(mine) if i != when]
        assert lo[when].startswith(mine[when][:10])
