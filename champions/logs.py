"""Rotating log files that IT can read and that never hold a token, a key or personal data.

By convention the app logs ids and counts, never a record's free text. As a second line of
defence every line passes through :func:`redact` before it is written: bearer tokens,
``key=value`` secrets, long hex or token-like strings and anything the domain's
personal-data check spots (phone numbers, emails, full postcodes, NHS numbers) are replaced.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path

from champions.domain.personal_data import find_personal_data

APP_NAME = "Champions"
LOG_FILE = "champions.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"

_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
_SECRET_PAIR = re.compile(
    r"(?i)\b([\w-]*(?:token|secret|password|passwd|api[_-]?key|key|invite(?:_code)?|authorization|cookie))"
    r"(\"?'?\s*[:=]\s*\"?'?)(?!\[|bearer\b|basic\b)([^\s\"',;&}]+)"
)
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]+):[^@\s/]+@")
_HEX = re.compile(r"(?<![0-9A-Fa-f-])(?:0x)?[0-9A-Fa-f]{32,}(?![0-9A-Fa-f-])")
# Long opaque strings (base64, token_urlsafe) with both letters and digits.
_OPAQUE = re.compile(r"(?<![\w/.-])(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}={0,2}(?![\w/.-])")


_UUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")


def redact(text: str) -> str:
    """Replace anything that looks like a secret or personal data with a marker.

    Record ids (UUIDs) are what the app is meant to log, so they are set aside first and
    put back unchanged.
    """
    ids: list[str] = []

    def keep(m: re.Match[str]) -> str:
        ids.append(m.group(0))
        return f"\x00{len(ids) - 1}\x00"

    text = _UUID.sub(keep, text)
    text = _scrub(text)
    return re.sub("\x00(\\d+)\x00", lambda m: ids[int(m.group(1))], text)


def _scrub(text: str) -> str:
    text = _BEARER.sub(lambda m: f"{m.group(1)} [token]", text)
    text = _URL_PASSWORD.sub(r"\1:[secret]@", text)
    text = _SECRET_PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}[secret]", text)
    text = _HEX.sub("[hex]", text)
    text = _OPAQUE.sub("[token]", text)
    for hit in reversed(find_personal_data(text)):
        text = text[: hit.start] + f"[{hit.kind}]" + text[hit.end :]
    return text


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted line, so arguments, tracebacks and stack info are covered too."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_dir() -> Path:
    override = os.environ.get("CHAMPIONS_LOG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False))


def log_files(directory: Path | None = None) -> list[Path]:
    """The current log and its rotated predecessors, newest first."""
    directory = directory or log_dir()
    return sorted(directory.glob(LOG_FILE + "*"), key=lambda p: (p.name != LOG_FILE, p.name))


_installed: logging.Handler | None = None


def setup_logging(level: int = logging.INFO, directory: Path | None = None) -> Path | None:
    """Send the ``champions`` loggers (and warnings) to a rotating file; return its path.

    Safe to call more than once (the handler is replaced). If the folder cannot be
    written the app still runs, logging to nothing but stderr's last-resort handler.
    """
    global _installed
    directory = directory or log_dir()
    root = logging.getLogger("champions")
    if _installed is not None:
        root.removeHandler(_installed)
        _installed.close()
        _installed = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            directory / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(RedactingFormatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").addHandler(handler)
    _installed = handler
    return directory / LOG_FILE
