"""``champions-hub import FILE``: take in a device's "Export for my coordinator" file.

The changes go through the very same push as the network (``records.push``), as the device that
wrote them, so the (id, rev) unique key makes importing idempotent: the same file twice, or a
file whose changes also arrived by sync, never makes a duplicate. A revoked device's file is
accepted: that is what the export is for. The checksums are checked before anything is stored.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from ..sync import protocol as p
from . import audit
from .accounts import Auth
from .db import read, write
from .errors import HubError
from .records import push
from .schema import devices, orgs, people


class ExportFileInvalid(ValueError):
    """Not a Champions export, or damaged or changed after it was written."""


def read_export(path: Path) -> tuple[p.ExportManifest, list[p.Change]]:
    """Read and check an export: format, checksum and line count; every line a valid Change."""
    name = Path(path).name
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = p.ExportManifest.model_validate_json(zf.read(p.EXPORT_MANIFEST))
            entry = manifest.files[0]
            data = zf.read(entry.name)
    except ValidationError:
        raise ExportFileInvalid(f"{name} is not a Champions export file (its manifest is not one).") from None
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ExportFileInvalid(f"{name} is not a readable Champions export file ({type(exc).__name__}).") from None
    if manifest.format_version > p.EXPORT_FORMAT_VERSION:
        raise ExportFileInvalid(f"{name} was written by a newer Champions; update the hub to import it.")
    if hashlib.sha256(data).hexdigest() != entry.sha256:
        raise ExportFileInvalid(
            f"{name} is damaged or was changed after it was written (the checksum does not match). Nothing was imported.")
    lines = data.splitlines()
    if len(lines) != entry.lines:
        raise ExportFileInvalid(f"{name} is incomplete: it should hold {entry.lines} changes but holds {len(lines)}.")
    changes: list[p.Change] = []
    for number, line in enumerate(lines, 1):
        try:
            changes.append(p.Change.model_validate_json(line))
        except ValidationError:
            raise ExportFileInvalid(f"{name}: change {number} is not valid. Nothing was imported.") from None
    return manifest, changes


@dataclass
class ImportReport:
    device_id: str
    person_name: str
    org_name: str
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[p.ChangeResult] = field(default_factory=list)

    def summary(self) -> str:
        c = self.counts
        lines = [
            f"Imported the export of {self.person_name}'s device {self.device_id} into {self.org_name}:",
            f"  new or newer: {c['accepted']}",
            f"  already on the hub: {c['duplicate']}",
            f"  kept aside as conflicts: {c['conflict']}",
            f"  refused: {c['rejected']}",
        ]
        lines += [f"    - {r.id} rev {r.rev}: {r.reason}" for r in self.problems[:20]]
        return "\n".join(lines)


def _auth_for(engine: Engine, device_id: str, org_id: str) -> Auth:
    with read(engine) as conn:
        row = conn.execute(
            sa.select(devices.c.id, devices.c.name, people.c.id.label("person_id"), people.c.name.label("person_name"),
                      people.c.role, orgs.c.id.label("org_id"), orgs.c.name.label("org_name"))
            .select_from(devices.join(people, devices.c.person_id == people.c.id).join(orgs, devices.c.org_id == orgs.c.id))
            .where(devices.c.id == device_id)
        ).first()
    if row is None or (org_id and row.org_id != org_id):
        raise HubError(404, p.ERR_NOT_FOUND,
                       f"This file comes from device {device_id}, which this hub does not know. "
                       "Import it on the hub the laptop was enrolled with.")
    return Auth(row.id, row.name, row.person_id, row.person_name, row.role, row.org_id, row.org_name)


def import_file(engine: Engine, path: Path, source: str) -> ImportReport:
    """Check the file, then push its changes as its device, in batches; return what happened."""
    try:
        manifest, changes = read_export(Path(path))
    except ExportFileInvalid as exc:
        raise HubError(400, p.ERR_BAD_REQUEST, str(exc)) from None
    auth = _auth_for(engine, manifest.device_id, manifest.org.id if manifest.org else "")
    report = ImportReport(auth.device_id, auth.person_name, auth.org_name)
    checksum = manifest.files[0].sha256
    for start in range(0, len(changes), p.MAX_BATCH_CHANGES):
        batch = changes[start:start + p.MAX_BATCH_CHANGES]
        batch_id = f"import-{checksum[:16]}-{start // p.MAX_BATCH_CHANGES}"
        answer = push(engine, auth, batch_id, list(batch), source)
        for result in answer.results:
            report.counts[result.status] += 1
            if result.status == "rejected":
                report.problems.append(result)
    with write(engine) as conn:
        audit.record(conn, "import", source, org_id=auth.org_id, device_id=auth.device_id, person_id=auth.person_id,
                     file=Path(path).name, sha256=checksum, **dict(report.counts))
    return report
