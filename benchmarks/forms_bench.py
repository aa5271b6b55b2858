"""Forms benchmark: what the conversation form does on the GUI thread, against one frame.

    python benchmarks/forms_bench.py

The form runs on the GUI thread: opening it, validating as the champion types (every
300 ms of typing), building the draft, and the one record save when Ctrl+S is pressed.
Draft writes go to a worker thread with its own connection; their cost is measured too,
to show the worker is a choice for safety (a slow disk), not forced by the normal case.

Baseline, measured in this run on this machine: building and showing a bare QDialog with
one QLineEdit. Target for every GUI-thread step: under one 60 Hz frame (16.7 ms), except
opening the form (under 150 ms, the time a person reads as "at once").
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QVBoxLayout  # noqa: E402

FRAME_MS = 1000 / 60


def median_ms(fn: Callable[[], object], runs: int = 30) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    from champions.domain import BarrierHeard, Conversation
    from champions.store import Store
    from champions.ui.forms import open_conversation_form

    app = QApplication.instance() or QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="forms-bench-"))
    store = Store.open(folder / "bench.db", os.urandom(32))

    def bare() -> None:
        dialog = QDialog()
        QVBoxLayout(dialog).addWidget(QLineEdit())
        dialog.show()
        app.processEvents()
        dialog.close()
        dialog.deleteLater()

    def open_form() -> None:
        form = open_conversation_form(None, store)
        app.processEvents()
        form.shutdown()

    baseline = median_ms(bare)
    opening = median_ms(open_form, runs=15)
    form = open_conversation_form(None, store)
    form.neighbourhood.set_value("birkenhead")
    form.setting.set_value("market")
    form.barriers.add_row({"code": "TF.SAFETY", "quote": "worried about what is in it", "addressed": "partly"})
    form.notes.setPlainText("Call me on 07700 900123 " * 20)
    validating = median_ms(form.refresh_validation)
    payload = median_ms(form.draft_payload)
    data = form.draft_payload()
    drafting = median_ms(lambda: store.drafts.save(form.form_key, data))
    record = Conversation(neighbourhood="birkenhead", setting="market",
                          barriers=[BarrierHeard(code="TF.SAFETY", quote="worried")])
    saving = median_ms(lambda: store.conversations.save(record.model_copy(update={"id": Conversation(
        neighbourhood="birkenhead", setting="market").id})))

    rows = [
        ("bare dialog (baseline)", baseline, None),
        ("open the conversation form", opening, 150.0),
        ("validate + personal-data check", validating, FRAME_MS),
        ("build the draft", payload, FRAME_MS),
        ("write the draft (worker thread)", drafting, None),
        ("save the record (Ctrl+S)", saving, FRAME_MS),
    ]
    print(f"{'step':36} {'median ms':>10} {'x baseline':>11} {'target ms':>10}")
    failed = False
    for name, ms, target in rows:
        ok = target is None or ms <= target
        failed |= not ok
        mark = "" if target is None else ("ok" if ok else "SLOW")
        print(f"{name:36} {ms:10.2f} {ms / baseline:11.1f} {'' if target is None else f'{target:10.1f}'} {mark}")
    form.shutdown()
    store.close()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
