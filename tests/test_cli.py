"""The headless commands IT scripts against: --version, --show-config, --self-check, all without Qt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import champions
from champions import config
from champions.store import keyring_username

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
    full_env = {k: v for k, v in os.environ.items()
                if (not k.startswith("CHAMPIONS_") or k.endswith(("_DIR", "_CONFIG"))) and k != "PYTHON_KEYRING_BACKEND"}
    full_env.update(env or {})  # a test names its keyring here, never by inheritance
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
    default_interval = config.Settings.model_fields["sync_interval_minutes"].default
    assert f"sync_interval_minutes  = {default_interval}    <- default" in out
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


# -- --self-check in a real process, with a real keyring the child can use -----------------------

SELF_CHECK_OK = [
    "Write, read back and delete a check entry: OK.",
    "Result: all checks passed.",
]


def keyring_env(tmp_path: Path, explicit: bool = True) -> dict[str, str]:
    """keyrings.alt's plaintext file under this test's folder (chosen explicitly), and no Secret Service."""
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg"), "DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path / 'no-bus'}"}
    if explicit:
        env["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    return env


def child_keyring(tmp_path: Path):  # noqa: ANN201 - keyrings.alt is untyped
    """The child's keyring file, opened from this process."""
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "xdg" / "python_keyring" / "keyring_pass.cfg")
    return backend


def test_self_check_on_a_fresh_store_opens_it_encrypted_and_passes(tmp_path: Path) -> None:
    done = run_cli("--self-check", env=keyring_env(tmp_path))

    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    database = Path(os.environ["CHAMPIONS_DATA_DIR"]) / "champions.db"
    assert lines[0] == f"Champions {champions.__version__} self-check"
    assert lines[1] == "Keyring: OK (file PlaintextKeyring (keyrings.alt.file.PlaintextKeyring))."
    assert lines[2] == f"Database {database}: OK (opened, encrypted with the key kept in the keyring; the integrity check passed)."
    assert lines[3:] == [SELF_CHECK_OK[0], "Sync: not enrolled and no hub address set; nothing to check.",
                         SELF_CHECK_OK[1], "QT-MODULES: none"]
    assert "Traceback" not in done.stderr
    assert not database.read_bytes().startswith(b"SQLite format 3")  # encrypted on disk
    key = child_keyring(tmp_path).get_password("Champions", keyring_username(database))
    assert key is not None and len(key) == 64  # the key went to the chosen keyring...
    assert all(key.encode() not in p.read_bytes() for p in database.parent.iterdir())  # ...not beside the data

    again = run_cli("--self-check", env=keyring_env(tmp_path))  # the second run opens the same file with the kept key
    assert again.returncode == 0, again.stdout
    assert again.stdout.splitlines()[2] == lines[2]


def test_self_check_without_a_keyring_fails_plainly_and_never_uses_a_plaintext_file(tmp_path: Path) -> None:
    # keyrings.alt is installed (the test extra), so plain ``keyring`` would pick its plaintext file here.
    done = run_cli("--self-check", env=keyring_env(tmp_path, explicit=False))

    assert done.returncode == 1
    assert done.stdout.splitlines()[1:] == [
        "Keyring: The keyring PlaintextKeyring keeps secrets in a plain file, so Champions does not use it "
        "(set PYTHON_KEYRING_BACKEND to choose it on purpose, for testing only).",
        "Keyring: FAILED. Champions keeps the key that encrypts your records in the computer's keyring "
        "(Windows Credential Manager, macOS Keychain, or the Secret Service on Linux), but no keyring is "
        "available here. Ask your IT team to enable one. Nothing was written.",
        "Result: FAILED (see the lines above).",
        "QT-MODULES: none",
    ]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "xdg").exists()  # no plaintext keyring file was made
    assert not (Path(os.environ["CHAMPIONS_DATA_DIR"]) / "champions.db").exists()


def test_the_keyring_policy_refuses_a_plaintext_file_unless_chosen(tmp_path: Path) -> None:
    script = (
        "import sys, keyring\n"
        "from champions.keyring_policy import refuse_file_keyrings\n"
        "before = type(keyring.get_keyring()).__name__\n"
        "print(before, bool(refuse_file_keyrings()), type(keyring.get_keyring()).__module__)\n"
    )
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}, **keyring_env(tmp_path, False)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.split() == ["PlaintextKeyring", "True", "keyring.backends.fail"], done.stderr
    chosen = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                            env={**env, "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"})
    assert chosen.stdout.split() == ["PlaintextKeyring", "False", "keyrings.alt.file"], chosen.stderr


def test_the_window_refuses_a_plaintext_file_keyring_too(tmp_path: Path) -> None:
    """``champions`` itself: the plain-words refusal (exit 2), no key written anywhere, no database made."""
    env = {**keyring_env(tmp_path, explicit=False), "QT_QPA_PLATFORM": "offscreen",
           "CHAMPIONS_EXIT_AFTER_SHOWN": "1"}  # the refusal's message box is the first window: quit once it is painted
    done = run_cli(env=env)

    assert done.returncode == 2, done.stdout + done.stderr
    assert "CHAMPIONS_FIRST_WINDOW_SHOWN" in done.stdout and "Traceback" not in done.stderr
    log = (Path(os.environ["CHAMPIONS_LOG_DIR"]) / "champions.log").read_text()
    assert "keeps secrets in a plain file, so Champions does not use it" in log
    assert "the store refused to open: Champions keeps the key that encrypts your records in the computer's keyring" in log
    assert not (tmp_path / "xdg").exists()
    assert not (Path(os.environ["CHAMPIONS_DATA_DIR"]) / "champions.db").exists()


def test_self_check_syncs_once_with_a_real_hub(tmp_path: Path) -> None:
    import keyring

    from champions.hub.testing import HubCli, fresh_database, run_hub
    from champions.store import open_default
    from champions.sync.enrolment import enrol

    env = keyring_env(tmp_path)
    first = run_cli("--self-check", env=env)  # makes the database and its key, as a first start would
    assert first.returncode == 0, first.stdout

    with fresh_database(tmp_path, "sqlite") as url:
        cli = HubCli(url)
        org = cli.create_org("Sefton CVS")
        with run_hub(url, log=tmp_path / "hub.log") as hub:
            # Enrol the laptop beforehand, in this process, through the same keyring file the child uses.
            keyring.set_keyring(child_keyring(tmp_path))  # the conftest puts its own back afterwards
            store = open_default()
            try:
                enrol(store, hub.base_url, cli.invite(org, "Bilal"), device_name="Bilal's laptop")
            finally:
                store.close()

            done = run_cli("--self-check", env=env)
            assert done.returncode == 0, done.stdout + done.stderr
            sync_line = done.stdout.splitlines()[4]
            assert sync_line.startswith(f"Sync with {hub.base_url} as Bilal: OK (sent 0, received 0; 0 change(s) still waiting")

            hub.kill()
            down = run_cli("--self-check", env=env)
    assert down.returncode == 1
    lines = down.stdout.splitlines()
    assert lines[3] == SELF_CHECK_OK[0]  # the database is fine; only the sync failed
    assert lines[4].startswith(f"Sync with {hub.base_url} as Bilal: FAILED. Champions cannot reach the hub right now")
    assert lines[-2:] == ["Result: FAILED (see the lines above).", "QT-MODULES: none"]
    assert "Traceback" not in down.stderr
