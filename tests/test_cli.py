"""The headless commands IT scripts against: --version, --show-config, --self-check, all without Qt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import champions
from champions import config

# Runs the real entry point in a fresh interpreter, then says whether any Qt module was loaded.
WRAPPER = """
import sys
from champions.cli import main
rc = main(sys.argv[1:])
qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))
print('QT-MODULES:', ','.join(qt) or 'none')
sys.exit(rc)
"""


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CHAMPIONS_") or k.endswith(("_DIR", "_CONFIG"))}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", WRAPPER, *args], capture_output=True, text=True, env=full_env, timeout=120
    )


def test_version_prints_the_package_version_without_qt() -> None:
    done = run_cli("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"Champions {champions.__version__}", "QT-MODULES: none"]


def test_show_config_prints_each_source_without_qt_or_secrets() -> None:
    system_file = Path(os.environ["CHAMPIONS_SYSTEM_CONFIG"])
    system_file.parent.mkdir(parents=True, exist_ok=True)
    system_file.write_text(
        'hub_url = "https://hub.council.example"\nproxy = "http://it:hunter2@proxy:3128"\nlocked = ["hub_url"]\n'
    )
    user_dir = Path(os.environ["CHAMPIONS_CONFIG_DIR"])
    user_dir.mkdir(parents=True, exist_ok=True)
    (user_dir / "champions.toml").write_text('language = "cy"\nsync_interval_minutes = "x"\n')

    done = run_cli("--show-config", env={"CHAMPIONS_ORGANISATION_NAME": "Wigan INT"})

    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "hunter2" not in out
    assert f"hub_url                = https://hub.council.example    <- system ({system_file}) [locked]" in out
    assert "organisation_name      = Wigan INT    <- environment (CHAMPIONS_ORGANISATION_NAME)" in out
    assert f"language               = cy    <- user ({user_dir / 'champions.toml'})" in out
    assert "sync_interval_minutes  = 15    <- default" in out
    assert f"{user_dir / 'champions.toml'}, line 2: sync_interval_minutes: input should be a valid integer" in out
    assert out.rstrip().endswith("QT-MODULES: none")


def test_broken_system_file_still_starts_and_names_file_and_line() -> None:
    system_file = Path(os.environ["CHAMPIONS_SYSTEM_CONFIG"])
    system_file.parent.mkdir(parents=True, exist_ok=True)
    system_file.write_text('hub_url = "https://hub"\n[[[\n')

    done = run_cli("--show-config")

    assert done.returncode == 0
    assert f"{system_file}, line 2: " in done.stdout
    assert "hub_url                = (not set)    <- default" in done.stdout


def test_unknown_option_is_refused_plainly() -> None:
    done = run_cli("--frobnicate")
    assert done.returncode == 2
    assert "unrecognized arguments: --frobnicate" in done.stderr
