"""Managed settings as IT uses them: precedence, locked keys, broken files, a missing CA bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from champions import config
from champions.config import ConfigError, SettingLocked, Source, load_settings, save_user_setting


def test_defaults_when_no_file_exists() -> None:
    loaded = load_settings()
    assert loaded.settings.hub_url is None
    assert loaded.settings.sync_interval_minutes == 5
    assert loaded.settings.locked == ()
    assert set(loaded.sources.values()) == {Source("default")}
    assert loaded.problems == []


def test_precedence_default_system_user_environment(
    system_file: Path, user_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_file.write_text(
        'hub_url = "https://hub.council.example"\norganisation_name = "Wirral VCS"\nsync_interval_minutes = 30\n'
    )
    user_file.write_text('sync_interval_minutes = 10\nlanguage = "cy"\n')
    monkeypatch.setenv("CHAMPIONS_LANGUAGE", "pl")

    loaded = load_settings()

    s = loaded.settings
    assert (s.hub_url, s.organisation_name, s.sync_interval_minutes, s.language, s.proxy) == (
        "https://hub.council.example",
        "Wirral VCS",
        10,
        "pl",
        None,
    )
    assert loaded.sources["hub_url"] == Source("system", str(system_file))
    assert loaded.sources["sync_interval_minutes"] == Source("user", str(user_file))
    assert loaded.sources["language"] == Source("environment", "CHAMPIONS_LANGUAGE")
    assert loaded.sources["proxy"] == Source("default")
    assert loaded.problems == []


def test_locked_key_in_user_file_is_ignored_with_a_message(system_file: Path, user_file: Path) -> None:
    system_file.write_text('hub_url = "https://hub.council.example"\nlocked = ["hub_url"]\n')
    user_file.write_text('language = "cy"\nhub_url = "https://somewhere.else"\n')

    loaded = load_settings()

    assert loaded.settings.hub_url == "https://hub.council.example"
    assert loaded.sources["hub_url"] == Source("system", str(system_file))
    assert loaded.settings.language == "cy"
    assert loaded.problems == [
        f"{user_file}, line 2: hub_url is locked by your organisation's IT team (in {system_file}); "
        "your value is ignored."
    ]


def test_save_user_setting_refuses_a_locked_key(system_file: Path, user_file: Path) -> None:
    system_file.write_text('proxy = "http://proxy.council.example:3128"\nlocked = ["proxy"]\n')

    with pytest.raises(SettingLocked) as refused:
        save_user_setting("proxy", "http://my.own.proxy:8080")

    assert str(refused.value) == "“Proxy” is set by your organisation's IT team and cannot be changed here."
    assert not user_file.exists()


def test_save_user_setting_writes_and_survives_a_reload(user_file: Path) -> None:
    save_user_setting("language", "cy")
    loaded = save_user_setting("sync_interval_minutes", 5)

    assert (loaded.settings.language, loaded.settings.sync_interval_minutes) == ("cy", 5)
    assert loaded.sources["language"] == Source("user", str(user_file))
    assert load_settings().settings.sync_interval_minutes == 5


def test_save_user_setting_refuses_a_bad_value_and_the_lock_list(user_file: Path) -> None:
    with pytest.raises(ConfigError) as bad:
        save_user_setting("sync_interval_minutes", 0)
    assert str(bad.value) == "“Sync every (minutes)”: input should be greater than or equal to 1."
    with pytest.raises(ConfigError) as system_only:
        save_user_setting("locked", [])
    assert str(system_only.value) == "“Settings the user cannot change” can only be set by your IT team in the system-wide file."
    assert not user_file.exists()


def test_locked_list_in_user_file_is_ignored(user_file: Path) -> None:
    user_file.write_text('locked = []\norganisation_name = "Mine"\n')
    loaded = load_settings()
    assert loaded.settings.organisation_name == "Mine"
    assert loaded.problems == [f"{user_file}, line 1: 'locked' can only be set in the system-wide file; it is ignored."]


def test_toml_syntax_error_names_file_and_line_and_falls_back_to_defaults(system_file: Path) -> None:
    system_file.write_text('organisation_name = "Wirral VCS"\nhub_url = = "https://x"\n')

    loaded = load_settings()

    assert loaded.settings == config.Settings()
    assert loaded.problems == [
        f"{system_file}, line 2: Invalid value. The whole file is ignored until it is fixed; using safe defaults."
    ]


def test_wrong_type_names_file_and_line_and_keeps_the_good_keys(system_file: Path) -> None:
    system_file.write_text(
        '# managed by IT\norganisation_name = "Wirral VCS"\n\nsync_interval_minutes = "often"\nhub_url = "ftp://hub"\n'
    )

    loaded = load_settings()

    assert loaded.settings.organisation_name == "Wirral VCS"
    assert loaded.settings.sync_interval_minutes == 5
    assert loaded.settings.hub_url is None
    assert loaded.problems == [
        f"{system_file}, line 4: sync_interval_minutes: input should be a valid integer, unable to parse string "
        "as an integer; using 5 instead.",
        f"{system_file}, line 5: hub_url: must be a web address starting with https:// (or http://); "
        "using (not set) instead.",
    ]


def test_unknown_key_and_unknown_lock_are_reported(system_file: Path) -> None:
    system_file.write_text('colour = "blue"\nlocked = ["hub_url", "colour"]\n')
    loaded = load_settings()
    assert loaded.settings.locked == ()
    assert loaded.problems == [
        f"{system_file}, line 1: 'colour' is not a Champions setting; it is ignored.",
        f"{system_file}, line 2: locked: names unknown settings: colour; using (none) instead.",
    ]


def test_bad_environment_value_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAMPIONS_SYNC_INTERVAL_MINUTES", "-3")
    loaded = load_settings()
    assert loaded.settings.sync_interval_minutes == 5
    assert loaded.problems == [
        "environment variable CHAMPIONS_SYNC_INTERVAL_MINUTES: input should be greater than or equal to 1; it is ignored."
    ]


def test_missing_ca_bundle_is_a_clear_problem_and_never_disables_checks(system_file: Path, tmp_path: Path) -> None:
    missing = tmp_path / "corporate-ca.pem"
    system_file.write_text(f'ca_bundle = "{missing}"\n')

    loaded = load_settings()

    message = (
        f"The CA bundle {missing} (set in system ({system_file})) does not exist or is not a file. "
        "Sync will not connect until it is fixed: certificate checks are never turned off."
    )
    assert loaded.settings.ca_bundle == missing  # kept, so sync fails loudly instead of trusting less
    assert loaded.problems == [message]
    with pytest.raises(ConfigError) as refused:
        config.require_ca_bundle(loaded)
    assert str(refused.value) == message
    assert "verify" not in config.Settings.model_fields  # there is no switch to turn checks off


def test_present_ca_bundle_is_used(system_file: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "corporate-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    system_file.write_text(f'ca_bundle = "{bundle}"\n')
    loaded = load_settings()
    assert loaded.problems == []
    assert config.require_ca_bundle(loaded) == bundle


def test_describe_shows_sources_locks_and_hides_passwords(system_file: Path, user_file: Path) -> None:
    system_file.write_text('proxy = "http://it:s3cr3t@proxy.council.example:3128"\nlocked = ["proxy"]\n')
    user_file.write_text('language = "cy"\n')

    text = config.describe(load_settings())

    assert "s3cr3t" not in text
    assert f"proxy                  = http://it:***@proxy.council.example:3128    <- system ({system_file}) [locked]" in text
    assert f"language               = cy    <- user ({user_file})" in text
    assert "hub_url                = (not set)    <- default" in text
