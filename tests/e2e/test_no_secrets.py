"""No device token, and no database key of an encrypted store, reaches the database file, the settings,
the logs, an export, an error or the output of a real crash."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from champions.logs import setup_logging
from champions.sync.errors import HubUnreachable


def files_under(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]


def test_the_token_lives_only_in_the_keyring(hub, laptops, memory_keyring, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)  # everything, including urllib3's connection logging, unredacted
    log_file = setup_logging(logging.DEBUG)
    amina = laptops("Amina")
    [(service, account)] = list(memory_keyring.secrets)
    token = memory_keyring.secrets[(service, account)]
    assert service == "Champions" and account.startswith(amina.identity.device_id + "@127.0.0.1:")
    assert len(token) >= 32

    amina.store.conversations.save(next(amina.samples.conversations(1)))
    amina.sync()
    export = tmp_path / "export.zip"
    amina.engine.export_for_coordinator(export)
    hub.running.kill()  # a failing sync writes its problem to the settings and the log
    with pytest.raises(HubUnreachable) as info:
        amina.sync()
    assert token not in str(info.value) and token not in info.value.detail and token not in repr(info.value)

    settings = amina.store.settings.all()
    assert token not in repr(settings)
    assert settings["sync.identity"]["device_id"] == amina.identity.device_id
    amina.store.close()
    secret = token.encode()
    places = [amina.store.path, export, log_file, *files_under(
        Path(os.environ["CHAMPIONS_CONFIG_DIR"]), Path(os.environ["CHAMPIONS_LOG_DIR"]),
        Path(os.environ["CHAMPIONS_DATA_DIR"]), amina.store.path.parent)]
    checked = [p for p in places if p and Path(p).exists()]
    assert amina.store.path in checked and log_file in checked
    for path in checked:
        assert secret not in Path(path).read_bytes(), f"the token is in {path}"
    assert token not in caplog.text
    assert "sync stopped: HubUnreachable" in caplog.text  # the log did get the failure


def test_no_token_or_database_key_in_crash_output_settings_logs_or_export(hub, tmp_path):
    """An ENCRYPTED store, and a sync that crashes for real (the disk fills mid-push) in its own process."""
    import subprocess
    import sys

    import keyring

    from champions.domain.samples import SampleGenerator
    from champions.store import open_default
    from champions.store.crypto import SERVICE, keyring_username
    from champions.sync.engine import SyncEngine
    from champions.sync.enrolment import enrol

    from .conftest import fast_client
    from .sync_worker import file_keyring
    from .test_sync_flow import hub_records

    keyring_file = tmp_path / "keyring.cfg"
    keyring.set_keyring(file_keyring(str(keyring_file)))  # shared with the crashing process
    store = open_default()  # encrypted, its key made and kept in the keyring as the app does
    key_hex = keyring.get_password(SERVICE, keyring_username(store.path))
    assert key_hex and len(key_hex) == 64
    identity = enrol(store, hub.url, hub.cli.invite(hub.org_id, "Amina"))
    token = keyring.get_password("Champions", f"{identity.device_id}@127.0.0.1:{hub.running.port}")
    assert token and len(token) >= 32
    store.conversations.save_many(list(SampleGenerator(seed=9, reference=store.reference).conversations(60)))
    db_path = store.path
    store.close()

    ROOT = Path(__file__).resolve().parents[2]
    crashed = subprocess.run([sys.executable, "-m", "tests.e2e.crash_worker", str(keyring_file), str(160_000)],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    err = crashed.stderr
    # it really crashed, mid-sync: an uncaught traceback, the controller's crash report, part of the push on the hub
    assert crashed.returncode == 1, err[-3000:]
    assert "Traceback (most recent call last)" in err and ("disk is full" in err or "disk I/O error" in err), err[-3000:]
    assert "controller: ['OperationalError']" in err, err[-3000:]
    arrived = len(hub_records(hub))
    assert 0 < arrived < 60, arrived

    # the laptop recovers once there is room again, and everything reaches the hub once
    store = open_default()
    engine = SyncEngine(store, client_factory=fast_client)
    engine.run_once()
    export = tmp_path / "export.zip"
    store.conversations.save(next(SampleGenerator(seed=10, reference=store.reference).conversations(1)))
    assert engine.export_for_coordinator(export) == 1
    engine.close()
    settings = store.settings.all()
    store.close()
    assert len(hub_records(hub)) == 60

    raw_key = bytes.fromhex(key_hex)
    log_dir = Path(os.environ["CHAMPIONS_LOG_DIR"])
    logs = files_under(log_dir)
    assert logs and any("sync crashed" in p.read_text(errors="replace") for p in logs)  # the log got the crash
    for text, where in ((err, "crash output"), (crashed.stdout, "stdout"), (repr(settings), "settings")):
        for secret, name in ((token, "token"), (key_hex, "database key"), (key_hex.upper(), "database key")):
            assert secret not in text, f"the {name} is in the {where}"
    for path in [export, db_path, *logs, *files_under(Path(os.environ["CHAMPIONS_CONFIG_DIR"]))]:
        data = Path(path).read_bytes()
        for secret, name in ((token.encode(), "token"), (key_hex.encode(), "database key"),
                             (key_hex.upper().encode(), "database key"), (raw_key, "raw database key")):
            assert secret not in data, f"the {name} is in {path}"
