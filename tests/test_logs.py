"""No token, key or personal data reaches a log file; diagnostics bundle logs and versions."""

from __future__ import annotations

import logging
import os
import secrets
import zipfile
from pathlib import Path

import pytest

from champions import diagnostics, logs


@pytest.fixture
def log_file() -> Path:
    path = logs.setup_logging()
    assert path is not None
    yield path
    logs.setup_logging()  # a fresh handler for the next test; the old file is closed


def read_log(path: Path) -> str:
    for handler in logging.getLogger("champions").handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_log_file_lives_in_the_log_folder(log_file: Path) -> None:
    assert log_file == Path(os.environ["CHAMPIONS_LOG_DIR"]) / "champions.log"


def test_secrets_and_personal_data_never_reach_the_log_file(log_file: Path) -> None:
    token = secrets.token_urlsafe(32)
    hex_key = secrets.token_hex(32)
    record_id = "01932f3a-0123-7456-8789-012345678901"
    log = logging.getLogger("champions.sync.client")

    log.info("push with header Authorization: Bearer %s", token)
    log.info("opened store with key %s", hex_key)
    log.info("device_token=%s enrolled", secrets.token_hex(16))
    log.warning("hub said: resident phone 07700 900123, email jo.bloggs@example.org, lives at CH41 2AB")
    log.warning("proxy http://it:hunter2@proxy.example:3128 refused")
    log.info("saved conversation %s rev 3", record_id)
    try:
        raise ValueError(f"bad token {token} for jo.bloggs@example.org")
    except ValueError:
        log.exception("push failed for %s", record_id)

    text = read_log(log_file)

    for secret in (token, hex_key, "07700 900123", "jo.bloggs@example.org", "CH41 2AB", "hunter2"):
        assert secret not in text
    assert text.count(record_id) == 2  # ids are what we do log
    assert "Bearer [token]" in text
    assert "key [hex]" in text
    assert "device_token=[secret]" in text
    assert "resident phone [phone], email [email], lives at [postcode]" in text
    assert "ValueError: bad token [token] for [email]" in text


def test_log_rotates_instead_of_growing(log_file: Path) -> None:
    log = logging.getLogger("champions.store")
    for i in range(logs.MAX_BYTES // 80 + 2000):
        log.info("saved %d records in batch %d of the generator run", 100, i)
    names = sorted(p.name for p in logs.log_files())
    assert names[:2] == ["champions.log", "champions.log.1"]
    assert all(p.stat().st_size <= logs.MAX_BYTES for p in logs.log_files())


def test_diagnostics_zip_has_logs_versions_and_settings_without_secrets(
    log_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAMPIONS_PROXY", "http://it:hunter2@proxy.example:3128")
    logging.getLogger("champions.ui").info("window shown")
    read_log(log_file)

    path = diagnostics.build_diagnostics_zip(tmp_path / "diag.zip", extra={"Qt (running)": "6.x"})

    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["logs/champions.log", "settings.txt", "versions.txt"]
        versions = zf.read("versions.txt").decode()
        settings = zf.read("settings.txt").decode()
        log_text = zf.read("logs/champions.log").decode()
    import champions

    assert f"Champions: {champions.__version__}\n" in versions
    assert "Python: 3." in versions and "PySide6-Essentials: 6." in versions and "Qt (running): 6.x" in versions
    assert "proxy" in settings and "hunter2" not in settings
    assert "window shown" in log_text
