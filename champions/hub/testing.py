"""Helpers to run a real hub in tests (this project's and the sync client's): a uvicorn subprocess
on 127.0.0.1 and a free port, set up through the real ``champions-hub`` command.

    with fresh_database(tmp_path) as url:            # SQLite file, or a new PostgreSQL database
        hub = HubCli(url)
        org_id = hub.create_org("Wirral VCS")
        code = hub.invite(org_id, "Amina")           # "ABCD-EFGH"
        with run_hub(url) as running:                # RunningHub(base_url, process, ...)
            requests.post(running.base_url + "/v1/enrol", json={"code": code})

``fresh_database`` uses PostgreSQL when CHAMPIONS_TEST_DATABASE_URL names a server (the database
name in it is only a prefix), else a SQLite file in the folder given.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import requests
import sqlalchemy as sa

from ..sync import protocol as p
from .db import url_for_data_dir

PG_ENV = "CHAMPIONS_TEST_DATABASE_URL"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def fresh_postgres_database(server_url: str) -> Iterator[str]:
    """CREATE DATABASE with a random name on that server; DROP it afterwards."""
    url = sa.make_url(server_url)
    name = f"{(url.database or 'champions_test')[:30]}_{secrets.token_hex(4)}".lower()
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def fresh_database(folder: Path, backend: str | None = None) -> Iterator[str]:
    """A database URL for a new, empty hub database ("sqlite" or "postgresql"; default by env)."""
    backend = backend or ("postgresql" if os.environ.get(PG_ENV) else "sqlite")
    if backend == "postgresql":
        server = os.environ.get(PG_ENV)
        if not server:
            raise RuntimeError(f"Set {PG_ENV} to a PostgreSQL server URL to test on PostgreSQL.")
        with fresh_postgres_database(server) as url:
            yield url
    else:
        yield url_for_data_dir(Path(folder) / f"hub-{secrets.token_hex(3)}")


@dataclass
class HubCli:
    """The ``champions-hub`` admin commands against one database, run in this process."""

    database_url: str

    def run(self, *args: str) -> str:
        from .cli import main

        out = io.StringIO()
        with redirect_stdout(out):
            code = main([args[0], "--database-url", self.database_url, *args[1:]])
        if code != 0:
            raise RuntimeError(f"champions-hub {' '.join(args)} failed ({code}): {out.getvalue()}")
        return out.getvalue()

    def create_org(self, name: str) -> str:
        return self.run("create-org", name).strip().rsplit(" ", 1)[-1]

    def invite(self, org: str, name: str = "", role: str = "champion", *, person: str | None = None, days: int = 7) -> str:
        who = ["--person", person] if person else ["--name", name]
        return parse_code(self.run("invite", "--org", org, *who, "--role", role, "--days", str(days)))

    def add_coordinator(self, org: str, name: str) -> str:
        """Adds a coordinator; returns the invite code for their first device."""
        return parse_code(self.run("add-coordinator", "--org", org, "--name", name))


def parse_code(output: str) -> str:
    found = re.search(r"Code:\s+(\S+)", output)
    if not found:
        raise ValueError(f"no invite code in: {output!r}")
    return found.group(1)


@dataclass
class RunningHub:
    base_url: str
    process: subprocess.Popen[bytes]
    database_url: str
    port: int
    log: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    own_group: bool = False  # started with start_new_session (start_hub): signals reach its workers too

    def url(self, path: str) -> str:
        return self.base_url + path

    def kill(self) -> None:
        """SIGKILL to the hub and its workers at once: the crash case (no shutdown handlers run)."""
        self._signal_group(signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait(10)
        self._wait_group_gone(10)

    def stop(self) -> None:
        """SIGTERM, then wait until every worker has exited too, so the database is free when this returns.

        With ``--workers N`` the workers are separate processes; a test that restores or wipes the
        database right after ``stop`` must not race one still finishing its last request.
        """
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()
            return
        if not self._wait_group_gone(15):
            self.kill()

    def _signal_group(self, sig: int) -> None:
        try:
            if self.own_group:
                os.killpg(self.process.pid, sig)
            elif self.process.poll() is None:
                self.process.send_signal(sig)
        except ProcessLookupError:
            pass

    def _wait_group_gone(self, timeout: float) -> bool:
        if not self.own_group:
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _group_alive(self.process.pid):
                return True
            time.sleep(0.05)
        return False

    def enrol(self, code: str, device_name: str = "test laptop") -> "Device":
        reply = requests.post(self.url("/v1/enrol"), json={"code": code, "device_name": device_name}, timeout=30)
        reply.raise_for_status()
        return Device(self, p.EnrolResponse.model_validate(reply.json()))


def _group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs; zombies (exited, not yet reaped by a container's
    PID 1 that never reaps) hold no database and count as gone."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # it exited while we looked
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


@dataclass
class Device:
    """An enrolled device talking to a running hub with ``requests``."""

    hub: RunningHub
    enrolment: p.EnrolResponse

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.enrolment.token}", p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}

    @property
    def person_id(self) -> str:
        return self.enrolment.person.id

    def get(self, path: str, **kw: object) -> requests.Response:
        return requests.get(self.hub.url(path), headers=self.headers, timeout=60, **kw)  # type: ignore[arg-type]

    def post(self, path: str, **kw: object) -> requests.Response:
        headers = {**self.headers, **kw.pop("headers", {})}  # type: ignore[dict-item]
        return requests.post(self.hub.url(path), headers=headers, timeout=120, **kw)  # type: ignore[arg-type]

    def push(self, changes: list[dict[str, object]], batch_id: str | None = None) -> p.PushResponse:
        reply = self.post("/v1/push", json={"batch_id": batch_id or secrets.token_hex(8), "changes": changes})
        reply.raise_for_status()
        return p.PushResponse.model_validate(reply.json())

    def pull_all(self, since: int = 0, limit: int = 500) -> tuple[list[p.PulledRecord], int]:
        got: list[p.PulledRecord] = []
        while True:
            reply = self.get("/v1/pull", params={"since": since, "limit": limit})
            reply.raise_for_status()
            page = p.PullResponse.model_validate(reply.json())
            got.extend(page.changes)
            since = page.next_cursor
            if not page.has_more:
                return got, since


def start_hub(database_url: str, *, env: Mapping[str, str] | None = None, workers: int = 1, log: Path | None = None,
              timeout: float = 60) -> RunningHub:
    """Start ``champions-hub serve`` in a subprocess and wait until /v1/health answers."""
    port = free_port()
    full_env = {**os.environ, **(env or {})}
    cmd = [sys.executable, "-m", "champions.hub.cli", "serve", "--database-url", database_url, "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    out = open(log, "ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(cmd, env=full_env, stdout=out, stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
                               start_new_session=True)  # its own group: stop() and kill() reach the workers too
    hub = RunningHub(f"http://127.0.0.1:{port}", process, database_url, port, log, dict(env or {}), own_group=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = log.read_text(errors="replace")[-2000:] if log else ""
            raise RuntimeError(f"the hub exited with {process.returncode} before answering. {detail}")
        try:
            if requests.get(hub.url("/v1/health"), timeout=2).status_code == 200:
                return hub
        except requests.RequestException:
            pass
        time.sleep(0.1)
    hub.kill()
    raise RuntimeError("the hub did not answer within the time allowed")


@contextmanager
def run_hub(database_url: str, **kw: object) -> Iterator[RunningHub]:
    hub = start_hub(database_url, **kw)  # type: ignore[arg-type]
    try:
        yield hub
    finally:
        hub.stop()
