"""The PDF summary for funders, exported from the Dashboard by keyboard and read back by poppler.

``pdftotext`` and ``pdftoppm`` (Debian's poppler-utils, installed by ``.ci/run``) are programs
no one here wrote: the headline numbers, the filter, a table's row and a quote they find in the
PDF must be the ones ``Desk.dashboard`` computes for the same filter on the same store, and the
first page must render. A Cancel, at the charts or while the pages are written, leaves no file.
With CHAMPIONS_SAVE_SCREENSHOTS=1 the first page goes to docs/screenshots/pdf-summary.png.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMenu, QProgressDialog, QPushButton

from champions.coordinator import Cancelled, ReportFilter, TaskState
from champions.coordinator.desk import Desk
from champions.ui.coordinator.pdf_summary import (
    CHARTS_DONE,
    LAID_OUT,
    TILES,
    SummaryContent,
    headline_values,
    intention_sentence,
    write_summary,
)
from champions.ui.coordinator.table_model import format_cell

from .conftest import CHAMPIONS, WAIT, wait_idle
from .test_export import choose

REPO = Path(__file__).resolve().parents[3]
ALT = Qt.KeyboardModifier.AltModifier
POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) is not installed")


def pdf_text(path: Path, *args: str) -> str:
    """The PDF's text as poppler reads it (ligatures such as "ﬁ" unfolded)."""
    out = subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)


def cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def export_by_keyboard(qtbot: Any, page: Any) -> None:
    """Alt+X opens the Export menu; P (its mnemonic) picks "PDF summary for funders"."""
    picked: list[str] = []

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, pick)
            return
        picked.append(next(a.text() for a in menu.actions() if a.text().startswith("&PDF")))
        qtbot.keyClick(menu, Qt.Key.Key_P)

    QTimer.singleShot(0, pick)
    page.export_button.setFocus()
    qtbot.keyClick(page.window(), Qt.Key.Key_X, ALT)  # the menu runs its own loop until P is pressed
    qtbot.waitUntil(lambda: bool(picked) and page.export_run is not None, timeout=WAIT)
    assert "funders" in picked[0]


@needs_poppler
def test_pdf_summary_of_a_filter_by_keyboard_shows_the_desks_numbers(
        qtbot: Any, dashboard: Any, desk_store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = dashboard
    qtbot.keyClick(page.window(), Qt.Key.Key_N, ALT)  # Neighbourhood, then down to the second one
    qtbot.keyClick(page.filters.neighbourhood, Qt.Key.Key_Down)
    qtbot.keyClick(page.filters.neighbourhood, Qt.Key.Key_Down)
    wait_idle(qtbot, page)
    hood = page.filters.neighbourhood.currentData()
    flt = ReportFilter.make(neighbourhoods=[hood])
    assert page.report_filter() == flt
    asked = choose(monkeypatch, tmp_path / "for-funders")  # no suffix typed: the page adds it
    results: list[Any] = []
    page.export_finished.connect(results.append)
    export_by_keyboard(qtbot, page)
    run = page.export_run
    assert asked[0].endswith(".pdf") and run.dialog.isVisible()
    assert not page.export_button.isEnabled()
    seen: list[int] = []
    run.bridge.progressed.connect(lambda _done, _total: seen.append(run.dialog.value()))
    qtbot.waitUntil(lambda: bool(results), timeout=60_000)
    [result] = results
    assert not result.cancelled and result.error is None, result.error
    path = tmp_path / "for-funders.pdf"
    assert result.path == path and path.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["for-funders.pdf"]  # no temporary file beside it
    assert seen == sorted(seen) and len(seen) > 5  # the bar moved, forwards
    assert page.status.text() == f"Saved the summary ({result.rows} pages) to {path}"
    # The charts were drawn on the GUI thread a step at a time, never the whole PDF there at once.
    assert run.summary_job.charts.longest_step_ms < 250, run.summary_job.charts.longest_step_ms
    print(f"PDF laid out and painted on the GUI thread in {run.summary_job.write_ms:.0f} ms")
    assert len(run.summary_job.charts.images) >= 8

    desk = Desk.load(desk_store)  # the desk, read afresh from the store: not what the page holds
    data = desk.dashboard(flt)
    assert data.headline == page.data.headline  # the Dashboard shows the same numbers
    assert 0 < data.headline.conversations < 300
    text = pdf_text(path, "-layout")
    lines = [line for line in text.splitlines() if line.strip()]
    first_page = text.split("\f")[0]
    assert "Wirral Voluntary Services" in first_page  # the organisation the device is enrolled with
    filters = {cells(line)[0]: cells(line)[1:] for line in first_page.splitlines() if len(cells(line)) == 2}
    label = desk_store.reference.label("neighbourhood", hood)
    assert filters["Period"] == ["All dates"] and filters["Neighbourhoods"] == [label]
    assert dict(desk.describe(flt)) == {"Period": "All dates", "Neighbourhoods": label}

    values = headline_values(data, QLocale())
    start = next(i for i, line in enumerate(lines) if line.strip() == "Headline numbers")
    tiles = [cells(line) for line in lines[start + 1:start + 12]]
    assert tiles[0] == [values[key] for key, _ in TILES[:4]]
    assert tiles[1][0] == "Conversations"
    second = next(i for i, row in enumerate(tiles) if row[0] == "Moved towards yes") - 1
    assert tiles[second] == [values[key] for key, _ in TILES[4:]]
    words = flat(text)
    assert flat(intention_sentence(data, QLocale())) in words

    row = data.by_neighbourhood.row_for(hood)  # that neighbourhood's numbers, in the table under its chart
    assert [label, *(format_cell(v) for v in row[2:])] in [cells(line) for line in lines]

    quote = data.top_quotes.as_dicts()[0]  # the barrier heard most, its quote heard most
    assert f"“{flat(quote['quote'])}”" in words
    assert flat(quote["barrier"]) in words
    assert not any(name in words for name in (*CHAMPIONS, "Chloe Coordinator"))  # no one's name, ever

    pages = text.count("\f")
    assert pages == result.rows and f"Page 1 of {pages}" in first_page and f"Page {pages} of {pages}" in text
    assert f"Made on {QLocale().toString(date.today(), 'd MMMM yyyy')}" in first_page

    png = first_page_png(path, tmp_path / "page")
    image = QImage(str(png))
    assert abs(image.width() - 661) <= 1 and abs(image.height() - 935) <= 1  # A4 at 80 dpi
    colours = {image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)}
    assert len(colours) > 40, "the first page looks blank"  # text, tiles and a chart in colour
    if os.environ.get("CHAMPIONS_SAVE_SCREENSHOTS") == "1":
        shutil.copyfile(png, REPO / "docs" / "screenshots" / "pdf-summary.png")


def first_page_png(pdf: Path, stem: Path) -> Path:
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                   check=True, capture_output=True)
    return stem.with_suffix(".png")


def test_cancel_while_the_charts_are_drawn_leaves_no_file(qtbot: Any, dashboard: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    page = dashboard
    choose(monkeypatch, tmp_path / "summary.pdf")
    results: list[Any] = []
    page.export_finished.connect(results.append)
    page.export_actions["pdf"].trigger()
    run = page.export_run
    assert run is not None and run.summary_job.charts is not None  # the numbers on screen: straight to the charts
    dialog = page.findChild(QProgressDialog, "exportProgress")
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT)
    [result] = results
    assert result.cancelled and result.error is None
    assert list(tmp_path.iterdir()) == []
    assert page.status.text() == "Export cancelled: no file was written."
    assert page.export_button.isEnabled()

    page.export_actions["pdf"].trigger()  # the page is not stuck: the next one runs to the end
    qtbot.waitUntil(lambda: len(results) == 2, timeout=60_000)
    assert not results[1].cancelled and [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]


@pytest.mark.parametrize("cancel_at", [CHARTS_DONE + 1, LAID_OUT + 1], ids=["laying-out", "writing-pages"])
def test_cancel_while_the_pdf_is_written_leaves_no_file(qtbot: Any, desk_store: Any, tmp_path: Path,
                                                        cancel_at: int) -> None:
    desk = Desk.load(desk_store)
    flt = ReportFilter()
    content = SummaryContent(desk.dashboard(flt), desk.describe(flt), "Wirral Voluntary Services", date.today())
    reached: list[int] = []

    def progress(done: int, _total: int) -> None:
        reached.append(done)
        if done >= cancel_at:
            task.cancel()  # as the dialog's Cancel does, from the worker's own progress report

    task = TaskState(progress)
    with pytest.raises(Cancelled):
        write_summary(tmp_path / "summary.pdf", content, task)
    assert list(tmp_path.iterdir()) == []
    assert max(reached) < 1000  # it stopped before the end

    pages = write_summary(tmp_path / "summary.pdf", content)  # without a Cancel: the whole file
    assert pages > 3 and [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]
