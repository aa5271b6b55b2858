"""Bearer authentication, revocation, disabled people, role limits and the protocol version check."""

from __future__ import annotations

import requests

from champions.sync import protocol as p


def test_health_needs_no_sign_in(hub, backend) -> None:  # type: ignore[no-untyped-def]
    reply = requests.get(hub.url("/v1/health"), timeout=30)
    assert reply.status_code == 200
    assert reply.json() == {"status": "ok", "protocol_version": 1, "min_protocol_version": 1, "database": backend}


def test_no_token_and_unknown_token_are_refused(hub) -> None:  # type: ignore[no-untyped-def]
    for path in ("/v1/me", "/v1/pull"):
        none = requests.get(hub.url(path), timeout=30)
        assert none.status_code == 401
        assert none.json() == {"code": "auth_required",
                               "message": "This needs the device's sign-in token. Enrol the device with an invite code first."}
    bad = requests.get(hub.url("/v1/me"), headers={"Authorization": "Bearer not-a-real-token"}, timeout=30)
    assert bad.status_code == 401
    assert bad.json()["code"] == "invalid_token"
    push = requests.post(hub.url("/v1/push"), json={"batch_id": "b", "changes": []}, timeout=30)
    assert push.status_code == 401 and push.json()["code"] == "auth_required"


def test_revoked_device_gets_device_revoked(hub, hub_cli, org) -> None:  # type: ignore[no-untyped-def]
    assert org.amina.get("/v1/me").status_code == 200
    out = hub_cli.run("revoke", org.amina.enrolment.device_id)
    assert "revoked" in out
    for reply in (org.amina.get("/v1/me"), org.amina.get("/v1/pull"), org.amina.post("/v1/push", json={"batch_id": "x", "changes": []})):
        assert reply.status_code == 401
        assert reply.json() == {"code": "device_revoked", "message": (
            "This device has been removed from the hub by a coordinator. "
            "Your unsynced work is kept on this laptop; you can export it.")}
    assert org.bilal.get("/v1/me").status_code == 200  # only that laptop


def test_disabled_person_devices_get_device_revoked(hub, hub_cli, org) -> None:  # type: ignore[no-untyped-def]
    hub_cli.run("disable-person", org.bilal.person_id)
    reply = org.bilal.get("/v1/pull")
    assert reply.status_code == 401
    assert reply.json()["code"] == "device_revoked"
    assert reply.json()["message"].startswith("Your account has been disabled by a coordinator")
    hub_cli.run("disable-person", org.bilal.person_id, "--enable")
    assert org.bilal.get("/v1/pull").status_code == 200


def test_old_client_is_told_to_upgrade(hub, org) -> None:  # type: ignore[no-untyped-def]
    reply = requests.get(hub.url("/v1/me"), headers={**org.amina.headers, p.PROTOCOL_HEADER: "0"}, timeout=30)
    assert reply.status_code == 426
    assert reply.json() == {"code": "upgrade_required", "message": (
        "This version of Champions is too old for the hub. Please install the latest version "
        "(the hub needs protocol 1 or newer; this app speaks 0).")}
    enrol = requests.post(hub.url("/v1/enrol"), json={"code": "ABCD-EFGH"}, headers={p.PROTOCOL_HEADER: "0"}, timeout=30)
    assert enrol.status_code == 426
    garbled = requests.get(hub.url("/v1/me"), headers={**org.amina.headers, p.PROTOCOL_HEADER: "one"}, timeout=30)
    assert garbled.status_code == 400 and garbled.json()["code"] == "bad_request"


def test_coordinator_endpoints_are_for_coordinators(hub, org) -> None:  # type: ignore[no-untyped-def]
    for reply in (org.amina.get("/v1/admin/devices"), org.amina.post("/v1/admin/invites", json={"name": "X"}),
                  org.amina.post(f"/v1/admin/devices/{org.bilal.enrolment.device_id}/revoke"), org.amina.get("/v1/admin/export")):
        assert reply.status_code == 403
        assert reply.json() == {"code": "forbidden", "message": "Only a coordinator or admin can do this."}


def test_coordinator_lists_invites_and_revokes(hub, hub_cli, org) -> None:  # type: ignore[no-untyped-def]
    listed = org.coordinator.get("/v1/admin/devices")
    assert listed.status_code == 200
    devices = p.DevicesResponse.model_validate(listed.json()).devices
    assert sorted(d.person.name for d in devices) == ["Amina", "Bilal", "Cora Coordinator"]
    assert all(d.last_push_at is None and d.revoked_at is None for d in devices)
    org.amina.push([])
    org.amina.get("/v1/pull")
    amina = next(d for d in p.DevicesResponse.model_validate(org.coordinator.get("/v1/admin/devices").json()).devices
                 if d.person.name == "Amina")
    assert amina.last_push_at is not None and amina.last_pull_at is not None

    people = org.coordinator.get("/v1/admin/people").json()["people"]
    assert sorted(x["role"] for x in people) == ["champion", "champion", "coordinator"]

    made = org.coordinator.post("/v1/admin/invites", json={"name": "Farah", "role": "champion"})
    assert made.status_code == 200, made.text
    invite = p.InviteResponse.model_validate(made.json())
    assert invite.person_name == "Farah" and invite.hub_url == hub.base_url
    farah = hub.enrol(invite.code)
    assert farah.enrolment.org.id == org.id and farah.enrolment.person.role == "champion"

    revoked = org.coordinator.post(f"/v1/admin/devices/{farah.enrolment.device_id}/revoke")
    assert revoked.status_code == 200
    assert farah.get("/v1/me").json()["code"] == "device_revoked"


def test_coordinator_cannot_touch_another_orgs_devices(hub, hub_cli, org) -> None:  # type: ignore[no-untyped-def]
    from .conftest import make_org

    other = make_org(hub, hub_cli)
    reply = org.coordinator.post(f"/v1/admin/devices/{other.amina.enrolment.device_id}/revoke")
    assert reply.status_code == 404
    assert reply.json() == {"code": "not_found", "message": "There is no such device in this organisation."}
    assert other.amina.get("/v1/me").status_code == 200
    names = {d["person"]["name"] for d in org.coordinator.get("/v1/admin/devices").json()["devices"]}
    ids = {d["id"] for d in org.coordinator.get("/v1/admin/devices").json()["devices"]}
    assert other.amina.enrolment.device_id not in ids and names == {"Amina", "Bilal", "Cora Coordinator"}
