"""``champions.ui.app.run``: the demo opens a living app; a store that cannot open is explained."""

from __future__ import annotations

import hashlib
from argparse import Namespace
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from champions.store import Query, default_database_path, open_default
from champions.ui.app import run
from champions.ui.main_window import MainWindow


def args(**overrides: Any) -> Namespace:
    values = {"demo": False, "unencrypted_dev_db": False, "data_dir": None, "lang": None}
    values.update(overrides)
    return Namespace(**values)


def answer_message_box(qtbot: Any, seen: list[tuple[str, str]]) -> QTimer:
    """Read and close the first message box that appears, as the person would."""

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.windowTitle(), box.text()))
            box.done(0)
            timer.stop()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(look)
    timer.start()
    return timer


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_demo_run_fills_the_demo_database_and_shows_its_conversations(qtbot: Any) -> None:
    shown: dict[str, Any] = {}

    def look_then_close() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:
            return
        window = windows[0]
        model = window.conversations.model
        if model.total() == 0 or model.is_loading_rows():
            return
        shown["title"] = window.windowTitle()
        shown["rows"] = model.total()
        shown["first"] = model.index(0, 1).data()
        poll.stop()
        window.close()

    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(look_then_close)
    poll.start()
    assert run(args(demo=True)) == 0

    assert shown["title"] == "Champions (demo data)"
    assert shown["rows"] == 320
    assert shown["first"]
    with open_default(demo=True) as store:
        assert store.conversations.count(Query()) == 320
        assert store.activities.count(Query()) == 60
        assert store.assets.count(Query()) == 6


def test_no_keyring_is_explained_and_no_file_is_made(qtbot: Any) -> None:
    keyring.set_keyring(fail.Keyring())
    seen: list[tuple[str, str]] = []
    timer = answer_message_box(qtbot, seen)
    try:
        assert run(args()) == 2
    finally:
        timer.stop()
    assert seen[0][0] == "No safe place for the key"
    assert "no keyring is available here" in seen[0][1]
    assert seen[0][1].endswith("\n\nTo look around without a keyring, start Champions with --demo.")
    assert not default_database_path().exists()


def test_wrong_key_is_explained_and_the_file_is_untouched(qtbot: Any, memory_keyring: Any) -> None:
    open_default().close()
    path = default_database_path()
    before = digest(path)
    for entry in memory_keyring.secrets:
        memory_keyring.secrets[entry] = "00" * 32 if len(memory_keyring.secrets[entry]) == 64 else "A" * 44
    seen: list[tuple[str, str]] = []
    timer = answer_message_box(qtbot, seen)
    try:
        assert run(args()) == 2
    finally:
        timer.stop()
    assert seen[0][0] == "The database could not be unlocked"
    assert seen[0][1].endswith("The file was not changed.")
    assert digest(path) == before


def test_a_file_that_is_not_ours_is_explained_and_left_alone(qtbot: Any) -> None:
    open_default().close()  # the key is in the keyring...
    path = default_database_path()
    path.write_bytes(b"my shopping list: eggs, milk\n" * 100)  # ...but the file was replaced
    before = digest(path)
    seen: list[tuple[str, str]] = []
    timer = answer_message_box(qtbot, seen)
    try:
        assert run(args()) == 2
    finally:
        timer.stop()
    assert seen[0][0] == "This is not a Champions database"
    assert seen[0][1].endswith("The file was not changed.")
    assert digest(path) == before


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_language_without_translations_still_starts(qtbot: Any, lang: str) -> None:
    closed: list[bool] = []

    def close() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                widget.close()
                closed.append(True)
                poll.stop()

    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(close)
    poll.start()
    assert run(args(demo=True, lang=lang)) == 0
    assert closed == [True]


def test_a_broken_settings_file_is_told_in_the_window_and_the_app_works_on(qtbot: Any, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The windowed app has no console: a settings problem must reach the person, naming file and line."""
    from champions import config

    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "champions.toml").write_text('hub_url = "https://hub.example.org"\nsync_interval_minutes = "often"\n')
    monkeypatch.setenv("CHAMPIONS_CONFIG_DIR", str(folder))
    monkeypatch.setenv("CHAMPIONS_SYSTEM_CONFIG", str(tmp_path / "no-system.toml"))
    loaded = config.load_settings()
    assert loaded.problems  # the file really is wrong
    seen: dict[str, Any] = {}

    def look_then_close() -> None:
        notices = [w for w in QApplication.topLevelWidgets() if w.objectName() == "settingsProblems" and w.isVisible()]
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not notices or not windows:
            return
        notice = notices[0]
        seen["title"], seen["details"] = notice.windowTitle(), notice.informativeText()
        seen["modal"] = notice.isModal()
        seen["window_usable"] = windows[0].isEnabled() and QApplication.activeModalWidget() is None
        poll.stop()
        notice.close()
        windows[0].close()

    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(look_then_close)
    poll.start()
    assert run(args(demo=True, settings=loaded)) == 0
    assert seen["title"] == "Some settings were not used"
    assert f"{folder / 'champions.toml'}, line 2" in seen["details"] and "sync_interval_minutes" in seen["details"]
    assert not seen["modal"] and seen["window_usable"]
