"""Open Referral UK: the examples import, exports validate against the UK schemas, round trips, no duplicates."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest

from champions.coordinator.openreferral import (
    EXTRA_COLUMNS,
    TABLES,
    content,
    export_package,
    import_package,
    plan_import,
    read_package,
)
from champions.domain import AssetContact, AssetLocation, AssetOrganization, CommunityAsset
from champions.domain.samples import SampleGenerator

from .conftest import DATA

ORUK = DATA / "oruk"
EXAMPLES = ORUK / "examples"


def sample_assets(ref) -> list[CommunityAsset]:
    gen = SampleGenerator(seed=5, reference=ref)
    assets = [gen.asset(i) for i in range(6)]
    assets[1] = assets[1].model_copy(update={
        "status": "proposed", "taxonomy_terms": ["women's health", "drop-in"],
        "location": AssetLocation(id=None, name="St Mary's Hall", address_1="12 Church Road", city="Wallasey",
                                  postcode="CH44 5XY", latitude=53.4221, longitude=-3.0523),
        "contact": AssetContact(name="Front desk", phone="0151 111 2222", email="hello@example.org"),
        "organization": AssetOrganization(name="St Mary's", description="Parish hall", url="https://example.org",
                                          email="office@example.org"),
    })
    assets.append(CommunityAsset(name="Bare listing"))  # no organisation, place, contact or neighbourhood
    return assets


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_table_and_column_names_are_the_uk_profiles(ref) -> None:
    package = json.loads((ORUK / "datapackage.json").read_text(encoding="utf-8"))
    official = {r["name"]: (r["path"], tuple(f["name"] for f in r["schema"]["fields"])) for r in package["resources"]}
    for table, (path, columns) in TABLES.items():
        assert official[table] == (path, columns), table


def test_the_examples_import(ref) -> None:
    read = read_package(EXAMPLES, ref)
    assert read.problems == []
    [asset] = read.assets
    assert asset.id == "ac148810-d857-441c-9679-408f346de14b"
    assert content(asset) == {
        "name": "Community Counselling",
        "description": "Counselling Services provided by trained professionals. Suitable for people with mental health "
                       "conditions such as anxiety, depression, or eating disorders as well as people experiencing "
                       "difficult life events and circumstances.",
        "organization": {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "Example Organization Inc.",
                         "description": "Example Org is a non-profit organization dedicated to providing services to "
                                        "qualified beneficiaries",
                         "url": "http://example.com", "email": "email@example.com"},
        "location": {"id": "3a19ff88-4620-4d17-9830-ac1d859eb5d5", "name": "MyCity Civic Center",
                     "address_1": "1-30 Main Street", "city": "MyCity", "postcode": "ABC 1234",
                     "latitude": 100.0, "longitude": 101.0},
        "contact": {"name": "Ann Persona", "phone": "+44 1234 234567", "email": "email@example.com"},
        "opening_times": "The service is available from 10 am to 6pm weekdays. The service is not available on "
                         "public holidays.",
        "languages": [], "taxonomy_terms": [], "neighbourhood": None, "status": "active",
    }


def test_the_examples_round_trip(tmp_path, ref) -> None:
    first = read_package(EXAMPLES, ref).assets
    export_package(tmp_path / "out", first, ref)
    again = read_package(tmp_path / "out", ref)
    assert again.problems == []
    assert [content(a) for a in again.assets] == [content(a) for a in first]
    assert [a.id for a in again.assets] == [a.id for a in first]


def rows_as_json(path: Path, schema: dict, types: dict[str, str]) -> list[dict]:
    """A CSV row as the JSON object it stands for: numbers are numbers; an empty cell is
    absent, except in a required column, where it is the empty text ""."""
    required = set(schema.get("required", []))
    with open(path, encoding="utf-8", newline="") as handle:
        out = []
        for row in csv.DictReader(handle):
            item = {}
            for name, value in row.items():
                kind = types.get(name, "string")
                if value == "" and name not in required:
                    continue
                item[name] = float(value) if kind == "number" else value
            out.append(item)
        return out


def test_an_export_validates_against_the_uk_json_schemas(tmp_path, ref) -> None:
    counts = export_package(tmp_path, sample_assets(ref), ref)
    assert counts["services.csv"] == 7
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    checked = 0
    for resource in package["resources"]:
        table = resource["name"]
        schema = json.loads((ORUK / "schema" / f"{table}.json").read_text(encoding="utf-8"))
        validator_class = jsonschema.validators.validator_for(schema)
        validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
        types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        with open(tmp_path / resource["path"], encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert tuple(header) == TABLES[table][1] + EXTRA_COLUMNS.get(table, ())
        for row in rows_as_json(tmp_path / resource["path"], schema, types):
            errors = [e.message for e in validator.iter_errors(row)]
            assert errors == [], (table, row)
            checked += 1
        assert set(schema.get("required", [])) <= set(header)
    assert checked > 40
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["datapackage.json", *counts])


def test_the_schemas_would_catch_a_bad_row(ref) -> None:
    """Guard for the test above: a service row with a status outside the list fails."""
    schema = json.loads((ORUK / "schema" / "service.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert [e.message for e in validator.iter_errors({"id": "x", "name": "n", "status": "proposed"})] == [
        "'proposed' is not one of ['active', 'inactive', 'defunct', 'temporarily closed']"]


def test_round_trip_into_a_fresh_store_gives_identical_assets(tmp_path, ref, open_store) -> None:
    source = open_store("source")
    source.assets.save_many(sample_assets(ref))
    export_package(tmp_path / "pkg", source.assets.query(), source.reference)
    fresh = open_store("fresh")
    report = import_package(tmp_path / "pkg", fresh)
    assert (report.created, report.updated, report.unchanged, report.problems) == (7, 0, 0, [])
    original = {a.id: content(a) for a in source.assets.query()}
    imported = {a.id: content(a) for a in fresh.assets.query()}
    assert imported == original
    proposed = [a for a in fresh.assets.query() if a.status == "proposed"]
    assert [a.taxonomy_terms for a in proposed] == [["women's health", "drop-in"]]


def test_importing_twice_never_duplicates_and_an_edited_row_updates(tmp_path, ref, open_store) -> None:
    pkg = tmp_path / "pkg"
    export_package(pkg, sample_assets(ref), ref)
    store = open_store()
    assert import_package(pkg, store).summary() == "7 added, 0 updated, 0 unchanged."
    assert import_package(pkg, store).summary() == "0 added, 0 updated, 7 unchanged."
    assert store.assets.count() == 7
    services = (pkg / "services.csv").read_text(encoding="utf-8")
    target = sample_assets(ref)[2]
    (pkg / "services.csv").write_text(services.replace(target.name, "GP registration help desk (moved)"), encoding="utf-8")
    report = import_package(pkg, store)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 6)
    assert store.assets.count() == 7
    stored = store.assets.get(target.id)
    assert stored.name == "GP registration help desk (moved)"
    assert stored.rev == 2  # an edit of the same record, queued for sync
    assert stored.organization == target.organization


def test_a_deleted_asset_in_the_file_comes_back(tmp_path, ref, open_store) -> None:
    store = open_store()
    assets = sample_assets(ref)
    store.assets.save_many(assets)
    export_package(tmp_path, assets, ref)
    store.assets.delete(assets[0].id)
    report = import_package(tmp_path, store)
    assert (report.created, report.updated) == (0, 1)
    assert store.assets.get(assets[0].id).deleted is False


def test_bad_rows_are_reported_by_file_and_line_and_the_rest_import(tmp_path, ref, open_store) -> None:
    pkg = tmp_path / "bad"
    write(pkg, "services.csv",
          "id,organization_id,name,description,status\n"
          "s1,o1,Walk-in clinic,\"Two\nlines\",active\n"
          "s2,o1,,No name here,active\n"
          "s3,o1,Food bank,Parcels,open\n"
          "s4,o-missing,Men's shed,Company,active\n"
          "s1,o1,Again,Same id,active\n"
          f"s5,o1,{'x' * 201},Too long,active\n")
    write(pkg, "organizations.csv", "id,name,description\no1,Wirral Health,NHS\n")
    write(pkg, "locations.csv", "id,location_type,name,latitude,longitude\nl1,physical,Clinic,north,-3.05\n")
    write(pkg, "service_at_location.csv", "id,service_id,location_id\nsl1,s1,l1\n")
    write(pkg, "address.csv", "id,location_id,address_1,city,postal_code\na1,l1,1 Market St,Birkenhead,ch41 5ab\n")
    write(pkg, "languages.csv", "id,service_id,phone_id,name,code\nla1,s1,,Urdu,ur\nla2,s1,,,xx\n")
    store = open_store()
    report = import_package(pkg, store)
    assert [str(p) for p in report.problems] == [
        "services.csv, line 7: The id s1 is also on line 2; this row was skipped.",
        "locations.csv, line 2: The latitude “north” is not a number, so it was left blank.",
        "languages.csv, line 3: The language “xx” is not on the languages list, so it was left out. Ask your coordinator to add it.",
        "services.csv, line 4: The service has no name, so it was skipped.",
        "services.csv, line 5: The status “open” is not one of active, inactive, defunct or temporarily closed, so the service was skipped.",
        "services.csv, line 6: The organisation o-missing is not in organizations.csv; only its id was kept.",
        "services.csv, line 8: Service name: Service name is too long: keep it under 200 characters. The service was skipped.",
    ]
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    clinic = store.assets.get("s1")
    assert (clinic.description, clinic.location.latitude, clinic.location.longitude) == ("Two\nlines", None, -3.05)
    assert (clinic.location.postcode, clinic.neighbourhood, clinic.languages) == ("CH41 5AB", "birkenhead", ["ur"])
    assert store.assets.get("s4").organization == AssetOrganization(id="o-missing")


def test_a_folder_without_services_imports_nothing_and_says_why(tmp_path, open_store) -> None:
    report = import_package(tmp_path, open_store())
    assert [str(p) for p in report.problems] == [
        "services.csv: There is no services.csv in this folder, so there is nothing to import."]
    assert report.created == 0


def test_a_file_that_is_not_utf8_is_reported(tmp_path, ref) -> None:
    (tmp_path / "services.csv").write_bytes("id,name,status\ns1,Caf\xe9,active\n".encode("latin-1"))
    assert [str(p) for p in read_package(tmp_path, ref).problems] == [
        "services.csv: The file is not UTF-8 text. Save it as “CSV UTF-8” and import again."]


def test_plan_import_matches_by_id_and_keeps_the_envelope(ref) -> None:
    old = CommunityAsset(name="Men's shed", author_id="coordinator-1", rev=3)
    same = CommunityAsset(id=old.id, name="Men's shed")
    changed = CommunityAsset(id=old.id, name="Men's shed", opening_times="Tuesdays")
    new = CommunityAsset(name="Food bank")
    assert plan_import([same], {old.id: old}).unchanged == [old.id]
    plan = plan_import([changed, new], {old.id: old})
    assert [a.id for a in plan.created] == [new.id]
    [updated] = plan.updated
    assert (updated.opening_times, updated.author_id, updated.rev) == ("Tuesdays", "coordinator-1", 3)


def test_export_replaces_an_older_export_in_the_same_folder(tmp_path, ref) -> None:
    export_package(tmp_path, sample_assets(ref), ref)
    assert (tmp_path / "phones.csv").exists()
    export_package(tmp_path, [CommunityAsset(name="Bare listing")], ref)
    assert not (tmp_path / "phones.csv").exists()
    assert len(read_package(tmp_path, ref).assets) == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_deleted_assets_are_not_exported(tmp_path, ref) -> None:
    assets = sample_assets(ref)
    assets[0] = assets[0].model_copy(update={"deleted": True})
    assert export_package(tmp_path, assets, ref)["services.csv"] == 6
    assert assets[0].id not in {a.id for a in read_package(tmp_path, ref).assets}


@pytest.mark.parametrize("name", ["schedules.csv", "addresses.csv"])
def test_the_other_spellings_of_table_files_are_read(tmp_path, ref, name) -> None:
    for f in EXAMPLES.iterdir():
        if f.name not in ("schedule.csv", "address.csv"):
            (tmp_path / f.name).write_bytes(f.read_bytes())
    [asset] = read_package(tmp_path, ref).assets
    if name == "schedules.csv":
        assert asset.opening_times.startswith("The service is available")
    else:
        assert asset.location.address_1 == "1-30 Main Street"
