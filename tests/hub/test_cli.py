"""The ``champions-hub`` command as IT would use it, in real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import requests
import sqlalchemy as sa

from champions.hub.schema import audit_log
from champions.hub.testing import free_port, parse_code

from .conftest import change


def hub_command(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "champions.hub.cli", *args], capture_output=True, text=True, timeout=120, check=check)


def test_serve_with_only_a_data_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """One command, SQLite, no other setup: the database is created on start."""
    folder = tmp_path / "hub-data"
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "champions.hub.cli", "serve", "--data-dir", str(folder), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                reply = requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.2)
        assert reply.json()["database"] == "sqlite"
        assert (folder / "hub.sqlite3").exists()
        created = hub_command("create-org", "--data-dir", str(folder), "Solo VCS")
        code = parse_code(hub_command("invite", "--data-dir", str(folder), "--org", "Solo VCS", "--name", "Amina").stdout)
        enrolled = requests.post(f"http://127.0.0.1:{port}/v1/enrol", json={"code": code}, timeout=30)
        assert enrolled.status_code == 200 and enrolled.json()["org"]["name"] == "Solo VCS"
        assert "Created organisation “Solo VCS”" in created.stdout
    finally:
        proc.terminate()
        proc.wait(20)


def test_invite_prints_code_and_hub_address(hub_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    hub_command("init", "--database-url", hub_db, "--public-url", "https://hub.example.org/")
    hub_command("create-org", "--database-url", hub_db, "Printed VCS")
    out = hub_command("invite", "--database-url", hub_db, "--org", "printed vcs", "--name", "Esi", "--role", "coordinator").stdout
    lines = out.splitlines()
    assert lines[0] == "Invite for Esi (coordinator) in Printed VCS"
    assert lines[2] == "  Hub:     https://hub.example.org"
    code = parse_code(out)
    assert len(code) == 9 and code[4] == "-"
    missing = hub_command("invite", "--database-url", hub_db, "--org", "Nowhere", "--name", "X", check=False)
    assert missing.returncode == 2
    assert missing.stderr.strip() == "champions-hub: No organisation “Nowhere”. List them with `champions-hub orgs`."


def test_devices_revoke_and_export(hub, hub_db, org, samples, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    listed = [json.loads(line) for line in hub_command("devices", "--database-url", hub_db, "--org", org.id, "--json").stdout.splitlines()]
    assert sorted(d["person"] for d in listed) == ["Amina", "Bilal", "Cora Coordinator"]
    talks = [samples.conversation() for _ in range(30)]
    gone = samples.conversation()
    assert {r.status for r in org.amina.push([change(t) for t in talks] + [change(gone)]).results} == {"accepted"}
    assert org.amina.push([change(gone, rev=1, base_rev=0, deleted=True)]).results[0].status == "accepted"

    target = tmp_path / "export.jsonl"
    done = hub_command("export", "--database-url", hub_db, "--org", org.id, "--output", str(target))
    assert done.stderr.strip() == f"Exported {145 + 30} records of {org.name}."
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 175 and all(r["org_id"] == org.id for r in rows)
    assert {r["id"] for r in rows if r["kind"] == "conversation"} == {t.id for t in talks}
    only = hub_command("export", "--database-url", hub_db, "--org", org.id, "--kind", "conversation", "--include-deleted").stdout
    assert {json.loads(line)["id"] for line in only.splitlines()} == {t.id for t in talks} | {gone.id}

    api = org.coordinator.get("/v1/admin/export", stream=True)
    assert api.status_code == 200 and api.headers["content-type"].startswith("application/x-ndjson")
    assert sum(1 for line in api.iter_lines() if line) == 175

    device = org.bilal.enrolment.device_id
    assert hub_command("revoke", "--database-url", hub_db, device).stdout.startswith(f"Device {device} revoked at ")
    assert org.bilal.get("/v1/me").json()["code"] == "device_revoked"
    with db.connect() as conn:
        actions = conn.execute(sa.select(audit_log.c.action, audit_log.c.source).where(audit_log.c.org_id == org.id)).all()
    kinds = [a for a, _ in actions]
    assert kinds.count("enrol") == 3 and "push" in kinds and kinds.count("export") == 3 and "revoke" in kinds
    assert ("enrol", "127.0.0.1") in actions
    assert any(a == "revoke" and s.startswith("cli") for a, s in actions)
