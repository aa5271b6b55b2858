"""Screenshots of the review flow at 1366x768: the Submissions list with every review state, the
query box over a thread, and a champion's "Queries for you" on Home.

Like ``test_submissions_screenshot.py``: under Xvfb when installed (else offscreen), in a child
process with its own QApplication and two unencrypted stores of its own (a coordinator's and a
champion's, as a sync leaves them). With CHAMPIONS_SAVE_SCREENSHOTS=1 the PNGs go to
docs/screenshots/, otherwise to the test's folder. Run as a script it is the child.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

SHOTS = ("review-submissions-states.png", "review-query-dialog.png", "queries-for-you.png", "review-query-banner.png")
SIZE = (1366, 768)
COORDINATOR = "0193c0de-c00d-7000-8000-00000000c0de"
CHAMPIONS = ("0193a1a1-0000-7000-8000-0000000a1a1a", "0193b2b2-0000-7000-8000-0000000b2b2b")


def identity(role: str, person_id: str, name: str) -> dict[str, str]:
    return {"hub_url": "https://hub.example.org", "device_id": "device-1", "device_name": "Laptop",
            "person_id": person_id, "person_name": name, "role": role, "org_id": "org-1",
            "org_name": "Wirral Voluntary Services", "enrolled_at": "2026-01-05T09:00:00+00:00"}


def take_screenshots(out: Path, work: Path) -> None:
    from datetime import timedelta

    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, Qt
    from PySide6.QtTest import QTest

    from champions.domain import Review, ReviewNote, utcnow
    from champions.domain.samples import SampleGenerator
    from champions.store import Store
    from champions.sync.enrolment import IDENTITY_KEY
    from champions.ui.app import apply_style, make_application
    from champions.ui.main_window import MainWindow

    app = make_application()
    apply_style(app)

    def pump(ms: int) -> None:
        end = QDeadlineTimer(ms)
        while not end.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.01)

    def until(ready: Any, what: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not ready():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.02)
        assert ready(), what
        pump(400)

    def remote(store: Any, review: Review) -> Review:
        """A review as a sync stores it, with the authors the hub stamps."""
        return store.reviews.apply_remote(review)

    def note(kind: str, text: str, author: str, hours_ago: float) -> ReviewNote:
        return ReviewNote(note_kind=kind, text=text, author_id=author, written_at=utcnow() - timedelta(hours=hours_ago))

    def over(window: Any, dialog: Any) -> Any:
        """The dialog drawn centred over its window, as a window manager shows it (Xvfb has none)."""
        from PySide6.QtCore import QPoint
        from PySide6.QtGui import QColor, QPainter, QPen

        shot = window.grab()
        face = dialog.grab()
        at = QPoint((shot.width() - face.width()) // 2, (shot.height() - face.height()) // 2)
        painter = QPainter(shot)
        painter.fillRect(shot.rect(), QColor(0, 0, 0, 60))
        painter.drawPixmap(at, face)
        painter.setPen(QPen(QColor("#555555"), 2))
        painter.drawRect(at.x() - 1, at.y() - 1, face.width() + 1, face.height() + 1)
        painter.end()
        return shot

    # ---- the coordinator's desk ----------------------------------------------------------
    desk = Store.open(work / "desk.db", None)
    desk.settings.set(IDENTITY_KEY, identity("coordinator", COORDINATOR, "Chloe Coordinator"))
    for n, champion in enumerate(CHAMPIONS):
        gen = SampleGenerator(seed=60 + n, reference=desk.reference, author_id=champion, org_id="org-1")
        desk.conversations.save_many(list(gen.conversations(60)))
        desk.barriers.save_many([gen.barrier() for _ in range(8)])
        desk.activities.save_many(list(gen.activities(8)))
    window = MainWindow(desk)
    window.resize(*SIZE)
    window.show()
    window.go_to("submissions")
    page = window.pages["submissions"]
    until(lambda: page.columns is not None and not page.is_busy(), "the submissions never loaded")

    repos = {"conversation": desk.conversations, "barrier": desk.barriers, "outreach_activity": desk.activities}
    rows = [(page.model.id_at(r), page.model.kind_at(r)) for r in range(12)]
    talk = next(r for r, (_id, kind) in enumerate(rows) if r and kind == "conversation")  # the answered one
    rows.insert(1, rows.pop(talk))
    record = [repos[kind].get(record_id) for record_id, kind in rows]
    asked = "Which pharmacy did you signpost them to? The record says a referral but no place."
    remote(desk, Review.of(record[0], "queried", note("query", "How many leaflets went out, roughly?", COORDINATOR, 3),
                           author_id=COORDINATOR, rev=1))
    remote(desk, Review.of(record[1], "queried", note("query", asked, COORDINATOR, 30),
                           note("reply", "Boots on Grange Road. I have added it to the record.", record[1].author_id, 20),
                           author_id=COORDINATOR, rev=1))
    repos[rows[1][1]].save(record[1].model_copy(update={"notes": "Signposted to Boots, Grange Road."}))  # the answer
    remote(desk, Review.of(record[3], "reviewed", author_id=COORDINATOR, rev=1))
    remote(desk, Review.of(record[4], "reviewed", author_id=COORDINATOR, rev=1))
    remote(desk, Review.of(record[6], "queried", note("query", "Was this at the school gate or the library?",
                                                      COORDINATOR, 50), author_id=COORDINATOR, rev=1))
    page.reload()
    answered = page.model.row_of(rows[1][0])
    until(lambda: not page.is_busy() and page.model.index(answered, 6).data() == "Query answered", "states not shown")
    page.table.setFocus()
    marked = page.model.row_of(rows[2][0])
    page.table.selectRow(marked)
    page.mark_reviewed()  # the button's own path: the notice under the list says what was done
    until(lambda: not page.is_busy() and page.model.index(marked, 6).data() == "Reviewed", "mark reviewed not shown")
    page.table.selectRow(answered)
    pump(300)
    assert window.grab().save(str(out / "review-submissions-states.png"))

    page.send_query()
    until(lambda: page.review_dialog is not None and page.review_dialog.isVisible(), "no query box")
    box = page.review_dialog
    box.comment.setPlainText("Thank you. Was it the branch by the station?")
    box.resize(640, 520)
    pump(300)
    assert over(window, box).save(str(out / "review-query-dialog.png"))
    box.reject()
    window.shutdown()
    window.close()
    desk.close()

    # ---- the champion's Home -------------------------------------------------------------
    mine = Store.open(work / "amina.db", None)
    me = CHAMPIONS[0]
    mine.settings.set(IDENTITY_KEY, identity("champion", me, "Amina Khan"))
    gen = SampleGenerator(seed=61, reference=mine.reference, author_id=me, org_id="org-1")
    mine.conversations.save_many(list(gen.conversations(40)))
    talks = mine.conversations.query()  # newest first
    stall = mine.activities.save(next(gen.activities(1)))
    remote(mine, Review.of(talks[2], "queried", note("query", asked, COORDINATOR, 30), author_id=COORDINATOR, rev=1))
    remote(mine, Review.of(stall, "queried", note("query", "How many leaflets went out, roughly?", COORDINATOR, 3),
                           author_id=COORDINATOR, rev=1))
    remote(mine, Review.of(talks[5], "queried", note("query", "Which language was this conversation in?",
                                                     COORDINATOR, 50), author_id=COORDINATOR, rev=1))
    edited = mine.conversations.save(talks[5].model_copy(update={"notes": "In Polish, with the daughter translating."}))
    review = mine.reviews.for_subject(edited.id)
    mine.reviews.save(review.model_copy(update={"notes": [*review.notes, ReviewNote(
        note_kind="reply", text="Polish. I have added it.")]}))
    window = MainWindow(mine)
    window.resize(*SIZE)
    window.show()
    until(lambda: window.home.queries_box.isVisible() and not window.counter.is_busy(), "no queries on Home")
    window.home.queries.setFocus()
    pump(300)
    assert window.grab().save(str(out / "queries-for-you.png"))

    window.home.queries.setCurrentRow(1)  # the conversation: Enter opens its form with the question on top
    QTest.keyClick(window.home.queries, Qt.Key.Key_Return)
    form = window.dialogs[-1]
    until(lambda: form.query_banner.isVisible(), "no query on the form")
    form.resize(900, 700)
    pump(300)
    assert over(window, form).save(str(out / "review-query-banner.png"))
    form.shutdown()
    window.shutdown()
    window.close()
    mine.close()


def test_review_screenshots(tmp_path: Path) -> None:
    from tests.ui.shots import shoot_in_child

    (tmp_path / "work").mkdir()
    shoot_in_child(__file__, tmp_path, SHOTS, str(tmp_path / "work"))


if __name__ == "__main__":
    take_screenshots(Path(sys.argv[1]), Path(sys.argv[2]))
