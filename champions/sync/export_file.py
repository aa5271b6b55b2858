"""“Export for my coordinator”: unsynced changes in a file the hub can import.

For a revoked laptop, or one that has had no connection for weeks. The file is a zip holding
``changes.jsonl`` (one protocol ``Change`` per line, in the order they were made) and
``manifest.json`` (who, which device, which hub, and a SHA-256 and line count per file). The hub
imports it through the same idempotent push as the network (``champions-hub import FILE``), so
importing it twice, or importing changes that also arrived by sync, never duplicates anything.
No token or key is ever written into it.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from champions import __version__

from . import protocol as p


def write_export(path: Path, changes: Iterable[p.Change], *, identity: dict[str, Any]) -> int:
    """Write the zip atomically (temp file, then rename); returns how many changes it holds.

    ``identity`` is what enrolment stored: hub_url, device_id, person, org (no token).
    """
    body = io.BytesIO()
    count = 0
    for change in changes:
        body.write(change.model_dump_json().encode("utf-8") + b"\n")
        count += 1
    data = body.getvalue()
    manifest = p.ExportManifest(
        app_version=__version__,
        created_at=datetime.now(timezone.utc).isoformat(),
        hub_url=identity.get("hub_url"),
        device_id=str(identity.get("device_id") or ""),
        person=identity.get("person"),
        org=identity.get("org"),
        files=[p.ExportFileEntry(name=p.EXPORT_CHANGES, sha256=hashlib.sha256(data).hexdigest(), lines=count,
                                 bytes=len(data))],
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(p.EXPORT_MANIFEST, manifest.model_dump_json(indent=2))
        zf.writestr(p.EXPORT_CHANGES, data)
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return count
