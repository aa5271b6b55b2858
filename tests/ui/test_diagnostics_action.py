"""Help > Copy diagnostics, driven by the keyboard: the zip has the logs and versions, and nothing private."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication

import champions
from champions import logs
from champions.domain.samples import SampleGenerator
from champions.store import keyring_username

from .conftest import make_window, settle

NOTES = "Spoke with Mrs Begum outside the mosque about her grandson's MMR"
TOKEN = "dvc_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZyyXXww"


def test_copy_diagnostics_from_the_help_menu_by_keyboard(qtbot: Any, store: Any, memory_keyring: Any) -> None:
    generator = SampleGenerator(seed=11, reference=store.reference)
    store.conversations.save(next(iter(generator.conversations(1))).model_copy(update={"notes": NOTES}))
    folder = logs.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # Lines written by an older version, before redaction (the zip must scrub them again).
    (folder / "champions.log").write_text("2026-12-01 09:00:00 INFO champions.cli [1]: Champions starting\n"
                                          f"2026-12-01 09:00:01 INFO champions.sync [1]: Authorization: Bearer {TOKEN}\n")
    (folder / "champions.log.1").write_text("2026-11-30 17:00:00 INFO champions.x [1]: callback on 07700 900123\n")

    window = make_window(qtbot, store)
    settle(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(window.help_menu.isVisible)
    assert window.copy_diagnostics.action in window.help_menu.actions()
    qtbot.keyClick(window.help_menu, Qt.Key.Key_D)  # the action's mnemonic: Copy &diagnostics for support
    copier = window.copy_diagnostics
    qtbot.waitUntil(lambda: copier.last_box is not None and copier.last_box.isVisible())

    path = Path(QGuiApplication.clipboard().text())
    assert path == copier.last_path and path.parent == folder and path.is_file()
    assert str(path) in copier.last_box.text() and copier.last_box.accessibleName() == "Diagnostics saved"
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["logs/champions.log", "logs/champions.log.1", "settings.txt", "versions.txt"]
        versions = zf.read("versions.txt").decode()
        everything = "\n".join(zf.read(name).decode() for name in zf.namelist())
    assert f"Champions: {champions.__version__}\n" in versions
    assert f"Qt (running): {qVersion()}\n" in versions and "Qt platform: offscreen\n" in versions
    assert "Champions starting" in everything and "Authorization: Bearer [token]" in everything
    key = memory_keyring.get_password("Champions", keyring_username(store.path))
    for private in (TOKEN, "07700 900123", NOTES, "Begum", key):
        assert private and private not in everything

    qtbot.keyClick(copier.last_box, Qt.Key.Key_Return)  # the dialog closes from the keyboard too
    qtbot.waitUntil(lambda: copier.last_box is None)
