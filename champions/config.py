"""Managed settings: declared once, typed, layered (default < system file < user file < environment).

IT pre-sets the hub address, proxy and CA bundle in a system-wide TOML file and may lock
keys so the user file cannot change them. A broken file never stops the app: the bad
file or key is skipped with a message naming the file and the line, and the safe
default is used instead. Credentials never live here; they belong in the keyring.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

APP_NAME = "Champions"
FILE_NAME = "champions.toml"

SourceKind = Literal["default", "system", "user", "environment"]


class Settings(BaseModel):
    """Every setting, once: its type, its default and its title (like Picard's options)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    hub_url: str | None = Field(None, title="Hub address")
    organisation_name: str = Field("", title="Organisation name")
    ca_bundle: Path | None = Field(None, title="CA bundle (extra trusted certificates)")
    proxy: str | None = Field(None, title="Proxy")
    sync_interval_minutes: int = Field(5, ge=1, le=24 * 60, title="Sync every (minutes)")
    language: str = Field("", title="Language (empty: the system's)")
    locked: tuple[str, ...] = Field((), title="Settings the user cannot change")

    @field_validator("hub_url", "proxy")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be a web address starting with https:// (or http://)")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value and not re.fullmatch(r"[a-z]{2,3}([_-][A-Za-z]{2,4})?", value):
            raise ValueError("must be a language code such as en, cy or pl (or empty for the system's)")
        return value

    @field_validator("locked")
    @classmethod
    def _known_keys(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [k for k in value if k not in SETTING_KEYS]
        if unknown:
            raise ValueError(f"names unknown settings: {', '.join(unknown)}")
        return value


SETTING_KEYS: tuple[str, ...] = tuple(Settings.model_fields)
#: Keys only the system-wide file may set.
SYSTEM_ONLY = frozenset({"locked"})
#: Settings whose value may hold a password (``http://user:pass@proxy``); shown masked.
URL_KEYS = frozenset({"hub_url", "proxy"})


def env_var(key: str) -> str:
    return f"CHAMPIONS_{key.upper()}"


@dataclass(frozen=True)
class Source:
    """Where an effective value came from, for ``--show-config`` and support tickets."""

    kind: SourceKind
    where: str = ""  # the file path or the environment variable's name

    def __str__(self) -> str:
        return self.kind if not self.where else f"{self.kind} ({self.where})"


@dataclass
class LoadedSettings:
    settings: Settings
    sources: dict[str, Source]
    problems: list[str] = field(default_factory=list)
    system_file: Path | None = None
    user_file: Path | None = None

    def is_locked(self, key: str) -> bool:
        return key in self.settings.locked


class ConfigError(Exception):
    """A setting cannot be used or changed; the message is meant for a person."""


class SettingLocked(ConfigError):
    pass


# -- where the files live ---------------------------------------------------------------


def system_config_path() -> Path:
    """The IT-managed file; ``CHAMPIONS_SYSTEM_CONFIG`` points elsewhere (tests, odd installs)."""
    override = os.environ.get("CHAMPIONS_SYSTEM_CONFIG")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("ProgramData", r"C:\ProgramData")) / APP_NAME / FILE_NAME
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / APP_NAME / FILE_NAME
    return Path("/etc/champions") / FILE_NAME


def user_config_path() -> Path:
    override = os.environ.get("CHAMPIONS_CONFIG_DIR")
    if override:
        return Path(override) / FILE_NAME
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / FILE_NAME


# -- reading ----------------------------------------------------------------------------


def _line_of(text: str, key: str) -> int | None:
    match = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _where(path: Path, line: int | None) -> str:
    return f"{path}, line {line}" if line else str(path)


def _plain(error: ValidationError) -> str:
    first = error.errors()[0]
    message = first["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message[0].lower() + message[1:]


def _check_value(key: str, value: Any) -> tuple[Any, str | None]:
    """Validate one value against its declaration; return (parsed, problem)."""
    try:
        parsed = Settings.model_validate({key: value})
    except ValidationError as exc:
        return None, _plain(exc)
    return getattr(parsed, key), None


def _read_file(path: Path, kind: SourceKind, problems: list[str]) -> dict[str, tuple[Any, int | None]]:
    """Good values of one file, keyed by setting, with their line numbers; bad ones are reported."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot be read ({exc}); using the other settings.")
        return {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "not valid TOML"
        where = f"{path}, line {match.group(1)}" if match else str(path)
        problems.append(f"{where}: {reason}. The whole file is ignored until it is fixed; using safe defaults.")
        return {}
    good: dict[str, tuple[Any, int | None]] = {}
    for key, value in data.items():
        line = _line_of(text, key)
        if key not in SETTING_KEYS:
            problems.append(f"{_where(path, line)}: '{key}' is not a Champions setting; it is ignored.")
            continue
        if key in SYSTEM_ONLY and kind != "system":
            problems.append(f"{_where(path, line)}: '{key}' can only be set in the system-wide file; it is ignored.")
            continue
        parsed, problem = _check_value(key, value)
        if problem:
            default = Settings.model_fields[key].default
            problems.append(f"{_where(path, line)}: {key}: {problem}; using {_show(key, default)} instead.")
            continue
        good[key] = (parsed, line)
    return good


def _env_value(key: str, raw: str) -> Any:
    if key == "locked":
        return [k.strip() for k in raw.split(",") if k.strip()]
    return raw


def load_settings(environ: dict[str, str] | None = None) -> LoadedSettings:
    """The effective settings, where each came from, and the problems met on the way."""
    environ = dict(os.environ if environ is None else environ)
    problems: list[str] = []
    system_file, user_file = system_config_path(), user_config_path()
    values: dict[str, Any] = {}
    sources: dict[str, Source] = {key: Source("default") for key in SETTING_KEYS}

    system = _read_file(system_file, "system", problems)
    for key, (value, _line) in system.items():
        values[key], sources[key] = value, Source("system", str(system_file))
    locked = set(values.get("locked", ()))

    for key, (value, line) in _read_file(user_file, "user", problems).items():
        if key in locked:
            problems.append(
                f"{_where(user_file, line)}: {key} is locked by your organisation's IT team "
                f"(in {system_file}); your value is ignored."
            )
            continue
        values[key], sources[key] = value, Source("user", str(user_file))

    # Environment variables win over both files: they are for testing and for IT scripts.
    for key in SETTING_KEYS:
        name = env_var(key)
        if name not in environ:
            continue
        parsed, problem = _check_value(key, _env_value(key, environ[name]))
        if problem:
            problems.append(f"environment variable {name}: {problem}; it is ignored.")
            continue
        values[key], sources[key] = parsed, Source("environment", name)

    settings = Settings.model_validate(values)
    if settings.ca_bundle is not None and not settings.ca_bundle.is_file():
        problems.append(ca_bundle_problem(settings.ca_bundle, sources["ca_bundle"]))
    return LoadedSettings(settings, sources, problems, system_file, user_file)


def ca_bundle_problem(path: Path, source: Source) -> str:
    return (
        f"The CA bundle {path} (set in {source}) does not exist or is not a file. "
        "Sync will not connect until it is fixed: certificate checks are never turned off."
    )


def require_ca_bundle(loaded: LoadedSettings) -> Path | None:
    """The CA bundle for sync to trust, or None for the OS trust store; a missing file is an error.

    There is deliberately no way to turn certificate verification off.
    """
    path = loaded.settings.ca_bundle
    if path is not None and not path.is_file():
        raise ConfigError(ca_bundle_problem(path, loaded.sources["ca_bundle"]))
    return path


# -- showing ----------------------------------------------------------------------------


def mask_url(url: str) -> str:
    """Hide a password in ``scheme://user:password@host``; the rest stays readable."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _show(key: str, value: Any) -> str:
    if value is None or value == "":
        return "(not set)"
    if key in URL_KEYS:
        return mask_url(str(value))
    if isinstance(value, tuple):
        return ", ".join(value) if value else "(none)"
    return str(value)


def describe(loaded: LoadedSettings) -> str:
    """The text of ``champions --show-config``: value, source and lock of every setting, no secrets."""
    lines = [
        f"System-wide file: {loaded.system_file}" + ("" if loaded.system_file and loaded.system_file.exists() else " (absent)"),
        f"User file:        {loaded.user_file}" + ("" if loaded.user_file and loaded.user_file.exists() else " (absent)"),
        "",
    ]
    width = max(len(k) for k in SETTING_KEYS)
    for key in SETTING_KEYS:
        lock = " [locked]" if loaded.is_locked(key) else ""
        value = _show(key, getattr(loaded.settings, key))
        lines.append(f"{key:<{width}}  = {value}    <- {loaded.sources[key]}{lock}")
    if loaded.problems:
        lines += ["", "Problems:"] + [f"  - {p}" for p in loaded.problems]
    return "\n".join(lines)


# -- writing the user's file ------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid TOML basic string


def save_user_setting(key: str, value: Any) -> LoadedSettings:
    """Change one setting in the user's file; refuse a locked or invalid one with a plain message."""
    loaded = load_settings()
    if key not in SETTING_KEYS:
        raise ConfigError(f"'{key}' is not a Champions setting.")
    title = Settings.model_fields[key].title
    if key in SYSTEM_ONLY:
        raise ConfigError(f"“{title}” can only be set by your IT team in the system-wide file.")
    if loaded.is_locked(key):
        raise SettingLocked(f"“{title}” is set by your organisation's IT team and cannot be changed here.")
    parsed, problem = _check_value(key, value)
    if problem:
        raise ConfigError(f"“{title}”: {problem}.")
    path = loaded.user_file or user_config_path()
    current: dict[str, Any] = {}
    if path.exists():
        try:
            current = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            current = {}  # the broken file was already reported; a save replaces it
    if parsed is None:
        current.pop(key, None)
    else:
        current[key] = str(parsed) if isinstance(parsed, Path) else parsed
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(
        "# Champions user settings (written by the app)\n"
        + "".join(f"{k} = {_toml_value(v)}\n" for k, v in current.items()),
        encoding="utf-8",
    )
    os.replace(tmp, path)
    return load_settings()
