"""Who may see and do what, as one explicit matrix: records by viewer, the coordinator's views
by organisation, every refused credential (tokens and invite codes) on every endpoint.

Two organisations, A and B, each with a coordinator and champions; every person has written a
private record and a proposed asset, each coordinator has published an asset and reviewed the
champions' conversations (a review reaches its champion and the coordinators, no other champion)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field

import pytest
import requests
import sqlalchemy as sa

from champions.domain import CommunityAsset, Conversation, Review, ReviewNote
from champions.hub import records as hub_records
from champions.domain.samples import SampleGenerator
from champions.hub.schema import devices
from champions.hub.testing import Device, HubCli, RunningHub

from .conftest import Org, change, make_org

# What each viewer pulls (besides the reference lists), by the names of the records below.
# "x_who_review" is the coordinator's review of x_who_talk, written by x's coordinator.
RECORDS = ["a_amina_talk", "a_amina_proposal", "a_bilal_talk", "a_bilal_proposal", "a_published",
           "b_amina_talk", "b_amina_proposal", "b_published", "a_amina_review", "a_bilal_review", "b_amina_review"]
SEES = {
    "a_amina": {"a_amina_talk", "a_amina_proposal", "a_published", "a_amina_review"},
    "a_bilal": {"a_bilal_talk", "a_bilal_proposal", "a_published", "a_bilal_review"},
    "a_coordinator": {"a_amina_talk", "a_amina_proposal", "a_bilal_talk", "a_bilal_proposal", "a_published",
                      "a_amina_review", "a_bilal_review"},
    "b_amina": {"b_amina_talk", "b_amina_proposal", "b_published", "b_amina_review"},
    "b_coordinator": {"b_amina_talk", "b_amina_proposal", "b_published", "b_amina_review"},
}
MATRIX = [pytest.param(viewer, record, record in seen, id=f"{viewer} {'sees' if record in seen else 'does not see'} {record}")
          for viewer, seen in SEES.items() for record in RECORDS]


@dataclass
class World:
    hub: RunningHub
    cli: HubCli
    a: Org
    b: Org
    ids: dict[str, str] = field(default_factory=dict)  # record name -> id
    pulled: dict[str, set[str]] = field(default_factory=dict)  # viewer -> ids pulled

    def device(self, viewer: str) -> Device:
        org, who = viewer.split("_", 1)
        return getattr(self.a if org == "a" else self.b, who)

    def pull(self, viewer: str) -> set[str]:
        if viewer not in self.pulled:
            got, _ = self.device(viewer).pull_all()
            self.pulled[viewer] = {r.id for r in got if r.kind != "reference_item"}
        return self.pulled[viewer]


@pytest.fixture(scope="module")
def world(hub: RunningHub, hub_db: str) -> World:
    cli = HubCli(hub_db)
    w = World(hub, cli, make_org(hub, cli, "Org A"), make_org(hub, cli, "Org B"))
    gen = SampleGenerator(seed=11)
    talks: dict[str, Conversation] = {}
    for name in RECORDS:
        org, *who_what = name.split("_")
        who, what = (who_what if len(who_what) == 2 else ["coordinator", who_what[0]])
        if what == "review":  # the coordinator queries the champion's conversation
            talk = talks[f"{org}_{who}_talk"]
            record = Review.of(talk, "queried", ReviewNote(note_kind="query", text=f"Which pharmacy, {who}?"))
            who = "coordinator"
        elif what == "talk":
            record = talks[name] = gen.conversation()
        elif what == "proposal":
            record = CommunityAsset(name=f"{who}'s proposal in {org}", status="proposed")
        else:
            record = gen.asset(len(w.ids))
        answer = w.device(f"{org}_{who}").push([change(record)])
        assert [r.status for r in answer.results] == ["accepted"], answer
        w.ids[name] = record.id
    return w


@pytest.mark.parametrize(("viewer", "record", "visible"), MATRIX)
def test_who_pulls_which_record(world, viewer, record, visible) -> None:  # type: ignore[no-untyped-def]
    assert (world.ids[record] in world.pull(viewer)) is visible


@pytest.mark.parametrize("viewer", list(SEES))
def test_nobody_pulls_anything_else(world, viewer) -> None:  # type: ignore[no-untyped-def]
    """Not only the named records: nothing at all outside the viewer's share (other tests' orgs too)."""
    assert world.pull(viewer) == {world.ids[r] for r in SEES[viewer]}
    got, _ = world.device(viewer).pull_all()
    org = world.a if viewer.startswith("a_") else world.b
    assert {r.record["org_id"] for r in got} == {org.id}


@pytest.mark.parametrize("viewer", ["a_coordinator", "b_coordinator"])
def test_a_coordinator_exports_and_lists_only_their_organisation(world, viewer) -> None:  # type: ignore[no-untyped-def]
    device = world.device(viewer)
    org, other = (world.a, world.b) if viewer.startswith("a_") else (world.b, world.a)
    export = device.get("/v1/admin/export")
    assert export.status_code == 200
    lines = [json.loads(line) for line in export.text.splitlines()]
    assert {x["org_id"] for x in lines} == {org.id}
    assert {x["id"] for x in lines if x["kind"] != "reference_item"} == {world.ids[r] for r in SEES[viewer]}
    listed = device.get("/v1/admin/devices").json()["devices"]
    assert {d["id"] for d in listed} == {d.enrolment.device_id for d in (org.coordinator, org.amina, org.bilal)}
    people = device.get("/v1/admin/people").json()["people"]
    assert {x["id"] for x in people} == {d.person_id for d in (org.coordinator, org.amina, org.bilal)}
    # The other organisation's devices and people cannot be touched either.
    revoke = device.post(f"/v1/admin/devices/{other.amina.enrolment.device_id}/revoke")
    assert (revoke.status_code, revoke.json()["code"]) == (404, "not_found")
    invite = device.post("/v1/admin/invites", json={"person_id": other.amina.person_id})
    assert (invite.status_code, invite.json()["code"]) == (404, "not_found")
    assert other.amina.get("/v1/me").status_code == 200


@pytest.mark.parametrize(("writer", "record"), [
    ("a_bilal", "a_amina_talk"), ("a_bilal", "a_amina_proposal"), ("a_amina", "a_bilal_talk"),
    ("another org's champion", "a_amina_talk"), ("another org's coordinator", "a_bilal_talk"),
])
def test_nobody_changes_a_record_they_may_not_see(world, writer, record) -> None:  # type: ignore[no-untyped-def]
    """An edit of someone else's record: refused in the same org; in another org the same id is
    that org's own new record. Either way the owner's record is untouched."""
    owner = next(v for v, seen in SEES.items() if record in seen and not v.endswith("coordinator"))
    original = next(r for r in world.device(owner).pull_all()[0] if r.id == world.ids[record])
    edited = "notes" if original.kind == "conversation" else "description"
    edit = {"kind": original.kind, "id": original.id, "rev": original.rev + 1, "base_rev": original.rev,
            "record": dict(original.record, rev=original.rev + 1, **{edited: "changed by someone else"})}
    if writer.startswith("another org"):
        other = make_org(world.hub, world.cli)  # a fresh one, so the shared orgs' contents stay as the matrix says
        device = other.amina if writer.endswith("champion") else other.coordinator
    else:
        device = world.device(writer)
    answer = device.post("/v1/push", json={"batch_id": secrets.token_hex(4), "changes": [edit]}).json()["results"][0]
    if writer.startswith("another org"):
        assert answer["status"] == "accepted"
        mine = next(r for r in device.pull_all()[0] if r.id == original.id)
        assert mine.record["org_id"] == other.id and mine.record["author_id"] == device.person_id
    else:
        assert (answer["status"], answer["reason"]) == (
            "rejected", "You can only change records you wrote. Ask your coordinator to correct this one.")
    after = next(r for r in world.device(owner).pull_all()[0] if r.id == world.ids[record])
    assert after.rev == original.rev and after.record == original.record
    assert after.record[edited] != "changed by someone else"


@pytest.mark.parametrize(("writer", "review"), [
    ("a_bilal", "a_amina_review"), ("a_amina", "a_bilal_review"),
    ("another org's champion", "a_amina_review"), ("another org's coordinator", "a_bilal_review"),
])
def test_nobody_replies_to_a_review_they_may_not_see(world, writer, review) -> None:  # type: ignore[no-untyped-def]
    """A reply to someone else's review is refused in the same org; in another org there is nothing to
    reply to, and the record under review is not there to be reviewed. The review is untouched."""
    owner = review.rsplit("_", 1)[0]
    original = next(r for r in world.device(owner).pull_all()[0] if r.id == world.ids[review])
    reply = {"note_kind": "reply", "text": "Not mine to answer", "written_at": original.record["notes"][0]["written_at"],
             "id": secrets.token_hex(8)}
    edit = {"kind": "review", "id": original.id, "rev": original.rev + 1, "base_rev": original.rev,
            "record": dict(original.record, rev=original.rev + 1, notes=[*original.record["notes"], reply])}
    if writer.startswith("another org"):
        other = make_org(world.hub, world.cli)
        device = other.amina if writer.endswith("champion") else other.coordinator
        reason = hub_records.REVIEW_BY_COORDINATOR if writer.endswith("champion") else hub_records.REVIEW_NO_SUBJECT
    else:
        device, reason = world.device(writer), hub_records.REVIEW_NOT_YOURS
    answer = device.post("/v1/push", json={"batch_id": secrets.token_hex(4), "changes": [edit]}).json()["results"][0]
    assert (answer["status"], answer["reason"]) == ("rejected", reason)
    after = next(r for r in world.device(owner).pull_all()[0] if r.id == world.ids[review])
    assert after.rev == original.rev and after.record == original.record


# --- credentials -----------------------------------------------------------------------------

ENDPOINTS = [("GET", "/v1/me"), ("GET", "/v1/pull"), ("POST", "/v1/push"), ("GET", "/v1/admin/devices"),
             ("GET", "/v1/admin/people"), ("GET", "/v1/admin/export"), ("POST", "/v1/admin/invites")]
BODIES = {"/v1/push": {"batch_id": "x", "changes": []}, "/v1/admin/invites": {"name": "Intruder"}}


@pytest.fixture(scope="module")
def tokens(hub: RunningHub, hub_db: str, db: sa.Engine) -> dict[str, str]:
    """A refused Authorization header of each kind."""
    cli = HubCli(hub_db)
    org = make_org(hub, cli, "Org C")
    cli.run("revoke", org.bilal.enrolment.device_id)
    cli.run("disable-person", org.amina.person_id)
    with db.connect() as conn:
        stored = conn.execute(sa.select(devices.c.token_hash).where(devices.c.id == org.coordinator.enrolment.device_id)).scalar_one()
    return {
        "no header": "",
        "not bearer": f"Basic {org.coordinator.enrolment.token}",
        "empty bearer": "Bearer ",
        "unknown token": f"Bearer {secrets.token_urlsafe(32)}",
        "the stored hash as token": f"Bearer {stored}",
        "a token cut short": f"Bearer {org.coordinator.enrolment.token[:-1]}",
        "revoked device": f"Bearer {org.bilal.enrolment.token}",
        "disabled person": f"Bearer {org.amina.enrolment.token}",
    }


REFUSED = {"no header": "auth_required", "not bearer": "auth_required", "empty bearer": "auth_required",
           "unknown token": "invalid_token", "the stored hash as token": "invalid_token", "a token cut short": "invalid_token",
           "revoked device": "device_revoked", "disabled person": "device_revoked"}


@pytest.mark.parametrize(("method", "path"), ENDPOINTS, ids=[f"{m} {p}" for m, p in ENDPOINTS])
@pytest.mark.parametrize("credential", list(REFUSED))
def test_refused_tokens_on_every_endpoint(hub, tokens, credential, method, path) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": tokens[credential]} if tokens[credential] else {}
    reply = requests.request(method, hub.url(path), headers=headers, json=BODIES.get(path), timeout=30)
    assert reply.status_code == 401
    assert reply.json()["code"] == REFUSED[credential] and reply.json()["message"]


@pytest.mark.parametrize(("method", "path"), [e for e in ENDPOINTS if "/admin/" in e[1]], ids=[f"{m} {p}" for m, p in ENDPOINTS if "/admin/" in p])
@pytest.mark.parametrize("viewer", ["a_amina", "b_amina"])
def test_champions_are_refused_the_coordinator_endpoints(world, viewer, method, path) -> None:  # type: ignore[no-untyped-def]
    device = world.device(viewer)
    reply = requests.request(method, world.hub.url(path), headers=device.headers, json=BODIES.get(path), timeout=30)
    assert (reply.status_code, reply.json()["code"]) == (403, "forbidden")


# --- invite codes ----------------------------------------------------------------------------

CODES = {  # case -> (status, code)
    "wrong": (400, "invalid_code"),
    "not a code": (400, "invalid_code"),
    "used": (400, "code_used"),
    "expired": (400, "code_expired"),
    "for a disabled person": (403, "forbidden"),
}


@pytest.fixture(scope="module")
def codes(hub: RunningHub, hub_db: str) -> dict[str, str]:
    cli = HubCli(hub_db)
    org = make_org(hub, cli, "Org D")
    used = cli.invite(org.id, "Used Once")
    hub.enrol(used)
    disabled = cli.invite(org.id, person=org.bilal.person_id)
    cli.run("disable-person", org.bilal.person_id)
    return {"wrong": "ABCD-EFGH", "not a code": "0O1l-IIII", "used": used,
            "expired": cli.invite(org.id, "Too Late", days=0), "for a disabled person": disabled}


@pytest.mark.parametrize("case", list(CODES))
def test_refused_invite_codes(hub, codes, case) -> None:  # type: ignore[no-untyped-def]
    for _attempt in range(2):  # refused again: a refusal never turns into a success
        reply = requests.post(hub.url("/v1/enrol"), json={"code": codes[case], "device_name": "laptop"}, timeout=30)
        assert (reply.status_code, reply.json()["code"]) == CODES[case]
        assert "token" not in reply.json()
