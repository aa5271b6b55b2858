"""The frozen app, built with PyInstaller from build.spec, as IT would ship it.

Builds the one-folder app into this test's folder with ``scripts/build.py``, then runs the
frozen binary: ``--version``; ``--self-check`` with no usable keyring (it must refuse, not fall
back to a plaintext file); ``--self-check`` with a keyring chosen explicitly, which opens an
encrypted store, writes and reads; the same after enrolling with a real hub on 127.0.0.1, which
syncs once; and the window itself, offscreen, up to its first paint. The build's size and time
are printed in the 'figures' section at the end of the pytest output; on Linux the size must be
under the goal.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest

import champions
from champions.hub.testing import HubCli, fresh_database, run_hub
from champions.store import open_default
from champions.sync.enrolment import enrol
from tests.test_cli import child_keyring, keyring_env

ROOT = Path(__file__).resolve().parents[2]
SIZE_GOAL_MB = 150

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(1200)]


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def frozen_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The machine's environment minus anything that would pick a keyring or a Champions setting."""
    env = {k: v for k, v in os.environ.items()
           if k != "PYTHON_KEYRING_BACKEND" and (not k.startswith("CHAMPIONS_") or k.endswith(("_DIR", "_CONFIG")))}
    env.update(QT_QPA_PLATFORM="offscreen", **extra)
    return env


def run(binary: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(binary), *args], capture_output=True, text=True, env=env, timeout=120)


def test_frozen_app_starts_checks_itself_and_syncs(tmp_path: Path, figures: list[str]) -> None:
    dist, work = tmp_path / "dist", tmp_path / "work"
    started = time.monotonic()
    built = subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), "--dist", str(dist), "--work", str(work),
                            "--keep-cache"], capture_output=True, text=True, timeout=1100)
    seconds = time.monotonic() - started
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-5000:]
    folder = dist / "champions"
    size = folder_mb(folder)
    figures.append(f"frozen one-folder build ({sys.platform}): {size:.0f} MB (goal under {SIZE_GOAL_MB} MB), "
                   f"built in {seconds:.0f} s")
    inside = folder / "_internal" if (folder / "_internal").is_dir() else folder
    parts = sorted(((folder_mb(p) if p.is_dir() else p.stat().st_size / 1e6), p.name) for p in inside.iterdir()
                   if not p.is_symlink())
    figures.append("  largest parts: " + ", ".join(f"{name} {mb:.0f} MB" for mb, name in reversed(parts[-6:])))
    if sys.platform.startswith("linux"):
        # What keeps it there: no numpy (the Dashboard counts with bitsets; openpyxl would pull numpy
        # back in where it is installed) and Qt's ICU data trimmed (binutils, which .ci/run installs).
        assert not (inside / "numpy").exists(), "numpy crept back into the build"
        assert size < SIZE_GOAL_MB, " ".join(figures[-2:])
    console = folder / ("champions-console.exe" if sys.platform == "win32" else "champions-console")
    windowed = folder / ("champions.exe" if sys.platform == "win32" else "champions")
    assert console.is_file() and windowed.is_file()

    # --version, from the package's metadata
    version = run(console, "--version", env=frozen_env(tmp_path))
    assert (version.returncode, version.stdout) == (0, f"Champions {champions.__version__}\n"), version.stderr

    # No keyring: keyrings.alt is inside the build (for this test), but never picked on its own.
    refused = run(console, "--self-check", env=frozen_env(tmp_path, **keyring_env(tmp_path, explicit=False)))
    assert refused.returncode == 1, refused.stdout
    assert "Keyring: FAILED. Champions keeps the key that encrypts your records in the computer's keyring" in refused.stdout
    assert not (tmp_path / "xdg").exists() and "Traceback" not in refused.stderr

    # A keyring chosen on purpose: the encrypted store opens, a check entry is written, read and deleted.
    env = frozen_env(tmp_path, **keyring_env(tmp_path))
    first = run(console, "--self-check", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    database = Path(os.environ["CHAMPIONS_DATA_DIR"]) / "champions.db"
    assert first.stdout.splitlines()[2:] == [
        f"Database {database}: OK (opened, encrypted with the key kept in the keyring; the integrity check passed).",
        "Write, read back and delete a check entry: OK.",
        "Sync: not enrolled and no hub address set; nothing to check.",
        "Result: all checks passed.",
    ]
    assert not database.read_bytes().startswith(b"SQLite format 3")

    with fresh_database(tmp_path, "sqlite") as url:
        cli = HubCli(url)
        org = cli.create_org("Knowsley CVS")
        with run_hub(url, log=tmp_path / "hub.log") as hub:
            keyring.set_keyring(child_keyring(tmp_path))  # enrol beforehand through the frozen app's keyring file
            store = open_default()
            try:
                enrol(store, hub.base_url, cli.invite(org, "Grace"), device_name="Grace's laptop")
            finally:
                store.close()
            synced = run(console, "--self-check", env=env)
            assert synced.returncode == 0, synced.stdout + synced.stderr
            assert synced.stdout.splitlines()[4].startswith(f"Sync with {hub.base_url} as Grace: OK (sent 0, received 0;")

    # The window itself, offscreen: Qt's plugins and the app's resources made it into the build.
    shown = run(windowed, env={**env, "CHAMPIONS_EXIT_AFTER_SHOWN": "1"})
    assert shown.returncode == 0, shown.stdout + shown.stderr[-3000:]
    assert "CHAMPIONS_FIRST_WINDOW_SHOWN" in shown.stdout
    assert "Traceback" not in shown.stderr
