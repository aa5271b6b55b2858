"""A zip for a support ticket: the logs, the versions and the effective settings, no secrets.

It does not import Qt (only ``champions/ui`` may); the Qt version is read from the installed
package's metadata, and the UI may pass the running Qt version in ``extra``.
"""

from __future__ import annotations

import platform
import sys
import zipfile
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import champions
from champions import config, logs

_PACKAGES = ("PySide6-Essentials", "PySide6-Addons", "pydantic", "sqlite-utils", "sqlcipher3", "keyring", "requests")


def versions(extra: dict[str, str] | None = None) -> dict[str, str]:
    """What is running: Champions, Python, Qt bindings, key libraries and the OS."""
    found = {
        "Champions": champions.__version__,
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Frozen": "yes" if getattr(sys, "frozen", False) else "no",
    }
    for name in _PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    found.update(extra or {})
    return found


def versions_text(extra: dict[str, str] | None = None) -> str:
    return "\n".join(f"{k}: {v}" for k, v in versions(extra).items()) + "\n"


def default_zip_path() -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return logs.log_dir() / f"champions-diagnostics-{stamp}.zip"


def build_diagnostics_zip(dest: Path | None = None, extra: dict[str, str] | None = None) -> Path:
    """Write the zip and return its path. Log lines are redacted again on the way in."""
    dest = dest or default_zip_path()
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        settings_text = config.describe(config.load_settings())
    except Exception as exc:  # a support zip must be made even when the config code breaks
        settings_text = f"(could not load the settings: {type(exc).__name__})"
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("versions.txt", versions_text(extra))
        zf.writestr("settings.txt", logs.redact(settings_text) + "\n")
        for path in logs.log_files():
            text = path.read_text(encoding="utf-8", errors="replace")
            zf.writestr(f"logs/{path.name}", "".join(logs.redact(line) for line in text.splitlines(True)))
    return dest
