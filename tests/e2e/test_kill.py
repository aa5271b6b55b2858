"""Crash safety with real processes: the syncing laptop SIGKILLed again and again, and the hub too.

Afterwards the laptop and the hub agree record for record: nothing lost, nothing duplicated.
"""

from __future__ import annotations

import pytest

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import keyring
import requests

from champions.hub.testing import RunningHub
from champions.store import Store
from champions.sync.enrolment import enrol

from .conftest import fast_client
from .sync_worker import file_keyring
from .test_sync_flow import hub_records

ROOT = Path(__file__).resolve().parents[2]


def worker(db: Path, keyring_file: Path, seed: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.sync_worker", str(db), str(keyring_file), str(seed), *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for_line(process: subprocess.Popen[str], word: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()  # type: ignore[union-attr]
        if line.strip() == word:
            return
        if not line and process.poll() is not None:
            raise AssertionError(f"worker exited ({process.returncode}) before {word!r}: {process.stderr.read()}")  # type: ignore[union-attr]
    raise AssertionError(f"worker never said {word!r}")


def enrolled_laptop(tmp_path: Path, hub, name: str) -> tuple[Path, Path]:
    """Enrol a laptop whose token is in a file keyring that its worker processes can read."""
    keyring_file = tmp_path / f"{name}-keyring.cfg"
    keyring.set_keyring(file_keyring(str(keyring_file)))
    db = tmp_path / f"{name}.db"
    store = Store.open(db, None)
    enrol(store, hub.url, hub.cli.invite(hub.org_id, name))
    store.close()
    return db, keyring_file


def assert_converged(hub, db: Path) -> None:
    """Finish syncing in this process, then compare the laptop and the hub record by record."""
    from champions.sync.engine import SyncEngine

    store = Store.open(db, None)
    try:
        engine = SyncEngine(store, client_factory=fast_client)
        engine.run_once()
        engine.close()
        assert store.unsynced_count() == 0
        states = {e.state for rid in store.conversations.ids(None) for e in store.outbox.entries(rid)}
        assert states <= {"synced"}, states
        local = {r.id: r for r in (store.conversations.get(i) for i in _all_ids(store))}
        on_hub = hub_records(hub)  # fails on a duplicated id
        assert set(on_hub) == set(local), (len(on_hub), len(local))
        for record_id, record in local.items():
            body = on_hub[record_id]
            assert (body["rev"], body["deleted"], body["notes"], body["people_reached"]) == (
                record.rev, record.deleted, record.notes, record.people_reached), record_id
        # every saved revision reached the hub exactly once, counted on the hub's side
        entries = [e for i in local for e in store.outbox.entries(i)]
        assert len({(e.record_id, e.rev) for e in entries}) == len(entries)
        revisions = hub_revisions(hub)
        assert sorted(revisions) == sorted((e.record_id, e.rev) for e in entries)  # no extra, none missing, none twice
        assert hub_scalar(hub, "SELECT count(*) FROM conflicts") == 0  # no resent batch was taken for a conflict
    finally:
        store.close()


def hub_database(hub) -> Path:
    url = hub.running.database_url
    assert url.startswith("sqlite:///"), url  # the e2e hub runs on SQLite, as the issue asks
    return Path(url.removeprefix("sqlite:///"))


def hub_scalar(hub, sql: str) -> int:
    """One number straight from the hub's database file (read-only; the hub may be dead or running)."""
    with contextlib.closing(sqlite3.connect(f"file:{hub_database(hub)}?mode=ro", uri=True, timeout=10)) as conn:
        return int(conn.execute(sql).fetchone()[0])


def hub_revisions(hub) -> list[tuple[str, int]]:
    """Every (record id, rev) the hub stored, one row per stored revision: a duplicate shows twice."""
    with contextlib.closing(sqlite3.connect(f"file:{hub_database(hub)}?mode=ro", uri=True, timeout=10)) as conn:
        return [(r, v) for r, v in conn.execute("SELECT record_id, rev FROM record_revisions WHERE kind = 'conversation'")]


def _all_ids(store: Store) -> list[str]:
    return [row[0] for row in store._conn.execute("SELECT id FROM conversation")]


def time_one_sync(db: Path, keyring_file: Path, seed: int) -> float:
    """How long a worker takes from "ready" to done on this machine now, so kills land within it."""
    process = worker(db, keyring_file, seed, "--new", "6", "--batch", "3")
    try:
        wait_for_line(process, "ready")
        started = time.monotonic()
        assert process.wait(60) == 0
        return time.monotonic() - started
    finally:
        process.stdout.close()  # type: ignore[union-attr]
        process.stderr.close()  # type: ignore[union-attr]


def test_laptop_killed_at_random_points_during_sync_50_times(hub, tmp_path):
    db, keyring_file = enrolled_laptop(tmp_path, hub, "amina")
    rng = random.Random(5)
    # Kill at a random moment of a whole run, however fast or loaded the machine is (a fixed window
    # missed the run on a quick idle machine, and was all startup on a loaded one).
    window = time_one_sync(db, keyring_file, 1000)
    kills = seed = mid_push = 0
    while kills < 50:
        seed += 1
        assert seed < 150, "the worker keeps finishing before it can be killed"
        process = worker(db, keyring_file, seed, "--new", "6", "--batch", "3")
        try:
            wait_for_line(process, "ready")
            time.sleep(rng.uniform(0.0, window * 0.9))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(30)
                kills += 1
                mid_push += cut_off_mid_push(db)
        finally:
            process.wait(30)
            process.stdout.close()  # type: ignore[union-attr]
            process.stderr.close()  # type: ignore[union-attr]
    assert mid_push >= 5  # many kills landed between "sending" and the hub's answer being stored
    assert_converged(hub, db)


def cut_off_mid_push(db: Path) -> int:
    """1 if the killed laptop left changes marked as on their way (killed mid-push)."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return int(conn.execute("SELECT count(*) FROM outbox WHERE state = 'sending'").fetchone()[0] > 0)


def restart_hub(old: RunningHub) -> RunningHub:
    """The same hub (database and port) started again after a crash."""
    cmd = [sys.executable, "-m", "champions.hub.cli", "serve", "--database-url", old.database_url, "--host", "127.0.0.1",
           "--port", str(old.port), "--workers", "1", "--log-level", "warning"]
    process = subprocess.Popen(cmd, env={**os.environ, **old.env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hub = RunningHub(old.base_url, process, old.database_url, old.port, None, old.env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(hub.url("/v1/health"), timeout=2).status_code == 200:
                return hub
        except requests.RequestException:
            time.sleep(0.1)
    raise AssertionError("the hub did not come back")


def test_hub_killed_and_restarted_mid_sync(hub, tmp_path):
    db, keyring_file = enrolled_laptop(tmp_path, hub, "bilal")
    per_round, rounds = 300, 4
    for round_ in range(rounds):
        before = hub_scalar(hub, "SELECT count(*) FROM record_revisions")
        process = worker(db, keyring_file, 100 + round_, "--new", str(per_round), "--batch", "10")
        try:
            wait_for_line(process, "saved")
            # kill the hub once it has taken part of this round's pushes: really mid-push
            deadline = time.monotonic() + 60
            while hub_scalar(hub, "SELECT count(*) FROM record_revisions") < before + 10 + round_ * 20:
                assert time.monotonic() < deadline, "the laptop never started pushing"
                time.sleep(0.005)
            hub.running.kill()  # SIGKILL the hub while the laptop pushes
            landed = hub_scalar(hub, "SELECT count(*) FROM record_revisions") - before
            assert 10 <= landed < per_round, f"the kill did not land mid-push ({landed} of {per_round} had arrived)"
            time.sleep(0.3)
            hub.running = restart_hub(hub.running)
            wait_for_line(process, "synced", timeout=90)  # the laptop retries by itself and finishes
            assert process.wait(30) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(10)
            process.stdout.close()  # type: ignore[union-attr]
            process.stderr.close()  # type: ignore[union-attr]
    assert_converged(hub, db)
    assert len(hub_records(hub)) == per_round * rounds
