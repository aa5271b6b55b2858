"""``champions-hub backup`` and ``restore`` as IT would run them: real subprocesses against a real hub.

The main test backs up while another thread keeps pushing, wipes the data folder, restores, starts
the hub again and finds everything: records once each, devices still signed in with their tokens
(the revoked one still refused), the audit log, and pushes still idempotent across the restore.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from champions.domain.samples import SampleGenerator
from champions.hub.backup import in_use, known_revisions
from champions.hub.db import DB_FILE, url_for_data_dir
from champions.hub.testing import HubCli, free_port, run_hub

from .conftest import change


def hub_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "champions.hub.cli", *args], capture_output=True, text=True, timeout=180)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in a folder with its SHA-256: to show a refused restore changed nothing."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def rows(path: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


AUDIT = "SELECT pk, at, org_id, person_id, device_id, action, source, detail FROM audit_log ORDER BY pk"


def test_backup_while_pushing_then_wipe_restore_and_find_everything(tmp_path: Path) -> None:
    gen = SampleGenerator(seed=11)
    data = tmp_path / "hub-data"
    url = url_for_data_dir(data)
    cli = HubCli(url)
    org_id = cli.create_org("Backup VCS")
    codes = {"cora": cli.add_coordinator(org_id, "Cora"), "amina": cli.invite(org_id, "Amina"),
             "bilal": cli.invite(org_id, "Bilal"), "lost": cli.invite(org_id, "Lost Laptop")}
    backup_file = tmp_path / "backups" / "nightly.sqlite3"
    backup_file.parent.mkdir()

    with run_hub(url, workers=2, log=tmp_path / "hub.log") as hub:
        devices = {name: hub.enrol(code, f"{name}'s laptop") for name, code in codes.items()}
        cli.run("revoke", devices["lost"].enrolment.device_id)
        first = [change(gen.conversation()) for _ in range(300)]
        for i in range(0, 300, 100):
            assert {r.status for r in devices["amina"].push(first[i:i + 100]).results} == {"accepted"}

        # Bilal keeps pushing batches of 25 while the backup runs; each batch is one transaction.
        sent: list[tuple[float, float, list[str]]] = []  # (started, answered, ids)
        failures: list[str] = []
        stop = threading.Event()

        def keep_pushing() -> None:
            while not stop.is_set():
                batch = [change(gen.conversation()) for _ in range(25)]
                started = time.monotonic()
                try:
                    reply = devices["bilal"].push(batch)
                except Exception as error:  # noqa: BLE001 - reported by the assertion below
                    failures.append(repr(error))
                    return
                if {r.status for r in reply.results} != {"accepted"}:
                    failures.append(str(reply))
                sent.append((started, time.monotonic(), [c["id"] for c in batch]))

        pusher = threading.Thread(target=keep_pushing)
        pusher.start()
        try:
            while len(sent) < 3 and not failures:
                time.sleep(0.05)
            began = time.monotonic()
            done = hub_command("backup", "--data-dir", str(data), str(backup_file))
            ended = time.monotonic()
            answered_during = sum(began < answered < ended for _, answered, _ in sent)
            while len(sent) < answered_during + 3 + 2 and not failures:  # a few more after the backup
                time.sleep(0.05)
        finally:
            stop.set()
            pusher.join(120)
        assert failures == [] and done.returncode == 0, (failures, done.stderr)
        _, cursor_after_backup = devices["cora"].pull_all()  # ahead of the backup's change counter
        newest = next(rev for rev, n in known_revisions().items() if n == 0)
        assert "Backed up the hub database" in done.stdout and f"Schema version: {newest}" in done.stdout

    # The backup is one instant of the database: whole batches only, and every batch answered before it began.
    in_backup = {r[0] for r in rows(backup_file, f"SELECT id FROM records WHERE org_id = '{org_id}' AND kind = 'conversation'")}
    for started, answered, ids in sent:
        present = {i in in_backup for i in ids}
        assert len(present) == 1, "a push batch was torn by the backup"
        if answered < began:
            assert present == {True}
        if started > ended:
            assert present == {False}
    assert {c["id"] for c in first} <= in_backup
    assert len(in_backup) < 300 + 25 * len(sent), "pushes after the backup ended must not be in it"
    last_seq, max_seq = rows(backup_file, f"SELECT o.last_seq, (SELECT max(seq) FROM records r WHERE r.org_id = o.id) FROM orgs o WHERE o.id = '{org_id}'")[0]
    assert last_seq == max_seq
    manifest = json.loads(backup_file.with_name(backup_file.name + ".json").read_text())
    assert manifest["counts"]["records"] == rows(backup_file, "SELECT count(*) FROM records")[0][0]
    assert manifest["sha256"] == hashlib.sha256(backup_file.read_bytes()).hexdigest()
    assert not [p for p in backup_file.parent.iterdir() if "partial" in p.name]
    audit_in_backup = rows(backup_file, AUDIT)
    assert {"create_org", "add_person", "invite", "enrol", "revoke"} <= {a[5] for a in audit_in_backup}

    def new_change_reaches_a_laptop_that_synced_after_the_backup() -> None:
        fresh = change(gen.conversation())
        assert [r.status for r in devices["amina"].push([fresh]).results] == ["accepted"]
        seen, _ = devices["cora"].pull_all(since=cursor_after_backup)
        assert [r.id for r in seen] == [fresh["id"]]

    # Restored over the newer database (kept aside): change counters continue from it.
    over = hub_command("restore", "--force", "--data-dir", str(data), str(backup_file))
    assert over.returncode == 0 and "continue from the replaced database" in over.stdout, over.stderr
    with run_hub(url, log=tmp_path / "hub2.log") as hub:
        for device in devices.values():
            device.hub = hub
        new_change_reaches_a_laptop_that_synced_after_the_backup()

    shutil.rmtree(data)
    restored = hub_command("restore", "--data-dir", str(data), str(backup_file))
    assert restored.returncode == 0, restored.stderr
    assert "moved 1,000,000,000 ahead" in restored.stdout
    assert sorted(p.name for p in data.iterdir()) == [DB_FILE]

    with run_hub(url, log=tmp_path / "hub3.log") as hub:
        for device in devices.values():
            device.hub = hub  # same tokens, new process
        new_change_reaches_a_laptop_that_synced_after_the_backup()
        got, _ = devices["cora"].pull_all()
        conversations = [r.id for r in got if r.kind == "conversation"]
        assert sorted(conversations[:-1]) == sorted(in_backup), "every record back, each once (and the new one)"
        mine, _ = devices["amina"].pull_all()
        assert {c["id"] for c in first} <= {r.id for r in mine}
        assert devices["bilal"].get("/v1/pull", params={"since": 0, "limit": 1}).status_code == 200
        assert devices["lost"].get("/v1/pull", params={"since": 0, "limit": 1}).status_code == 401, "a revoked laptop stays revoked"
        # Pushes stay idempotent across the restore: what the backup holds is a duplicate, not a second copy.
        assert {r.status for r in devices["amina"].push(first[:100]).results} == {"duplicate"}
    db = data / DB_FILE
    audit_now = rows(db, AUDIT)
    assert audit_now[:len(audit_in_backup)] == audit_in_backup and audit_now[len(audit_in_backup)][5] == "restore"
    assert rows(db, "SELECT count(*), count(DISTINCT org_id || record_id || '/' || rev) FROM record_revisions")[0] == \
        (manifest["counts"]["record_revisions"] + 1,) * 2


@pytest.fixture
def good_backup(tmp_path: Path) -> Path:
    data = tmp_path / "source"
    assert hub_command("create-org", "--data-dir", str(data), "Source VCS").returncode == 0
    assert hub_command("backup", "--data-dir", str(data), str(tmp_path / "good.sqlite3")).returncode == 0
    return tmp_path / "good.sqlite3"


@pytest.fixture
def live(tmp_path: Path) -> Path:
    """A hub data folder with a database in it (one organisation), made by another process and not in use."""
    data = tmp_path / "live"
    assert hub_command("create-org", "--data-dir", str(data), "Live VCS").returncode == 0
    return data


def org_names(db: Path) -> list[str]:
    return [r[0] for r in rows(db, "SELECT name FROM orgs ORDER BY name")]


def _damaged_truncated(src: Path, out: Path) -> None:
    out.write_bytes(src.read_bytes()[: src.stat().st_size // 3])


def _damaged_in_transit(src: Path, out: Path) -> None:
    """Bytes changed inside a record's text: the file still opens, only the checksum knows."""
    raw = bytearray(src.read_bytes())
    at = raw.find(b"Source VCS")
    raw[at:at + 6] = b"XXXXXX"
    out.write_bytes(bytes(raw))
    shutil.copy(src.with_name(src.name + ".json"), out.with_name(out.name + ".json"))


def _foreign_sqlite(_src: Path, out: Path) -> None:
    conn = sqlite3.connect(out)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()


def _newer_schema(src: Path, out: Path) -> None:
    shutil.copy(src, out)
    conn = sqlite3.connect(out)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()


def _text_file(_src: Path, out: Path) -> None:
    out.write_text("orgs,records\n1,2\n")


@pytest.mark.parametrize(("make", "says"), [
    (_damaged_truncated, "damaged"),
    (_damaged_in_transit, "does not match its manifest's checksum"),
    (_foreign_sqlite, "not a Champions hub database"),
    (_newer_schema, "which this hub (0.1.0) does not know"),
    (_text_file, "not a readable SQLite database"),
], ids=["truncated", "changed-in-transit", "foreign-sqlite", "newer-schema", "text-file"])
def test_restore_refuses_a_damaged_or_foreign_file_and_changes_nothing(make, says, good_backup, live, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.sqlite3"
    make(good_backup, bad)
    before = snapshot(live)
    result = hub_command("restore", "--force", "--data-dir", str(live), str(bad))
    assert result.returncode == 2
    assert says in result.stderr, result.stderr
    assert snapshot(live) == before


@pytest.mark.parametrize("workers", [1, 2])
def test_restore_refuses_while_a_hub_has_the_database_open(workers, good_backup, live, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """One worker, and two as the systemd unit in docs/deploy runs it."""
    with run_hub(url_for_data_dir(live), workers=workers, log=tmp_path / "hub.log") as hub:
        result = hub_command("restore", "--force", "--data-dir", str(live), str(good_backup))
        assert result.returncode == 2 and "open in another program" in result.stderr and "Stop the hub first" in result.stderr
        assert [p.name for p in live.iterdir() if "before-restore" in p.name or "partial" in p.name] == []
        assert org_names(live / DB_FILE) == ["Live VCS"]
        assert hub.process.poll() is None and requests.get(hub.url("/v1/health"), timeout=10).status_code == 200
    # Stopped: the same command now works, and keeps the replaced database whole, beside it.
    result = hub_command("restore", "--force", "--data-dir", str(live), str(good_backup))
    assert result.returncode == 0, result.stderr
    assert org_names(live / DB_FILE) == ["Source VCS"]
    kept = [p for p in live.iterdir() if re.fullmatch(re.escape(DB_FILE) + r"\.before-restore-\d{8}T\d{6}Z", p.name)]
    assert len(kept) == 1 and f"The previous file is kept as {kept[0]}" in result.stdout
    assert org_names(kept[0]) == ["Live VCS"]


def test_a_serving_hub_holds_its_database_open_before_any_request(live, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Workers open the database on their first request; ``serve`` itself holds it from the start,
    so restore refuses even a hub nobody has talked to yet."""
    db = live / DB_FILE
    assert not in_use(db)
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")
    serve = subprocess.Popen([sys.executable, "-m", "champions.hub.cli", "serve", "--data-dir", str(live), "--workers", "2",
                              "--port", str(port), "--log-level", "warning"], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:  # listening (migrations done, workers starting), yet no HTTP request made
            assert serve.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1)
        assert in_use(db)
    finally:
        serve.terminate()
        serve.wait(30)
        log.close()
    assert not in_use(db)


def test_restore_asks_for_force_before_replacing_a_database(good_backup, live) -> None:  # type: ignore[no-untyped-def]
    result = hub_command("restore", "--data-dir", str(live), str(good_backup))
    assert result.returncode == 2 and "Add --force to replace it" in result.stderr
    assert org_names(live / DB_FILE) == ["Live VCS"]
    assert [p.name for p in live.iterdir() if "before-restore" in p.name or "partial" in p.name] == []


def test_backup_never_overwrites_by_accident_and_dates_files_in_a_folder(good_backup, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "source"
    before = good_backup.read_bytes()
    result = hub_command("backup", "--data-dir", str(source), str(good_backup))
    assert result.returncode == 2 and "already exists" in result.stderr and good_backup.read_bytes() == before
    folder = tmp_path / "dated"
    folder.mkdir()
    assert hub_command("backup", "--data-dir", str(source), str(folder)).returncode == 0
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and names[0].startswith("hub-backup-") and names[1] == names[0] + ".json"
    missing = hub_command("backup", "--data-dir", str(tmp_path / "nothing-here"), str(tmp_path / "x.sqlite3"))
    assert missing.returncode == 2 and "There is no hub database" in missing.stderr and not (tmp_path / "x.sqlite3").exists()


def test_postgresql_gets_the_pg_dump_route_in_plain_words(tmp_path: Path) -> None:
    url = "postgresql+psycopg://champions:s3cret@db.example.org:5432/champions"
    for command, target in (("backup", tmp_path / "hub.dump"), ("restore", tmp_path / "hub.dump")):
        if command == "restore":
            target.write_bytes(b"PGDMP")
        result = hub_command(command, "--database-url", url, str(target))
        assert result.returncode == 2
        assert f"pg_dump --format=custom --file={target} postgresql://champions@db.example.org:5432/champions" in result.stderr
        assert "pg_restore --clean --if-exists --no-owner --single-transaction" in result.stderr
        assert "s3cret" not in result.stderr
    assert not (tmp_path / "hub.dump.json").exists()


def test_an_older_hub_refuses_a_newer_database_in_plain_words(good_backup, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """After an upgrade someone rolls the hub back: it must say so, not print a traceback."""
    data = tmp_path / "upgraded"
    data.mkdir()
    _newer_schema(good_backup, data / DB_FILE)
    for command in (["orgs"], ["serve", "--port", str(free_port())]):
        result = hub_command(*command, "--data-dir", str(data))
        assert result.returncode == 3 and "Traceback" not in result.stderr
        assert "9999_from_the_future" in result.stderr and "install that version or newer" in result.stderr


@pytest.mark.postgres
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="no pg_dump here")
def test_the_documented_pg_dump_route_round_trips(tmp_path: Path) -> None:
    """The commands the CLI prints, run as printed, against a real PostgreSQL hub database."""
    import os

    from champions.hub.testing import PG_ENV, fresh_postgres_database

    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against")
    with fresh_postgres_database(server) as url:
        cli = HubCli(url)
        cli.create_org("Postgres VCS")
        advice = hub_command("backup", "--database-url", url, str(tmp_path / "hub.dump")).stderr
        dump = next(line.strip() for line in advice.splitlines() if line.strip().startswith("pg_dump "))
        restore = next(line.strip() for line in advice.splitlines() if line.strip().startswith("pg_restore "))
        subprocess.run(dump, shell=True, check=True, timeout=120)
        cli.create_org("Added after the dump")
        subprocess.run(restore, shell=True, check=True, timeout=120)
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT name FROM orgs").scalars().all() == ["Postgres VCS"]
        engine.dispose()
