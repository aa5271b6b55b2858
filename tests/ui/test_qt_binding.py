"""The Qt binding itself must not wear the interpreter down during a champion's long day.

PySide6 6.12.0 on Python 3.11 drops one reference to None on every call that returns nothing
(``setText``, ``setValue``, ``QTimer.start``...). None is not immortal before Python 3.12, so
after a few thousand such calls the interpreter aborts ("Fatal Python error: none_dealloc"):
an app left open all day would die mid-form. pyproject.toml keeps that release out; this test
fails if a binding with the same fault is installed. It runs in a child process because the
fault kills whoever hits it.
"""

from __future__ import annotations

import os
import subprocess
import sys

CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QScrollBar

app = QApplication([])
label, edit, bar, timer = QLabel(), QLineEdit(), QScrollBar(), QTimer()
before = sys.getrefcount(None)
for n in range(20_000):  # more void calls than None has references at start-up
    label.setText("x")
    edit.clear()
    bar.setValue(n % 50)
    timer.start(1000)
print(sys.getrefcount(None) - before)
"""


def test_void_calls_into_qt_leave_none_alone() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"the Qt binding crashed the interpreter: {result.stderr[-500:]}"
    assert abs(int(result.stdout.strip())) < 100, "void calls into Qt change None's reference count"
