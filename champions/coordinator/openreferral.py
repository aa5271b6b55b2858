"""Community assets in and out as an Open Referral UK tabular data package (HSDS 3.0, UK profile).

A package is a folder: ``datapackage.json`` and one CSV per table, with the tables' and
columns' names from the UK profile's datapackage. The mapping:

- CommunityAsset (its id is the service id) -> ``services.csv`` (name, description, status,
  email = the public contact's email, last_modified);
- organization -> ``organizations.csv`` (website = url); location -> ``locations.csv`` with
  ``address.csv`` (address_1, city, postal_code) and ``service_at_location.csv``;
- contact name -> ``contacts.csv``, its phone -> ``phones.csv`` (UK phones hang off contacts);
- opening times (free text) -> ``schedule.csv`` ``description``;
- languages -> ``languages.csv``: the UK profile keeps only id, service_id and phone_id,
  which cannot say which language, so we add HSDS 3.0's own ``name`` and ``code`` columns
  (the JSON schemas allow extra fields; a reader that does not know them ignores them);
- categories, the neighbourhood and the "proposed" status (not in ORUK's status list,
  exported as "inactive") -> ``taxonomy_terms.csv`` terms in three Champions taxonomies
  (``taxonomies.csv``), linked to the service by ``attribute.csv``.

Ids that the asset lacks (an organisation or location without an id, contacts, phones,
schedules...) are derived from the asset's id with UUIDv5, so exporting twice gives the
same ids; an import recognises a derived organisation or location id and leaves it unset
again, so importing an export back changes nothing.

Import matches assets by service id and never duplicates: a new id adds an asset, a
known id with different content updates it, identical content is left alone. A bad row
is reported with its file, line and a plain reason; the other rows still import.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..domain import (
    AssetContact,
    AssetLocation,
    AssetOrganization,
    CommunityAsset,
    ReferenceLists,
    explain,
    stable_id,
    utcnow,
)
from ..domain.geography import normalise
from .tasks import NO_TASK, TaskLike, check

# Table -> (file name in the UK profile's datapackage, columns in its order).
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "organization": ("organizations.csv", ("id", "name", "description", "email", "website", "logo", "uri",
                                           "parent_organization_id")),
    "service": ("services.csv", ("id", "organization_id", "name", "description", "url", "email", "status", "fees",
                                 "accreditations", "minimum_age", "maximum_age", "assured_date", "assurer_email",
                                 "alert", "last_modified")),
    "location": ("locations.csv", ("id", "location_type", "name", "description", "latitude", "longitude",
                                   "external_identifier", "external_identifier_type")),
    "service_at_location": ("service_at_location.csv", ("id", "service_id", "location_id")),
    "address": ("address.csv", ("id", "location_id", "attention", "address_1", "city", "region", "state_province",
                                "postal_code", "country", "address_type")),
    "contact": ("contacts.csv", ("id", "service_id", "name", "title")),
    "phone": ("phones.csv", ("id", "contact_id", "number", "description")),
    "schedule": ("schedule.csv", ("id", "service_id", "service_at_location_id", "valid_from", "valid_to", "dtstart",
                                  "freq", "interval", "byday", "bymonthday", "description", "opens_at", "closes_at",
                                  "schedule_link", "attending_type", "notes")),
    "language": ("languages.csv", ("id", "service_id", "phone_id")),
    "taxonomy": ("taxonomies.csv", ("id", "name", "description", "uri", "version")),
    "taxonomy_term": ("taxonomy_terms.csv", ("id", "name", "description", "parent_id", "taxonomy", "taxonomy_id",
                                             "term_uri", "term")),
    "attribute": ("attribute.csv", ("id", "link_id", "taxonomy_term_id", "link_type")),
}
# HSDS 3.0 columns the UK profile dropped but we need (see the module docstring).
EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {"language": ("name", "code")}
# Other names the same tables go by (the UK examples ship both spellings of some).
ALIASES: dict[str, tuple[str, ...]] = {
    "organization": ("organization.csv",), "service": ("service.csv",), "location": ("location.csv",),
    "service_at_location": ("service_at_locations.csv",), "address": ("addresses.csv",),
    "contact": ("contact.csv",), "phone": ("phone.csv",), "schedule": ("schedules.csv",),
    "language": ("language.csv",), "taxonomy": ("taxonomy.csv",), "taxonomy_term": ("taxonomy_term.csv",),
    "attribute": ("attributes.csv",),
}
_TYPES = {"latitude": "number", "longitude": "number", "minimum_age": "number", "maximum_age": "number",
          "interval": "number", "assured_date": "date", "valid_from": "date", "valid_to": "date", "dtstart": "date",
          "last_modified": "datetime", "opens_at": "time", "closes_at": "time"}
_FOREIGN_KEYS = {
    "service": [("organization_id", "organization")],
    "service_at_location": [("service_id", "service"), ("location_id", "location")],
    "address": [("location_id", "location")],
    "contact": [("service_id", "service")],
    "phone": [("contact_id", "contact")],
    "schedule": [("service_id", "service")],
    "language": [("service_id", "service")],
    "taxonomy_term": [("taxonomy_id", "taxonomy")],
    "attribute": [("taxonomy_term_id", "taxonomy_term")],
}

TAXONOMY_CATEGORY = stable_id("champions-taxonomy", "category")
TAXONOMY_NEIGHBOURHOOD = stable_id("champions-taxonomy", "neighbourhood")
TAXONOMY_STATUS = stable_id("champions-taxonomy", "status")
_TAXONOMIES = {
    TAXONOMY_CATEGORY: ("Champions categories", "What kind of help a community asset offers."),
    TAXONOMY_NEIGHBOURHOOD: ("Champions neighbourhoods", "The coordinator's neighbourhood the asset serves (term = its code)."),
    TAXONOMY_STATUS: ("Champions status", "Statuses Open Referral UK has no word for (term = the status)."),
}
ORUK_STATUSES = {"active": "active", "inactive": "inactive", "defunct": "inactive", "temporarily closed": "inactive"}
CONTENT_FIELDS = ("name", "description", "organization", "location", "contact", "opening_times", "languages",
                  "taxonomy_terms", "neighbourhood", "status")


def content(asset: CommunityAsset) -> dict[str, Any]:
    """What an asset says, without its envelope (who saved it, when, which revision)."""
    return asset.model_dump(include=set(CONTENT_FIELDS))


# ---- export ---------------------------------------------------------------------------------

def _derived_org_id(service_id: str, name: str) -> str:
    return stable_id("champions-organization", name or service_id)


def _derived_location_id(service_id: str) -> str:
    return stable_id("champions-location", service_id)


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


@dataclass
class _Tables:
    rows: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows[table].setdefault(row["id"], row)


def package_tables(assets: Iterable[CommunityAsset], reference: ReferenceLists) -> dict[str, list[dict[str, Any]]]:
    """The rows of each table for these assets (deleted ones left out), keyed by column name."""
    t = _Tables()
    terms_used: set[str] = set()

    def term(taxonomy_id: str, code: str, name: str, description: str) -> str:
        term_id = stable_id("champions-term", taxonomy_id, code)
        t.add("taxonomy_term", {"id": term_id, "name": name, "description": description,
                                "taxonomy": _TAXONOMIES[taxonomy_id][0], "taxonomy_id": taxonomy_id, "term": code})
        terms_used.add(taxonomy_id)
        return term_id

    for asset in assets:
        if asset.deleted:
            continue
        sid, org, loc, contact = asset.id, asset.organization, asset.location, asset.contact
        org_id = org.id or _derived_org_id(sid, org.name)
        t.add("organization", {"id": org_id, "name": org.name, "description": org.description, "email": org.email,
                               "website": org.url})
        t.add("service", {"id": sid, "organization_id": org_id, "name": asset.name, "description": asset.description,
                          "email": contact.email, "status": "active" if asset.status == "active" else "inactive",
                          "last_modified": asset.updated_at.isoformat()})
        if any(v not in (None, "") for v in loc.model_dump().values()):
            loc_id = loc.id or _derived_location_id(sid)
            t.add("location", {"id": loc_id, "location_type": "physical", "name": loc.name,
                               "latitude": _number(loc.latitude), "longitude": _number(loc.longitude)})
            t.add("service_at_location", {"id": stable_id("champions-service-at-location", sid, loc_id),
                                          "service_id": sid, "location_id": loc_id})
            if loc.address_1 or loc.city or loc.postcode:
                t.add("address", {"id": stable_id("champions-address", loc_id), "location_id": loc_id,
                                  "address_1": loc.address_1, "city": loc.city, "postal_code": loc.postcode,
                                  "country": "GB", "address_type": "physical"})
        if contact.name or contact.phone:
            contact_id = stable_id("champions-contact", sid)
            t.add("contact", {"id": contact_id, "service_id": sid, "name": contact.name})
            if contact.phone:
                t.add("phone", {"id": stable_id("champions-phone", sid), "contact_id": contact_id, "number": contact.phone})
        if asset.opening_times:
            t.add("schedule", {"id": stable_id("champions-schedule", sid), "service_id": sid,
                               "description": asset.opening_times})
        for code in asset.languages:
            t.add("language", {"id": stable_id("champions-language", sid, code), "service_id": sid,
                               "name": reference.label("language", code), "code": code})
        links = [term(TAXONOMY_CATEGORY, name, name, name) for name in asset.taxonomy_terms]
        if asset.neighbourhood:
            label = reference.label("neighbourhood", asset.neighbourhood)
            links.append(term(TAXONOMY_NEIGHBOURHOOD, asset.neighbourhood, label, f"Neighbourhood: {label}"))
        if asset.status not in ("active", "inactive"):
            links.append(term(TAXONOMY_STATUS, asset.status, asset.status.capitalize(), f"Status: {asset.status}"))
        for term_id in links:
            t.add("attribute", {"id": stable_id("champions-attribute", sid, term_id), "link_id": sid,
                                "taxonomy_term_id": term_id, "link_type": "service"})
    for taxonomy_id in sorted(terms_used):
        name, description = _TAXONOMIES[taxonomy_id]
        t.add("taxonomy", {"id": taxonomy_id, "name": name, "description": description, "version": "1"})
    return {table: list(t.rows[table].values()) for table in TABLES}


def _columns(table: str) -> tuple[str, ...]:
    return TABLES[table][1] + EXTRA_COLUMNS.get(table, ())


def datapackage(tables: Iterable[str]) -> dict[str, Any]:
    resources = []
    for table in tables:
        path, _ = TABLES[table]
        schema: dict[str, Any] = {
            "primaryKey": "id",
            "fields": [{"name": c, "type": _TYPES.get(c, "string")} for c in _columns(table)],
        }
        keys = [(col, ref) for col, ref in _FOREIGN_KEYS.get(table, []) if ref in tables]
        if keys:
            schema["foreignKeys"] = [{"fields": col, "reference": {"resource": ref, "fields": "id"}} for col, ref in keys]
        resources.append({"name": table, "path": path, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "profile": "tabular-data-resource", "schema": schema})
    return {
        "name": "community-assets",
        "title": "Community assets exported from Champions",
        "profile": "tabular-data-package",
        "created": utcnow().isoformat(),
        "description": "Open Referral UK (HSDS 3.0 UK profile) tables; languages.csv also carries HSDS 3.0's name and code.",
        "resources": resources,
    }


def export_package(folder: str | os.PathLike[str], assets: Iterable[CommunityAsset], reference: ReferenceLists,
                   task: TaskLike = NO_TASK) -> dict[str, int]:
    """Writes ``datapackage.json`` and the non-empty tables into ``folder``; returns rows per file.

    Everything is written into a temporary folder first and moved in at the end, so a
    cancelled or failed export leaves the folder as it was.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    tables = package_tables(assets, reference)
    written = [name for name, rows in tables.items() if rows]
    counts: dict[str, int] = {}
    staging = Path(tempfile.mkdtemp(prefix=".oruk-", dir=target))
    try:
        for done, table in enumerate(written):
            check(task)
            task.progress(done, len(written))
            path, _ = TABLES[table]
            columns = _columns(table)
            with open(staging / path, "w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="raise")
                writer.writeheader()
                for row in tables[table]:
                    writer.writerow({c: row.get(c, "") for c in columns})
            counts[path] = len(tables[table])
        (staging / "datapackage.json").write_text(json.dumps(datapackage(written), indent=2), encoding="utf-8")
        check(task)
        for table in TABLES:  # a table this export has no rows for must not survive from an older export
            if table not in written:
                (target / TABLES[table][0]).unlink(missing_ok=True)
        for item in staging.iterdir():
            os.replace(item, target / item.name)
        task.progress(len(written), len(written))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return counts


# ---- import ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportProblem:
    file: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.reason}" if self.line else f"{self.file}: {self.reason}"


@dataclass
class PackageRead:
    assets: list[CommunityAsset]
    problems: list[ImportProblem]
    lines: dict[str, int] = field(default_factory=dict)  # asset id -> its line in services.csv


@dataclass(frozen=True)
class _Row:
    line: int
    values: dict[str, str]

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()


class _Reader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[ImportProblem] = []
        self.paths = self._declared_paths()

    def _declared_paths(self) -> dict[str, str]:
        declared: dict[str, str] = {}
        package = self.folder / "datapackage.json"
        if package.exists():
            try:
                for resource in json.loads(package.read_text(encoding="utf-8-sig")).get("resources", []):
                    if resource.get("name") in TABLES and isinstance(resource.get("path"), str):
                        declared[resource["name"]] = resource["path"]
            except (ValueError, AttributeError):
                self.problems.append(ImportProblem("datapackage.json", None,
                                                   "This is not a readable data package description; the CSV files were read by their usual names."))
        return declared

    def file_for(self, table: str) -> Path | None:
        names = ([self.paths[table]] if table in self.paths else []) + [TABLES[table][0], *ALIASES.get(table, ())]
        for name in names:
            if (self.folder / name).is_file():
                return self.folder / name
        return None

    def rows(self, table: str) -> list[_Row]:
        path = self.file_for(table)
        if path is None:
            return []
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                out: list[_Row] = []
                start = 2
                for values in reader:
                    out.append(_Row(start, values))
                    start = reader.line_num + 1
                if reader.fieldnames is None or "id" not in reader.fieldnames:
                    self.problems.append(ImportProblem(path.name, 1, "The first line must name the columns, including “id”."))
                    return []
                return out
        except UnicodeDecodeError:
            self.problems.append(ImportProblem(path.name, None, "The file is not UTF-8 text. Save it as “CSV UTF-8” and import again."))
        except csv.Error as exc:
            self.problems.append(ImportProblem(path.name, None, f"The file is not valid CSV ({exc})."))
        return []

    def by_id(self, table: str) -> dict[str, _Row]:
        found: dict[str, _Row] = {}
        name = self.file_name(table)
        for row in self.rows(table):
            row_id = row.get("id")
            if not row_id:
                self.problems.append(ImportProblem(name, row.line, "This row has no id, so it was skipped."))
            elif row_id in found:
                self.problems.append(ImportProblem(name, row.line, f"The id {row_id} is also on line {found[row_id].line}; this row was skipped."))
            else:
                found[row_id] = row
        return found

    def file_name(self, table: str) -> str:
        path = self.file_for(table)
        return path.name if path else TABLES[table][0]


def _float(reader: _Reader, table: str, row: _Row, name: str) -> float | None:
    text = row.get(name)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        reader.problems.append(ImportProblem(reader.file_name(table), row.line,
                                             f"The {name} “{text}” is not a number, so it was left blank."))
        return None
    return value if value == value else None


def _grouped(rows: Iterable[_Row], key: str) -> dict[str, list[_Row]]:
    out: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        if row.get(key):
            out[row.get(key)].append(row)
    return out


def _schedule_text(row: _Row) -> str:
    """The schedule's description; else what its recurrence fields say, in short."""
    if row.get("description"):
        return row.get("description")
    days = row.get("byday")
    hours = "-".join(t[:5] for t in (row.get("opens_at"), row.get("closes_at")) if t)
    return " ".join(p for p in (days, hours) if p)


def read_package(folder: str | os.PathLike[str], reference: ReferenceLists) -> PackageRead:
    """The assets a package describes, and every problem found, by file and line."""
    path = Path(folder)
    if path.is_file():
        path = path.parent
    r = _Reader(path)
    services_file = r.file_for("service")
    if services_file is None:
        r.problems.append(ImportProblem("services.csv", None, "There is no services.csv in this folder, so there is nothing to import."))
        return PackageRead([], r.problems)
    services = r.by_id("service")
    organizations = r.by_id("organization")
    locations = r.by_id("location")
    addresses = _grouped(r.by_id("address").values(), "location_id")
    at_location = _grouped(r.by_id("service_at_location").values(), "service_id")
    contacts = _grouped(r.by_id("contact").values(), "service_id")
    phones = _grouped(r.by_id("phone").values(), "contact_id")
    schedules = _grouped(r.by_id("schedule").values(), "service_id")
    languages = _grouped(r.by_id("language").values(), "service_id")
    terms = r.by_id("taxonomy_term")
    attributes = _grouped(r.by_id("attribute").values(), "link_id")
    language_codes = {item.label.casefold(): item.code for item in reference.items("language", include_retired=True)}
    hood_codes = {item.code for item in reference.items("neighbourhood", include_retired=True)}
    sfile = services_file.name

    assets: list[CommunityAsset] = []
    lines: dict[str, int] = {}
    for sid, row in services.items():
        problems_before = len(r.problems)
        name = row.get("name")
        if not name:
            r.problems.append(ImportProblem(sfile, row.line, "The service has no name, so it was skipped."))
            continue
        status_text = row.get("status").casefold() or "active"
        status = ORUK_STATUSES.get(status_text)
        if status is None:
            r.problems.append(ImportProblem(sfile, row.line, f"The status “{row.get('status')}” is not one of active, inactive, defunct or temporarily closed, so the service was skipped."))
            continue
        org = AssetOrganization()
        org_id = row.get("organization_id")
        if org_id:
            org_row = organizations.get(org_id)
            if org_row is None:
                r.problems.append(ImportProblem(sfile, row.line, f"The organisation {org_id} is not in {r.file_name('organization')}; only its id was kept."))
                org = AssetOrganization(id=org_id)
            else:
                org = AssetOrganization(id=None if org_id == _derived_org_id(sid, org_row.get("name")) else org_id,
                                        name=org_row.get("name"), description=org_row.get("description"),
                                        url=org_row.get("website"), email=org_row.get("email"))
        location = AssetLocation()
        for link in at_location.get(sid, [])[:1]:
            loc_row = locations.get(link.get("location_id"))
            if loc_row is None:
                r.problems.append(ImportProblem(r.file_name("service_at_location"), link.line,
                                                f"The location {link.get('location_id')} is not in {r.file_name('location')}."))
                continue
            address = (addresses.get(loc_row.get("id")) or [None])[0]
            loc_id = loc_row.get("id")
            location = AssetLocation(
                id=None if loc_id == _derived_location_id(sid) else loc_id, name=loc_row.get("name"),
                latitude=_float(r, "location", loc_row, "latitude"), longitude=_float(r, "location", loc_row, "longitude"),
                address_1=address.get("address_1") if address else "", city=address.get("city") if address else "",
                postcode=normalise(address.get("postal_code")) if address else "")
        contact = AssetContact(email=row.get("email"))
        for contact_row in contacts.get(sid, [])[:1]:
            phone = (phones.get(contact_row.get("id")) or [None])[0]
            number = phone.get("number").strip('"').strip() if phone else ""
            contact = AssetContact(name=contact_row.get("name"), phone=number, email=row.get("email"))
        opening = "; ".join(t for t in (_schedule_text(s) for s in schedules.get(sid, [])) if t)
        codes: list[str] = []
        for lang in languages.get(sid, []):
            code = lang.get("code") or language_codes.get(lang.get("name").casefold(), "")
            if not code and not lang.get("name"):
                continue  # the UK profile's bare row: nothing says which language
            if not reference.knows("language", code):
                r.problems.append(ImportProblem(r.file_name("language"), lang.line,
                                                f"The language “{lang.get('code') or lang.get('name')}” is not on the languages list, so it was left out. Ask your coordinator to add it."))
                continue
            if code not in codes:
                codes.append(code)
        categories: list[str] = []
        neighbourhood: str | None = None
        for attribute in attributes.get(sid, []):
            term = terms.get(attribute.get("taxonomy_term_id"))
            if term is None:
                r.problems.append(ImportProblem(r.file_name("attribute"), attribute.line,
                                                f"The taxonomy term {attribute.get('taxonomy_term_id')} is not in {r.file_name('taxonomy_term')}."))
                continue
            taxonomy = term.get("taxonomy_id")
            if taxonomy == TAXONOMY_NEIGHBOURHOOD:
                code = term.get("term")
                if code in hood_codes:
                    neighbourhood = code
                else:
                    r.problems.append(ImportProblem(r.file_name("taxonomy_term"), term.line,
                                                    f"The neighbourhood “{code}” is not on the neighbourhoods list, so it was left out."))
            elif taxonomy == TAXONOMY_STATUS:
                if term.get("term") == "proposed":
                    status = "proposed"
            elif term.get("name") and term.get("name") not in categories:
                categories.append(term.get("name"))
        if neighbourhood is None and location.postcode:
            neighbourhood = reference.neighbourhood_for(location.postcode)
        try:
            asset = CommunityAsset(id=sid, name=name, description=row.get("description"), organization=org,
                                   location=location, contact=contact, opening_times=opening, languages=codes,
                                   taxonomy_terms=categories, neighbourhood=neighbourhood, status=status)
        except ValidationError as exc:
            del r.problems[problems_before:]
            reasons = "; ".join(f"{p.label}: {p.message}" for p in explain(exc, CommunityAsset))
            r.problems.append(ImportProblem(sfile, row.line, f"{reasons} The service was skipped."))
            continue
        assets.append(asset)
        lines[sid] = row.line
    return PackageRead(assets, r.problems, lines)


@dataclass
class ImportPlan:
    created: list[CommunityAsset] = field(default_factory=list)
    updated: list[CommunityAsset] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def to_save(self) -> list[CommunityAsset]:
        return self.created + self.updated


def plan_import(incoming: Sequence[CommunityAsset], existing: Mapping[str, CommunityAsset]) -> ImportPlan:
    """Match by id: new ids are created, changed content updates (the envelope kept), the same is left alone.

    An asset deleted here but present in the file comes back: the file says it exists.
    """
    plan = ImportPlan()
    for asset in incoming:
        old = existing.get(asset.id)
        if old is None:
            plan.created.append(asset)
        elif content(old) != content(asset) or old.deleted:
            plan.updated.append(old.model_copy(update={**{k: getattr(asset, k) for k in CONTENT_FIELDS}, "deleted": False}))
        else:
            plan.unchanged.append(asset.id)
    return plan


@dataclass
class ImportReport:
    created: int
    updated: int
    unchanged: int
    problems: list[ImportProblem]

    def summary(self) -> str:
        text = f"{self.created} added, {self.updated} updated, {self.unchanged} unchanged."
        if self.problems:
            text += f" {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''} (see the list)."
        return text


def import_package(folder: str | os.PathLike[str], store: Any, task: TaskLike = NO_TASK) -> ImportReport:
    """Reads a package and saves new and changed assets into the store in one transaction.

    ``store`` is a ``champions.store.Store``; saved assets go to the outbox and reach the
    champions on their next sync. An asset the store refuses is reported by its line.
    """
    from ..store import Query

    reference = store.reference
    read = read_package(folder, reference)
    check(task)
    existing = {a.id: a for a in store.assets.query(Query(include_deleted=True))}
    plan = plan_import(read.assets, existing)
    problems = list(read.problems)
    sfile = "services.csv"
    valid: list[CommunityAsset] = []
    for asset in plan.to_save:
        try:
            valid.append(store.assets.validate(asset, reference))
        except ValidationError as exc:
            reasons = "; ".join(f"{p.label}: {p.message}" for p in explain(exc, CommunityAsset))
            problems.append(ImportProblem(sfile, read.lines.get(asset.id), f"{reasons} The service was skipped."))
    check(task)
    store.assets.save_many(valid)
    saved = {a.id for a in valid}
    return ImportReport(created=sum(a.id in saved for a in plan.created), updated=sum(a.id in saved for a in plan.updated),
                        unchanged=len(plan.unchanged), problems=problems)
