"""The audit log records who, when, from where, and with which app (the Champions-Client header)."""

from __future__ import annotations

import json

import requests
import sqlalchemy as sa

from champions.hub.schema import audit_log
from champions.sync import protocol as p

from .conftest import change


def entries(db, org_id: str, action: str) -> list[dict]:  # type: ignore[no-untyped-def]
    with db.connect() as conn:
        rows = conn.execute(sa.select(audit_log).where(audit_log.c.org_id == org_id, audit_log.c.action == action)
                            .order_by(audit_log.c.pk)).all()
    return [dict(r._mapping, detail=json.loads(r.detail)) for r in rows]


def test_pushes_and_enrolments_record_the_client_app(hub, hub_cli, org, samples, db) -> None:  # type: ignore[no-untyped-def]
    code = hub_cli.invite(org.id, "Chidi")
    enrolled = requests.post(hub.url("/v1/enrol"), json={"code": code, "device_name": "Chidi's laptop", "client_version": "0.9.1"},
                             headers={p.CLIENT_HEADER: "champions/0.9.1 (Windows 11)"}, timeout=30)
    assert enrolled.status_code == 200, enrolled.text
    device_id = enrolled.json()["device_id"]
    [enrol] = [e for e in entries(db, org.id, "enrol") if e["device_id"] == device_id]
    assert enrol["detail"]["client"] == "champions/0.9.1 (Windows 11)" and enrol["detail"]["client_version"] == "0.9.1"
    assert enrol["source"] == "127.0.0.1" and enrol["at"] is not None

    talks = [change(samples.conversation()) for _ in range(3)]
    body = {"batch_id": "audited", "changes": talks + [talks[0]]}
    pushed = org.amina.post("/v1/push", json=body, headers={p.CLIENT_HEADER: "champions/1.2.3"})
    assert pushed.status_code == 200
    [push] = [e for e in entries(db, org.id, "push") if e["detail"]["batch_id"] == "audited"]
    assert push["device_id"] == org.amina.enrolment.device_id and push["person_id"] == org.amina.person_id
    assert push["detail"] == {"batch_id": "audited", "client": "champions/1.2.3",
                              "accepted": 3, "duplicate": 1, "conflict": 0, "rejected": 0}


def test_client_header_is_cut_short_and_cleaned(org, db) -> None:  # type: ignore[no-untyped-def]
    sent = "champions/1.0\x1b[31m" + "x" * 500
    assert org.amina.post("/v1/push", json={"batch_id": "noisy", "changes": []}, headers={p.CLIENT_HEADER: sent}).status_code == 200
    assert org.bilal.post("/v1/push", json={"batch_id": "bare", "changes": []}).status_code == 200
    clients = {e["detail"]["batch_id"]: e["detail"]["client"] for e in entries(db, org.id, "push")}
    assert clients["noisy"] == ("champions/1.0[31m" + "x" * 500)[:99] and clients["bare"] == ""
