"""A screenshot of the Assets page on a coordinator's laptop at 1366x768: the curation actions at work.

The demo window, which is a coordinator's (so the page shows Publish, Edit… and the imports
and exports), with a champion's proposal selected and the Open Referral UK examples just
imported. Like ``test_submissions_screenshot.py``: under Xvfb when installed (else offscreen), in a
child process with its own QApplication; with CHAMPIONS_SAVE_SCREENSHOTS=1 the PNGs go to
docs/screenshots/, otherwise to the test's folder. Run as a script it is the child.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "tests" / "coordinator" / "data" / "oruk" / "examples"
SHOTS = ("assets-coordinator.png", "deprivation-import.png")
SIZE = (1366, 768)


def take_screenshots(out: Path) -> None:
    from PySide6.QtGui import QColor, QPainter

    from champions.domain import CommunityAsset
    from champions.ui.app import build_window
    from tests.ui.shots import demo_store, wait_until

    store = demo_store()
    store.assets.save(CommunityAsset(
        name="Coffee and jabs at St Mary's", status="proposed", author_id="amina",
        description="Coffee morning with a practice nurse on the first Tuesday of the month; no appointment needed.",
        opening_times="First Tue 10:00-12:00", languages=["en", "ur"]))

    wait = wait_until

    window = build_window(store, demo=True)
    window.resize(*SIZE)
    window.show()
    window.go_to("assets")
    page = window.assets
    wait(lambda: page.model.rowCount() > 0 and not window.worker.is_busy())
    assert page.coordinator
    page.set_path_chooser(lambda _purpose: EXAMPLES)
    page.import_open_referral()
    wait(lambda: page.run is None and page.message is not None)
    page.message.accept()
    wait(lambda: not window.worker.is_busy() and page.model.row_of("ac148810-d857-441c-9679-408f346de14b") >= 0)
    page.table.setFocus()
    page.table.selectRow(0)  # the proposal: proposals come first
    wait(lambda: page.publish_button.isEnabled())
    assert window.grab().save(str(out / "assets-coordinator.png"))

    csv = Path(os.environ["CHAMPIONS_DATA_DIR"]) / "wirral_imd.csv"  # not beside the screenshots
    csv.write_text("postcode,lsoa21cd,imd_decile\nCH41 5AB,E01007101,1\nCH41 6CD,E01007102,1\nCH44 5EF,E01007201,6\n"
                   "CH44 7GH,E01007202,12\n", encoding="utf-8")
    dialog = page.import_deprivation()
    dialog.import_path(csv)
    wait(lambda: dialog.result is not None)
    # The dialog over the page, as the coordinator sees it (drawn here: Xvfb has no window manager).
    shot = window.grab()
    painter = QPainter(shot)
    painter.fillRect(shot.rect(), QColor(0, 0, 0, 60))
    picture = dialog.grab()
    painter.drawPixmap((shot.width() - picture.width()) // 2, (shot.height() - picture.height()) // 2, picture)
    painter.end()
    assert shot.save(str(out / "deprivation-import.png"))
    dialog.close()
    window.shutdown()
    window.close()
    store.close()


def test_assets_coordinator_screenshot(tmp_path: Path) -> None:
    from tests.ui.shots import shoot_in_child

    shoot_in_child(__file__, tmp_path, SHOTS)


if __name__ == "__main__":
    take_screenshots(Path(sys.argv[1]))
