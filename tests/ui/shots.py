"""Run a screenshot script in a child process of its own, under Xvfb when installed (else offscreen).

A child, because each screenshot story wants a fresh QApplication (its own font, style and
screen size) that the test process's pytest-qt application would share. The child is the test
file itself run as a script: ``python FILE OUT [ARGS...]``. With CHAMPIONS_SAVE_SCREENSHOTS=1
the PNGs go to docs/screenshots/ (to be looked at and committed), otherwise to the test's folder;
either way each must be a real picture (not blank, the window's size).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.ui.test_screenshot import _display, _not_blank

REPO = Path(__file__).resolve().parents[2]
NULL_KEYRING = "keyring.backends.null.Keyring"  # the demo's store is not encrypted: no keyring needed


def shoot_in_child(script: str | Path, tmp_path: Path, shots: Sequence[str], *args: str,
                   keyring_backend: str | None = NULL_KEYRING, timeout: float = 180) -> Path:
    """Run ``script`` as the child and check its ``shots``; returns the folder they were saved in."""
    save_for_docs = os.environ.get("CHAMPIONS_SAVE_SCREENSHOTS") == "1"
    out = REPO / "docs" / "screenshots" if save_for_docs else tmp_path / "shots"
    out.mkdir(parents=True, exist_ok=True)
    with _display() as display:
        env = dict(os.environ)
        env.update(display)
        env["CHAMPIONS_DATA_DIR"] = str(tmp_path / "data")
        if keyring_backend is not None:
            env["PYTHON_KEYRING_BACKEND"] = keyring_backend
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
        result = subprocess.run([sys.executable, str(script), str(out), *args], env=env, capture_output=True,
                                text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    for name in shots:
        _not_blank(out / name)
    return out


# ---- for the child (the screenshot script itself) --------------------------------------------

def demo_store() -> Any:
    """The app's QApplication, styled, and the demo database filled as ``champions --demo`` fills it."""
    from champions.store import open_default
    from champions.ui.app import apply_style, fill_demo, make_application

    apply_style(make_application())
    store = open_default(demo=True)
    fill_demo(store)
    return store


def pump(ms: int) -> None:
    """Let the window work for ``ms`` (layout, paints, results arriving), as an idle app would."""
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop

    end = QDeadlineTimer(ms)
    while not end.hasExpired():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.01)


def wait_until(done: Callable[[], Any], extra_ms: int = 300, timeout: float = 60, what: str = "the page") -> None:
    """Until ``done()`` (a page loaded, a count in), then ``extra_ms`` more for the paint."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not done():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.02)
    assert done(), f"{what} never settled"
    pump(extra_ms)
