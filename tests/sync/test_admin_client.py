"""The coordinator's calls on the HTTP client (devices, people, invite, revoke) against a real hub."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from champions.hub.testing import HubCli, RunningHub, fresh_database, run_hub
from champions.sync import protocol as p
from champions.sync.client import HubClient
from champions.sync.errors import DeviceRevoked, EnrolmentRefused, HubUnreachable, ServerRejected

FAST = {"timeout": (5.0, 30.0), "backoff": 0.05}


@dataclass
class Org:
    cli: HubCli
    running: RunningHub
    org_id: str

    def client(self, token: str | None = None) -> HubClient:
        return HubClient(self.running.base_url, token, **FAST)

    def enrol(self, code: str, device_name: str) -> p.EnrolResponse:
        with self.client() as client:
            return client.enrol(code, device_name)


@pytest.fixture
def org(tmp_path: Path) -> Iterator[Org]:
    with fresh_database(tmp_path, "sqlite") as url:
        cli = HubCli(url)
        org_id = cli.create_org("Wirral Community Voice")
        with run_hub(url, log=tmp_path / "hub.log") as running:
            yield Org(cli, running, org_id)


def test_coordinator_lists_people_and_devices_with_last_sync(org: Org) -> None:
    chloe = org.enrol(org.cli.add_coordinator(org.org_id, "Chloe"), "Office laptop")
    amina = org.enrol(org.cli.invite(org.org_id, "Amina"), "Amina's laptop")
    with org.client(amina.token) as client:
        client.pull(0)  # Amina syncs once: her device gets a last pull time
    with org.client(chloe.token) as client:
        people = client.people().people
        devices = {d.name: d for d in client.devices().devices}
    assert [(x.name, x.role) for x in people] == [("Amina", "champion"), ("Chloe", "coordinator")]
    assert set(devices) == {"Office laptop", "Amina's laptop"}
    laptop = devices["Amina's laptop"]
    assert (laptop.id, laptop.person.name, laptop.person.role) == (amina.device_id, "Amina", "champion")
    assert laptop.revoked_at is None and laptop.last_pull_at is not None
    pulled = datetime.fromisoformat(laptop.last_pull_at)
    assert abs(datetime.now(timezone.utc) - pulled) < timedelta(minutes=2)
    assert devices["Office laptop"].last_push_at is None


def test_invite_makes_a_code_that_enrols_once(org: Org) -> None:
    chloe = org.enrol(org.cli.add_coordinator(org.org_id, "Chloe"), "Office laptop")
    with org.client(chloe.token) as client:
        invite = client.invite("champion", "  Ben\x07 ", days=3)
        coordinator_invite = client.invite("coordinator", "Dana")
    assert (invite.person_name, invite.role, invite.hub_url) == ("Ben", "champion", org.running.base_url)
    assert len(invite.code) == 9 and invite.code[4] == "-"
    expires = datetime.fromisoformat(invite.expires_at)
    assert timedelta(days=2, hours=23) < expires - datetime.now(timezone.utc) <= timedelta(days=3)
    ben = org.enrol(invite.code, "Ben's laptop")
    assert (ben.person.name, ben.person.role) == ("Ben", "champion")
    with pytest.raises(EnrolmentRefused):
        org.enrol(invite.code, "someone else's laptop")
    assert org.enrol(coordinator_invite.code, "Dana's laptop").person.role == "coordinator"

    # a second laptop for a person already there keeps their name and role
    with org.client(chloe.token) as client:
        again = client.invite(person_id=ben.person.id)
    assert (again.person_name, again.role) == ("Ben", "champion")
    second = org.enrol(again.code, "Ben's new laptop")
    assert second.person.id == ben.person.id and second.device_id != ben.device_id


def test_invite_without_a_name_is_refused_in_the_hubs_words(org: Org) -> None:
    chloe = org.enrol(org.cli.add_coordinator(org.org_id, "Chloe"), "Office laptop")
    with org.client(chloe.token) as client, pytest.raises(ServerRejected) as info:
        client.invite("champion", "   ")
    assert info.value.status == 422 and info.value.code == p.ERR_INVALID_REQUEST
    assert str(info.value) == "Give the name of the person the invite is for."


def test_a_champions_token_is_forbidden_the_coordinators_calls(org: Org) -> None:
    code = org.cli.invite(org.org_id, "Amina")
    amina = org.enrol(code, "Amina's laptop")
    with org.client(amina.token) as client:
        for call in (client.devices, client.people, lambda: client.invite("champion", "Ben"),
                     lambda: client.revoke(amina.device_id)):
            with pytest.raises(ServerRejected) as info:
                call()
            assert (info.value.status, info.value.code) == (403, p.ERR_FORBIDDEN)
            assert str(info.value) == "Only a coordinator or admin can do this."
        assert client.me().person.name == "Amina"  # and nothing was revoked


def test_revoke_stops_that_device_at_its_next_call(org: Org) -> None:
    chloe = org.enrol(org.cli.add_coordinator(org.org_id, "Chloe"), "Office laptop")
    amina = org.enrol(org.cli.invite(org.org_id, "Amina"), "Amina's laptop")
    ben = org.enrol(org.cli.invite(org.org_id, "Ben"), "Ben's laptop")
    with org.client(amina.token) as client:
        assert client.pull(0).next_cursor >= 0
    with org.client(chloe.token) as client:
        answer = client.revoke(amina.device_id)
        assert answer.device_id == amina.device_id
        assert client.revoke(amina.device_id).revoked_at == answer.revoked_at  # idempotent
        listed = {d.id: d for d in client.devices().devices}
        with pytest.raises(ServerRejected) as missing:
            client.revoke("no-such-device")
    assert listed[amina.device_id].revoked_at == answer.revoked_at
    assert listed[ben.device_id].revoked_at is None
    assert (missing.value.status, missing.value.code) == (404, p.ERR_NOT_FOUND)
    with org.client(amina.token) as client, pytest.raises(DeviceRevoked) as info:
        client.pull(0)
    assert str(info.value).startswith("This laptop can no longer sync")
    with org.client(ben.token) as client:
        assert client.me().person.name == "Ben"  # only that device


def test_admin_calls_without_a_hub_are_unreachable_in_plain_words(org: Org) -> None:
    chloe = org.enrol(org.cli.add_coordinator(org.org_id, "Chloe"), "Office laptop")
    org.running.stop()
    client = HubClient(org.running.base_url, chloe.token, retries=0, **FAST)
    for call in (client.devices, client.people, lambda: client.invite("champion", "Ben"),
                 lambda: client.revoke(chloe.device_id)):
        with pytest.raises(HubUnreachable) as info:
            call()
        assert str(info.value).startswith("Champions cannot reach the hub right now")
    client.close()
