"""Enrolment: invite codes are single use, expire, are typed forgivingly, and guessing is throttled."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
import sqlalchemy as sa

from champions.domain import utcnow
from champions.hub.schema import devices, invites
from champions.hub.testing import HubCli, fresh_database, run_hub
from champions.hub.tokens import CODE_ALPHABET, hash_token, new_invite_code, normalise_code
from champions.sync import protocol as p

from .conftest import BACKENDS


def enrol(hub, code: str, ip: str | None = None) -> requests.Response:  # type: ignore[no-untyped-def]
    headers = {"X-Forwarded-For": ip} if ip else {}
    return requests.post(hub.url("/v1/enrol"), json={"code": code, "device_name": "laptop"}, headers=headers, timeout=30)


def test_codes_are_short_and_unambiguous() -> None:
    codes = {new_invite_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 9 and code[4] == "-"
        assert not set(code.replace("-", "")) & set("0O1lI")
    assert len(CODE_ALPHABET) == 31
    assert normalise_code(" abcd-efgh ") == "ABCDEFGH"
    assert normalise_code("ABCD0FGH") is None  # a zero is never in a code


def test_good_code_gives_a_token_stored_only_as_a_hash(hub, hub_cli, db) -> None:  # type: ignore[no-untyped-def]
    org_id = hub_cli.create_org("Enrol VCS")
    code = hub_cli.invite(org_id, "Amina")
    reply = enrol(hub, code.lower().replace("-", ""))  # typed in lower case without the dash
    assert reply.status_code == 200, reply.text
    body = p.EnrolResponse.model_validate(reply.json())
    assert body.person.name == "Amina" and body.person.role == "champion"
    assert body.org == p.OrgInfo(id=org_id, name="Enrol VCS")
    assert body.protocol_version == p.PROTOCOL_VERSION
    assert len(body.token) >= 43  # 256 random bits, url-safe base64
    with db.connect() as conn:
        row = conn.execute(sa.select(devices).where(devices.c.id == body.device_id)).one()
        assert row.token_hash == hash_token(body.token) and body.token not in row.token_hash
        stored_codes = conn.execute(sa.select(invites.c.code_hash).where(invites.c.org_id == org_id)).scalars().all()
        assert code not in stored_codes and normalise_code(code) not in stored_codes
    me = requests.get(hub.url("/v1/me"), headers={"Authorization": f"Bearer {body.token}"}, timeout=30)
    assert me.status_code == 200 and me.json()["person"]["name"] == "Amina"


def test_wrong_reused_and_expired_codes_are_refused(hub, hub_cli, db) -> None:  # type: ignore[no-untyped-def]
    org_id = hub_cli.create_org("Refusals VCS")
    wrong = enrol(hub, "ABCD-EFGH")
    assert wrong.status_code == 400
    assert wrong.json() == {"code": "invalid_code",
                            "message": "That invite code is not right. Check it with your coordinator: it looks like ABCD-EFGH."}
    assert enrol(hub, "not a code at all").json()["code"] == "invalid_code"

    code = hub_cli.invite(org_id, "Bilal")
    assert enrol(hub, code).status_code == 200
    again = enrol(hub, code)
    assert again.status_code == 400
    assert again.json() == {"code": "code_used", "message": "That invite code has already been used. Ask your coordinator for a new one."}

    old = hub_cli.invite(org_id, "Chidi")
    with db.begin() as conn:  # the invite was made eight days ago
        conn.execute(invites.update().where(invites.c.org_id == org_id, invites.c.used_at.is_(None))
                     .values(expires_at=utcnow() - timedelta(days=1)))
    expired = enrol(hub, old)
    assert expired.status_code == 400
    assert expired.json() == {"code": "code_expired", "message": "That invite code has expired. Ask your coordinator for a new one."}


def test_invite_for_a_second_device_of_the_same_person(hub, hub_cli) -> None:  # type: ignore[no-untyped-def]
    org_id = hub_cli.create_org("Two laptops VCS")
    first = hub.enrol(hub_cli.invite(org_id, "Dina"))
    second = hub.enrol(hub_cli.invite(org_id, person=first.person_id))
    assert second.person_id == first.person_id and second.enrolment.device_id != first.enrolment.device_id


@pytest.mark.parametrize("backend", BACKENDS)
def test_guessing_is_throttled_per_address_and_overall(backend, tmp_path) -> None:  # type: ignore[no-untyped-def]
    limits = {"CHAMPIONS_HUB_ENROL_IP_LIMIT": "3", "CHAMPIONS_HUB_ENROL_GLOBAL_LIMIT": "5", "CHAMPIONS_HUB_ENROL_WINDOW": "600"}
    with fresh_database(tmp_path, backend) as url:
        cli = HubCli(url)
        org_id = cli.create_org("Throttle VCS")
        good = cli.invite(org_id, "Esi")
        with run_hub(url, env=limits) as hub:
            for _ in range(3):
                assert enrol(hub, "ABCD-EFGH", ip="203.0.113.7").status_code == 400
            blocked = enrol(hub, good, ip="203.0.113.7")  # even the right code waits
            assert blocked.status_code == 429
            assert blocked.json()["code"] == "too_many_attempts"
            assert blocked.json()["message"] == "Too many wrong invite codes from this network. Wait 10 minutes and try again."
            assert 590 <= int(blocked.headers["Retry-After"]) <= 600
            # Another address is still served, until the hub-wide limit is reached.
            assert enrol(hub, "ABCD-EFGH", ip="198.51.100.1").status_code == 400
            assert enrol(hub, "ABCD-EFGH", ip="198.51.100.2").status_code == 400
            overall = enrol(hub, good, ip="198.51.100.3")
            assert overall.status_code == 429
            assert overall.json()["message"] == "Too many wrong invite codes have been tried on this hub. Wait 10 minutes and try again."
            assert "Retry-After" in overall.headers


def test_a_disabled_person_cannot_enrol_a_new_device(hub, hub_cli, org, db, capsys) -> None:  # type: ignore[no-untyped-def]
    code = hub_cli.invite(org.id, person=org.bilal.person_id)  # a second laptop, invited while Bilal was active
    hub_cli.run("disable-person", org.bilal.person_id)
    with db.connect() as conn:
        before = conn.execute(sa.select(sa.func.count()).select_from(devices).where(devices.c.person_id == org.bilal.person_id)).scalar()
    refused = enrol(hub, code)
    assert refused.status_code == 403
    assert refused.json() == {"code": "forbidden", "message": (
        "Bilal's account has been disabled by a coordinator, so this code cannot connect a new laptop. "
        "Ask your coordinator to enable the account first.")}
    with db.connect() as conn:
        after = conn.execute(sa.select(sa.func.count()).select_from(devices).where(devices.c.person_id == org.bilal.person_id)).scalar()
        used = conn.execute(sa.select(invites.c.used_at).where(invites.c.person_id == org.bilal.person_id,
                                                               invites.c.device_id.is_(None))).scalars().all()
    assert after == before and used == [None]  # no device, and the code is not used up
    # No new invites for them either, from the command line or the coordinator's app.
    with pytest.raises(RuntimeError):
        hub_cli.invite(org.id, person=org.bilal.person_id)
    assert "Bilal's account is disabled" in capsys.readouterr().err
    api = org.coordinator.post("/v1/admin/invites", json={"person_id": org.bilal.person_id})
    assert api.status_code == 422 and api.json()["message"].startswith("Bilal's account is disabled")
    hub_cli.run("disable-person", org.bilal.person_id, "--enable")
    assert enrol(hub, code).status_code == 200  # the same code works once they are enabled again
