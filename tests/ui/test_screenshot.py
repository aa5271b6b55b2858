"""Screenshots of the main window with demo data at 1366x768, taken in a real X server.

Under Xvfb when it is installed (the README shows the result), else offscreen. The app
runs in a child process so it gets its own display and its own QApplication. With
CHAMPIONS_SAVE_SCREENSHOTS=1 the PNGs go to docs/screenshots/, otherwise to tmp_path.

Run as a script (``python tests/ui/test_screenshot.py OUT_DIR``) it is that child process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHOTS = ("main-window.png", "home.png", "conversations-filtered.png", "outreach.png", "assets.png", "conversation-form.png")
SIZE = (1366, 768)


# ---- the child process ----------------------------------------------------------------

def take_screenshots(out: Path, font_scale: float = 1.0) -> None:
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, Qt
    from PySide6.QtGui import QFont

    from champions.store import open_default
    from champions.ui.app import apply_style, build_window, fill_demo, make_application

    app = make_application()
    if font_scale != 1.0:
        font = QFont(app.font())
        font.setPointSizeF(font.pointSizeF() * font_scale)
        app.setFont(font)
    apply_style(app)
    store = open_default(demo=True)
    fill_demo(store)
    window = build_window(store, demo=True)
    window.resize(*SIZE)
    window.show()

    def settle(extra_ms: int = 300) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            busy = window.worker.is_busy() or window.counter.is_busy() or window._refresh_timer.isActive()
            busy = busy or any(p.model.is_searching() or p.model.is_loading_rows() or p._search_timer.isActive()
                               for p in (window.conversations, window.outreach))
            if not busy:
                break
            time.sleep(0.02)
        end = QDeadlineTimer(extra_ms)
        while not end.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.01)

    def save(name: str) -> None:
        settle()
        assert window.grab().save(str(out / name)), name

    settle(600)
    save("home.png")
    window.go_to("conversations")
    window.conversations.table.selectRow(1)
    window.conversations.table.setFocus(Qt.FocusReason.OtherFocusReason)
    save("main-window.png")
    page = window.conversations
    page.neighbourhood.setCurrentIndex(page.neighbourhood.findText("Birkenhead"))
    page.barrier.setCurrentIndex(page.barrier.findData("domain:practical_issues"))
    save("conversations-filtered.png")
    window.go_to("outreach")
    save("outreach.png")
    window.go_to("assets")
    save("assets.png")

    # The conversation form over the window, filled in by keys, a full postcode typed where a district goes.
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    form = window.open_conversation()
    assert form is not None
    form.resize(*SIZE)

    def type_in(widget: object, text: str, enter: bool = False) -> None:
        widget.setFocus(Qt.FocusReason.TabFocusReason)  # type: ignore[attr-defined]
        settle(50)
        QTest.keyClicks(QApplication.focusWidget(), text)
        if enter:
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        settle(50)

    type_in(form.neighbourhood, "birk", enter=True)
    type_in(form.setting, "market", enter=True)
    type_in(form.district, "CH41 5AB")
    type_in(form.languages.edit, "engl", enter=True)
    type_in(form.languages.edit, "urdu", enter=True)
    type_in(form.age_bands.edit, "65", enter=True)
    type_in(form.topics.edit, "flu", enter=True)
    form.barriers.add_row(focus=True)
    settle(50)
    QTest.keyClicks(QApplication.focusWidget(), "safety")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    settle(200)
    for box, text in ((form.barriers.rows[0].quote, "My neighbour was ill for a week after hers"),
                      (form.notes, "Ring her back on 07700 900123")):
        box.setFocus(Qt.FocusReason.TabFocusReason)
        QTest.keyClicks(box, text)  # straight to the box: a closing pop-up may still hold the focus
        settle(50)
    settle(600)
    assert form._rows["postcode_district"].problem.isVisible(), "the district's message should show"
    form.scroll.verticalScrollBar().setValue(0)
    settle()
    assert form.grab().save(str(out / "conversation-form.png"))
    form.shutdown()  # the draft stays, as when the app closes
    window.shutdown()
    window.close()
    store.close()


# ---- the test -------------------------------------------------------------------------

def _start_xvfb() -> tuple[subprocess.Popen[bytes], str] | None:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        return None
    read, write = os.pipe()
    proc = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        return None
    return proc, f":{number}"


@contextmanager
def _display() -> Iterator[dict[str, str]]:
    started = _start_xvfb()
    if started is None:
        yield {"QT_QPA_PLATFORM": "offscreen"}
        return
    proc, display = started
    try:
        yield {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
    finally:
        proc.terminate()
        proc.wait(10)


def _not_blank(path: Path) -> None:
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert (image.width(), image.height()) == SIZE, path
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 40, f"{path.name} looks blank ({len(colours)} colours)"
    text_pixels = sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
                      if image.pixelColor(x, y).lightness() < 90)
    assert text_pixels > 500, f"{path.name} has almost no dark (text) pixels"


def run_child(out: Path, data_dir: Path, extra_env: dict[str, str], font_scale: float = 1.0) -> None:
    env = dict(os.environ)
    env.update(extra_env)
    env["CHAMPIONS_DATA_DIR"] = str(data_dir)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # the demo needs no keyring
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    result = subprocess.run(
        [sys.executable, __file__, str(out), str(font_scale)], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_screenshots_of_the_main_window_with_demo_data(tmp_path: Path) -> None:
    save_for_docs = os.environ.get("CHAMPIONS_SAVE_SCREENSHOTS") == "1"
    out = REPO / "docs" / "screenshots" if save_for_docs else tmp_path / "shots"
    out.mkdir(parents=True, exist_ok=True)
    with _display() as env:
        run_child(out, tmp_path / "data", env)
    for name in SHOTS:
        _not_blank(out / name)


if __name__ == "__main__":
    take_screenshots(Path(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 1.0)
