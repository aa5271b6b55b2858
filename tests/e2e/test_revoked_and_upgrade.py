"""A revoked laptop keeps its work and exports it; the hub imports it once; a too-old app stays offline."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from champions.sync.client import HubClient
from champions.sync.engine import SyncEngine
from champions.sync.enrolment import connection_options
from champions.sync.errors import DeviceRevoked, UpgradeRequired

from .test_sync_flow import hub_records


def hub_import(hub, path) -> subprocess.CompletedProcess:
    """The real ``champions-hub import`` command, as IT would run it."""
    return subprocess.run(
        [sys.executable, "-m", "champions.hub.cli", "import", "--database-url", hub.cli.database_url, str(path)],
        capture_output=True, text=True, timeout=120,
    )


def test_revoked_device_keeps_its_work_and_the_export_imports_exactly_once(hub, laptops, tmp_path):
    amina, cora = laptops("Amina"), laptops("Cora", "coordinator")
    synced = amina.store.conversations.save(next(amina.samples.conversations(1)))
    amina.sync()
    waiting = [amina.store.conversations.save(r) for r in amina.samples.conversations(3)]
    edited = amina.store.conversations.save(synced.model_copy(update={"notes": "edited after revocation"}))
    hub.cli.run("revoke", amina.identity.device_id)

    with pytest.raises(DeviceRevoked) as info:
        amina.sync()
    assert str(info.value).startswith("This laptop can no longer sync: your coordinator has switched off its access")
    assert "Export for my coordinator" in str(info.value)
    assert amina.store.unsynced_count() == 4  # nothing lost, nothing marked as sent
    assert amina.engine.status().last_problem["kind"] == "DeviceRevoked"
    assert amina.store.conversations.save(next(amina.samples.conversations(1)))  # still works offline

    export = tmp_path / "for-coordinator.zip"
    assert amina.engine.export_for_coordinator(export) == 5
    with zipfile.ZipFile(export) as zf:
        assert sorted(zf.namelist()) == ["changes.jsonl", "manifest.json"]

    first = hub_import(hub, export)
    assert first.returncode == 0, first.stderr
    assert "new or newer: 5" in first.stdout
    second = hub_import(hub, export)
    assert second.returncode == 0, second.stderr
    assert "new or newer: 0" in second.stdout and "already on the hub: 5" in second.stdout

    on_hub = hub_records(hub)  # fails on any duplicate id
    assert {r.id for r in waiting} <= set(on_hub)
    assert on_hub[edited.id]["notes"] == "edited after revocation"
    assert len(on_hub) == 5
    cora.sync()
    assert cora.store.conversations.count() == 5


def test_a_damaged_export_is_refused_and_nothing_is_imported(hub, laptops, tmp_path):
    amina = laptops("Amina")
    amina.store.conversations.save(next(amina.samples.conversations(1)))
    export = tmp_path / "x.zip"
    amina.engine.export_for_coordinator(export)
    with zipfile.ZipFile(export) as zf:
        manifest, changes = zf.read("manifest.json"), zf.read("changes.jsonl")
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as zf:
        zf.writestr("manifest.json", manifest)
        zf.writestr("changes.jsonl", changes.replace(b'"rev":1', b'"rev":7'))
    result = hub_import(hub, tampered)
    assert result.returncode == 2
    assert "tampered.zip is damaged or was changed after it was written (the checksum does not match)" in result.stderr
    assert hub_records(hub) == {}


def test_upgrade_required_is_explained_and_the_app_keeps_working_offline(hub, laptops):
    amina = laptops("Amina")

    def old_app(identity, token):  # the real client speaking protocol 0, as an old release would
        return HubClient(identity.hub_url, token, protocol_version=0, **connection_options())

    old = SyncEngine(amina.store, client_factory=old_app)
    record = amina.store.conversations.save(next(amina.samples.conversations(1)))
    with pytest.raises(UpgradeRequired) as info:
        old.run_once()
    assert str(info.value).startswith("This version of Champions is too old for your hub. Your work stays saved")
    assert amina.store.unsynced_count() == 1
    assert amina.store.sync_state(record.id).state == "pending"
    assert old.status().last_problem["kind"] == "UpgradeRequired"
    # after the upgrade, the same laptop syncs
    assert amina.sync().accepted == 1
    assert amina.engine.status().last_problem is None


def test_an_export_imported_on_the_wrong_hub_is_refused_with_a_reason(hub, laptops, tmp_path):
    from champions.hub.testing import fresh_database

    amina = laptops("Amina")
    amina.store.conversations.save(next(amina.samples.conversations(1)))
    export = tmp_path / "amina.zip"
    amina.engine.export_for_coordinator(export)
    with fresh_database(tmp_path / "other", "sqlite") as other_url:
        result = subprocess.run(
            [sys.executable, "-m", "champions.hub.cli", "import", "--database-url", other_url, str(export)],
            capture_output=True, text=True, timeout=120,
        )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"champions-hub: This file comes from device {amina.identity.device_id}, which this hub does not know. "
        "Import it on the hub the laptop was enrolled with.")
