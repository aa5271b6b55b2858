"""Fixtures: a real hub (uvicorn subprocess) on SQLite, and on PostgreSQL when
CHAMPIONS_TEST_DATABASE_URL names a server; every test gets its own organisation."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from champions.domain.samples import SampleGenerator
from champions.hub.db import make_engine
from champions.hub.testing import PG_ENV, Device, HubCli, RunningHub, fresh_database, start_hub

BACKENDS = [
    "sqlite",
    pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.skipif(
        not os.environ.get(PG_ENV), reason=f"{PG_ENV} is not set: no PostgreSQL server to test against")]),
]
# The shared hub must not throttle the tests' deliberate wrong codes; test_enrol checks throttling on its own hub.
RELAXED = {"CHAMPIONS_HUB_ENROL_IP_LIMIT": "100000", "CHAMPIONS_HUB_ENROL_GLOBAL_LIMIT": "100000"}


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def hub_db(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(tmp_path_factory.mktemp("hubdb"), backend) as url:
        yield url


@pytest.fixture(scope="module")
def hub_cli(hub_db: str) -> HubCli:
    return HubCli(hub_db)


@pytest.fixture(scope="module")
def hub(hub_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningHub]:
    HubCli(hub_db).run("init")
    running = start_hub(hub_db, env=RELAXED, log=tmp_path_factory.mktemp("hublog") / "hub.log")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def db(hub_db: str) -> Iterator[sa.Engine]:
    """Direct access to the hub's database, to check what is stored (never to set up behaviour)."""
    engine = make_engine(hub_db)
    yield engine
    engine.dispose()


@dataclass
class Org:
    id: str
    name: str
    coordinator: Device
    amina: Device
    bilal: Device


def make_org(hub: RunningHub, cli: HubCli, name: str | None = None) -> Org:
    name = name or f"VCS {secrets.token_hex(3)}"
    org_id = cli.create_org(name)
    coordinator = hub.enrol(cli.add_coordinator(org_id, "Cora Coordinator"), "office laptop")
    amina = hub.enrol(cli.invite(org_id, "Amina"), "Amina's laptop")
    bilal = hub.enrol(cli.invite(org_id, "Bilal"), "Bilal's laptop")
    return Org(org_id, name, coordinator, amina, bilal)


@pytest.fixture
def org(hub: RunningHub, hub_cli: HubCli) -> Org:
    return make_org(hub, hub_cli)


@pytest.fixture
def samples() -> SampleGenerator:
    return SampleGenerator(seed=7)


def change(record, rev: int | None = None, base_rev: int | None = None, **fields) -> dict:  # type: ignore[no-untyped-def]
    """A push change for a domain record (optionally edited), as the sync client would send it."""
    body = record.model_dump(mode="json")
    body.update(fields)
    if rev is not None:
        body["rev"] = rev
    return {"kind": body["kind"], "id": body["id"], "rev": body["rev"], "base_rev": base_rev, "record": body}


def tmp_dir(factory: pytest.TempPathFactory, name: str) -> Path:
    return factory.mktemp(name)
