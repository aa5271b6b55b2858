"""No device token reaches the database file, the settings, the logs, an export or an error."""

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
