"""Sync benchmark (issue 5), each figure against a baseline measured in the same run.

1. End to end: N conversations (default 100,000) from a fresh client database to the hub's
   database through ``SyncEngine.run_once()`` (push in batches of 1,000 and the pull that
   follows), against the raw pipeline: the same outbox JSON read from the same client file,
   POSTed in the same batches to an endpoint that only parses it and inserts it with
   ``executemany``. Target: sync at least 25% of the raw pipeline's throughput.
2. A sync with nothing to do: median and worst round trip of ``run_once()``. Target: < 100 ms.
3. The longest GUI-thread stall while the real SyncController syncs N records on its worker
   thread (a 1 ms QTimer on the GUI thread; the largest gap between ticks). Target: < 50 ms.

    python benchmarks/sync_bench.py [--records 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keyring  # noqa: E402
import requests  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402

from champions.domain.samples import SampleGenerator  # noqa: E402
from champions.hub.testing import HubCli, free_port, fresh_database, run_hub  # noqa: E402
from champions.store import Store  # noqa: E402
from champions.sync import protocol as p  # noqa: E402
from champions.sync.engine import SyncEngine  # noqa: E402
from champions.sync.enrolment import enrol  # noqa: E402

BATCH = 1000


class MemoryKeyring(KeyringBackend):
    """Keeps the benchmark's device tokens out of the machine's keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def serve_raw(port: int, database: str) -> None:
    """The raw pipeline's server: parse the JSON, executemany the rows into SQLite, answer."""
    import uvicorn

    conn = sqlite3.connect(database, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE IF NOT EXISTS records (id TEXT, rev INTEGER, kind TEXT, body TEXT, PRIMARY KEY (id, rev))")
    app = FastAPI()

    @app.post("/v1/push")
    async def push(request: Request) -> dict[str, int]:
        data = json.loads(await request.body())
        rows = [(c["id"], c["rev"], c["kind"], json.dumps(c["record"])) for c in data["changes"]]
        with conn:
            conn.executemany("INSERT OR IGNORE INTO records VALUES (?, ?, ?, ?)", rows)
        return {"changes": len(rows)}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def fill(store: Store, records: int, seed: int) -> None:
    gen = SampleGenerator(seed=seed, reference=store.reference)
    done = 0
    while done < records:
        chunk = min(10_000, records - done)
        store.conversations.save_many(list(gen.conversations(chunk)))
        done += chunk


def raw_pipeline(db: Path, folder: Path) -> float:
    """Seconds to read the same outbox JSON from the client file and POST + executemany it."""
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve-raw", str(port), str(folder / "raw.sqlite")])
    try:
        url = f"http://127.0.0.1:{port}/v1/push"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.post(url, json={"changes": []}, timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.1)
        session = requests.Session()
        started = time.perf_counter()
        conn = sqlite3.connect(db)
        last = 0
        while True:
            rows = conn.execute("SELECT seq, kind, record_id, rev, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                                (last, BATCH)).fetchall()
            if not rows:
                break
            body = json.dumps({"batch_id": str(last), "changes": [
                {"kind": k, "id": i, "rev": r, "base_rev": None, "record": json.loads(payload)} for _s, k, i, r, payload in rows]})
            session.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=120).raise_for_status()
            last = rows[-1][0]
        seconds = time.perf_counter() - started
        conn.close()
        return seconds
    finally:
        server.terminate()
        server.wait(10)


def idle_gaps(seconds: float) -> float:
    """The longest gap between 1 ms timer ticks with nothing running: this machine's own noise."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    clock = QElapsedTimer()
    gaps: list[float] = []
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(tick)
    clock.start()
    timer.start()
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    timer.stop()
    return max(gaps[1:] or [0.0])


def gui_stall(store: Store, records: int) -> tuple[float, float]:
    """(longest GUI-thread gap in ms, seconds the sync took) while the controller syncs."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from champions.ui.sync.controller import SyncController
    from champions.ui.sync.status import SyncStatusWidget

    app = QApplication.instance() or QApplication([])
    controller = SyncController(store, interval_minutes=60, debounce_ms=60_000)  # the app's own engine settings
    widget = SyncStatusWidget()
    controller.view_changed.connect(widget.show_view)
    widget.show()
    clock = QElapsedTimer()
    gaps: list[float] = []
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(tick)
    done: list[float] = []
    controller.sync_finished.connect(lambda _r: (done.append(clock.nsecsElapsed() / 1e9), app.quit()))
    controller.view_changed.connect(lambda v: app.quit() if v.phase in ("problem", "offline") else None)
    # let the first status read finish, then measure only the sync itself
    QTimer.singleShot(300, lambda: (clock.start(), last.__setitem__(0, 0.0), timer.start(), controller.sync_now()))
    app.exec()
    timer.stop()
    controller.shutdown()
    if not done:
        raise SystemExit(f"the GUI sync did not finish: {controller.view.problem}")
    return max(gaps[1:] or [0.0]), done[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--serve-raw", nargs=2, metavar=("PORT", "DB"))
    args = parser.parse_args()
    if args.serve_raw:
        serve_raw(int(args.serve_raw[0]), args.serve_raw[1])
        return 0
    keyring.set_keyring(MemoryKeyring())
    n = args.records
    folder = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    with fresh_database(folder, "sqlite") as url:
        cli = HubCli(url)
        org = cli.create_org("Benchmark VCS")
        with run_hub(url) as hub:
            # 1. end to end, against the raw pipeline over the same client file
            store = Store.open(folder / "client.db", None)
            print(f"Generating {n:,} conversations in a fresh client database…", flush=True)
            fill(store, n, seed=1)
            enrol(store, hub.base_url, cli.invite(org, "Amina"))
            raw = raw_pipeline(store.path, folder)
            engine = SyncEngine(store, batch_size=BATCH, pull_limit=p.PULL_MAX_LIMIT)
            started = time.perf_counter()
            report = engine.run_once()
            sync_seconds = time.perf_counter() - started
            assert report.accepted == n and store.unsynced_count() == 0, report

            # 2. nothing to do
            rounds = []
            for _ in range(30):
                started = time.perf_counter()
                engine.run_once()
                rounds.append((time.perf_counter() - started) * 1000)
            engine.close()
            store.close()

            # 3. GUI stall: a second laptop with N records, synced by the real controller
            other = Store.open(folder / "gui-client.db", None)
            fill(other, n, seed=2)
            enrol(other, hub.base_url, cli.invite(org, "Bilal"))
            stall_ms, gui_seconds = gui_stall(other, n)
            idle_ms = idle_gaps(min(gui_seconds, 30.0))
            left = other.unsynced_count()
            other.close()
            assert left == 0, left

    ratio = raw / report.push_seconds
    median, worst = statistics.median(rounds), max(rounds)
    print()
    print(f"records: {n:,} conversations, batches of {BATCH}, hub on SQLite, client and hub on this machine")
    print(f"raw pipeline (read outbox, POST, parse, executemany): {raw:7.2f} s  {n / raw:9,.0f} records/s")
    print(f"sync push, client database to hub database:          {report.push_seconds:7.2f} s  "
          f"{n / report.push_seconds:9,.0f} records/s")
    print(f"  sync / raw throughput: {ratio:.0%}   (target >= 25%)   {'PASS' if ratio >= 0.25 else 'FAIL'}")
    print(f"whole run_once (push, then pull of {n:,} echoes):       {sync_seconds:7.2f} s")
    print(f"no-change sync: median {median:.1f} ms, worst {worst:.1f} ms of 30   (target < 100 ms)   "
          f"{'PASS' if median < 100 else 'FAIL'}")
    print(f"GUI thread while syncing {n:,} on the worker ({gui_seconds:.1f} s): longest stall {stall_ms:.1f} ms   "
          f"(target <= 50 ms)   {'PASS' if stall_ms <= 50 else 'FAIL'}")
    print(f"  the same 1 ms timer with nothing running, same machine, same run: longest gap {idle_ms:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
