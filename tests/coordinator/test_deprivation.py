"""Deprivation: a small generated postcode file in the coordinator's format, into a real store, onto the reports."""

from __future__ import annotations

import random
from pathlib import Path

from champions.coordinator import FactContext, ReportFilter, build_facts
from champions.coordinator.dashboard import build_dashboard
from champions.coordinator.deprivation import (
    DistrictDecile,
    decile_lookup,
    district_deciles,
    district_deciles_from_counts,
    import_lookup,
    last_import,
    read_lookup,
)
from champions.coordinator.tasks import TaskState

from .builders import conv

UNITS = "ABDEFGHJLNPQRSTUWXYZ"


def generated_postcodes(district: str, deciles: dict[int, int], seed: int) -> list[tuple[str, str, int]]:
    """``deciles``: decile -> how many postcodes; each postcode gets a made-up LSOA code."""
    rng = random.Random(seed)
    out = []
    used: set[str] = set()
    assert sum(deciles.values()) < 1000, "a district has 3,600 units here; stay well below"
    for decile, count in deciles.items():
        for _ in range(count):
            while True:
                code = f"{district} {rng.randint(1, 9)}{rng.choice(UNITS)}{rng.choice(UNITS)}"
                if code not in used:
                    used.add(code)
                    break
            out.append((code, f"E0100{rng.randint(1000, 9999)}", decile))
    return out


def write_lookup(path: Path, rows: list[tuple[str, str, int]], extra_lines: str = "") -> Path:
    text = "postcode,lsoa21cd,imd_decile\n" + "".join(f"{p},{l},{d}\n" for p, l, d in rows) + extra_lines
    path.write_text(text, encoding="utf-8")
    return path


def wirral_rows() -> list[tuple[str, str, int]]:
    return (generated_postcodes("CH41", {1: 30, 2: 5, 4: 3}, 1)   # mostly decile 1
            + generated_postcodes("CH42", {2: 4, 5: 4, 7: 1}, 2)  # a tie: the more deprived wins
            + generated_postcodes("CH44", {6: 10}, 3)
            + generated_postcodes("CH45", {9: 2, 1: 1}, 4))


def test_a_generated_file_imports_and_districts_get_their_modal_decile(tmp_path, open_store) -> None:
    store = open_store()
    path = write_lookup(tmp_path / "wirral_imd.csv", wirral_rows())
    report = import_lookup(path, store)
    assert report.problems == []
    assert report.summary() == "60 postcodes imported, covering 4 postcode districts."
    assert district_deciles(store) == {
        "CH41": DistrictDecile("CH41", 1, 38, 0.9211),
        "CH42": DistrictDecile("CH42", 2, 9, 0.4444),
        "CH44": DistrictDecile("CH44", 6, 10, 0.0),
        "CH45": DistrictDecile("CH45", 9, 3, 0.3333),
    }
    assert decile_lookup(store) == {"CH41": 1, "CH42": 2, "CH44": 6, "CH45": 9}
    assert last_import(store)["source"] == "wirral_imd.csv"
    assert last_import(store)["rows"] == 60


def test_bad_lines_are_reported_by_number_and_the_rest_imported(tmp_path, open_store) -> None:
    good = generated_postcodes("CH41", {1: 3}, 9)
    bad = ("CH41,E01007001,1\n"                 # line 5
           "CH41 5AB,X123,2\n"                  # line 6
           "CH41 6AB,E01007002,11\n"            # line 7
           "CH41 7AB,E01007003,two\n"           # line 8
           f"{good[0][0]},{good[0][1]},4\n"     # line 9: the same postcode, another decile
           "CH41 8AB,E01007004\n"               # line 10
           "\n"                                 # line 11: blank lines are fine
           "ch41 9ab,e01007005,3\n")            # line 12: lower case is fine
    path = write_lookup(tmp_path / "imd.csv", good, bad)
    store = open_store()
    report = import_lookup(path, store)
    assert [str(p) for p in report.problems] == [
        "Line 5: “CH41” is not a full postcode, for example CH41 5AB.",
        "Line 6: “X123” is not an LSOA 2021 code, for example E01007123.",
        "Line 7: The decile “11” must be a whole number from 1 (most deprived) to 10.",
        "Line 8: The decile “two” must be a whole number from 1 (most deprived) to 10.",
        f"Line 9: {good[0][0]} is also on line 2 with decile 1; the first was kept.",
        "Line 10: This line has 2 values but the first line names 3 columns.",
    ]
    assert report.imported == 4
    assert report.summary() == "4 postcodes imported, covering 1 postcode districts. 6 lines could not be used (see the list)."
    assert store._conn.execute("SELECT area, lsoa21cd, imd_decile FROM deprivation_area WHERE area = 'CH41 9AB'").fetchone() == (
        "CH41 9AB", "E01007005", 3)


def test_a_wrong_file_imports_nothing_and_keeps_the_previous_data(tmp_path, open_store) -> None:
    store = open_store()
    import_lookup(write_lookup(tmp_path / "good.csv", wirral_rows()), store)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("pcd,lsoa,decile\nCH41 5AB,E01007001,1\n", encoding="utf-8")
    report = import_lookup(wrong, store)
    assert [str(p) for p in report.problems] == [
        "Line 1: The first line must name the columns postcode, lsoa21cd, imd_decile (or sector, imd_decile "
        "for a sector summary). This file has: pcd, lsoa, decile."]
    assert report.summary() == "Nothing was imported; the deprivation data you had before is unchanged."
    assert decile_lookup(store)["CH41"] == 1


def test_a_new_file_replaces_the_old_one(tmp_path, open_store) -> None:
    store = open_store()
    import_lookup(write_lookup(tmp_path / "a.csv", wirral_rows()), store)
    import_lookup(write_lookup(tmp_path / "b.csv", generated_postcodes("CH46", {3: 2}, 5)), store)
    assert decile_lookup(store) == {"CH46": 3}


def test_a_sector_summary_file(tmp_path, open_store) -> None:
    path = tmp_path / "sectors.csv"
    path.write_text("sector,imd_decile\nCH41 1,1\nCH41 2,1\nCH41 3,3\nCH44 5,6\nCH44 5AB,2\n", encoding="utf-8")
    store = open_store()
    report = import_lookup(path, store)
    assert [str(p) for p in report.problems] == ["Line 6: “CH44 5AB” is not a postcode sector, for example CH41 5."]
    assert report.summary() == "4 postcode sectors imported, covering 2 postcode districts. 1 line could not be used (see the list)."
    assert decile_lookup(store) == {"CH41": 1, "CH44": 6}


def test_a_file_that_is_not_utf8(tmp_path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("postcode,lsoa21cd,imd_decile\nCH41 5AB,E01007001,1 \xe9\n".encode("latin-1"))
    assert [str(p) for p in read_lookup(path).problems] == [
        "The file is not UTF-8 text. Save it as “CSV UTF-8” and import again."]


def test_progress_is_reported_while_reading(tmp_path) -> None:
    seen: list[tuple[int, int]] = []
    rows = []
    for i in range(12_000):  # 3,000 postcodes in each of four districts
        unit = i % 3000
        rows.append((f"CH{41 + i // 3000} {1 + unit // 400}{UNITS[unit // 20 % 20]}{UNITS[unit % 20]}", "E01007001", 1))
    path = write_lookup(tmp_path / "imd.csv", rows)
    read = read_lookup(path, TaskState(lambda done, total: seen.append((done, total))))
    assert (len(read.rows), read.problems) == (12_000, [])
    assert len(seen) == 4  # rows 0, 5000, 10000, then the end
    assert seen[-1][0] == seen[-1][1] == path.stat().st_size
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_ties_go_to_the_more_deprived_decile() -> None:
    found = district_deciles_from_counts([("CH42", 5, 4), ("CH42", 2, 4), ("CH42", 7, 1)])
    assert found["CH42"].decile == 2


def test_conversations_are_reported_by_decile_and_core20(tmp_path, open_store, ref) -> None:
    store = open_store()
    import_lookup(write_lookup(tmp_path / "imd.csv", wirral_rows()), store)
    records = [
        conv("2026-03-02T10:00", district="CH41", people=3),
        conv("2026-03-03T10:00", district="CH42", people=2),
        conv("2026-03-04T10:00", hood="wallasey", district="CH44", people=5),
        conv("2026-03-05T10:00", hood="wallasey", district="CH45", people=1),
        conv("2026-03-06T10:00", people=4),
    ]
    facts = build_facts(records, FactContext(ref, decile_of_district=decile_lookup(store)))
    table = build_dashboard(facts, ReportFilter(), ref).by_deprivation_decile
    assert [(row[0], row[2], row[3]) for row in table.rows if row[2]] == [(1, 1, 3), (2, 1, 2), (6, 1, 5), (9, 1, 1), ("", 1, 4)]
    core20 = build_dashboard(facts, ReportFilter(core20_only=True), ref)
    assert (core20.headline.conversations, core20.headline.people_reached) == (2, 5)
