"""Sync benchmark (issue 5), each figure against a baseline measured in the same run.

1. End to end: N conversations (default 100,000) from a fresh client database to the hub's
   database: the whole ``SyncEngine.run_once()``, as the app runs it (the push in batches of
   1,000 and the pull that follows it), checked against the hub's own database afterwards,
   against the raw pipeline measured in the same run, before and after the sync: the same
   outbox JSON read from the same client file, POSTed in the same batches to an endpoint that
   only parses it and inserts it with ``executemany``. Target: at least 25% of the raw
   pipeline's throughput (against the mean of the two raw runs).
2. A sync with nothing to do: median and worst round trip of ``run_once()``. Target: < 100 ms.
3. The GUI thread's event-loop lag (a 1 ms precise QTimer; the largest gap between ticks) while
   the app's real window (``build_window``: list pages, Home, status bar, Sync page, sync
   installed) on a coordinator's laptop pushes N records of its own and pulls the first
   laptop's N, refreshing its lists as pulled pages arrive; then in the 3 s after, while it
   refreshes with what came; and the same window idle before (once it has loaded), as this
   machine's own noise. Long gaps are explained: the GUI thread's Python stack during them, and
   every garbage-collector pass over 20 ms with what started it. Target: <= 50 ms.

    python benchmarks/sync_bench.py [--records 100000] [--gui-records N] [--skip gui|e2e] [--explain]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
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


def raw_pipeline(db: Path, folder: Path, name: str = "raw.sqlite") -> float:
    """Seconds to read the same outbox JSON from the client file and POST + executemany it."""
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve-raw", str(port), str(folder / name)])
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


class LoopLag:
    """Event-loop lag on the GUI thread: a 1 ms precise timer; each gap between ticks is how long
    the loop could not run anything (painting, input, the window's own refreshes)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[tuple[float, float]] = []  # (ms since start, gap ms)
        self.stacks: list[tuple[float, str]] = []  # (the last tick before, the GUI thread's stack)
        self._last = 0.0
        self._last_wall = 0.0
        self._watching = False

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        self.gaps.append((now, now - self._last))
        self._last = now
        self._last_wall = time.perf_counter()

    def start(self) -> None:
        self.gaps.clear()
        self.stacks.clear()
        self.clock.start()
        self._last = 0.0
        self._last_wall = time.perf_counter()
        self.timer.start()
        self._watching = True
        self._watchdog = threading.Thread(target=self._watch, daemon=True)
        self._watchdog.start()

    def stop(self) -> None:
        self.timer.stop()
        self._watching = False

    def _watch(self) -> None:
        """While the GUI thread has not ticked for 25 ms, note what it is doing (its Python stack)."""
        main = threading.main_thread().ident
        while self._watching:
            time.sleep(0.005)
            late = (time.perf_counter() - self._last_wall) * 1000
            if late > 25:
                frame = sys._current_frames().get(main)
                where = []
                while frame is not None and len(where) < 6:
                    code = frame.f_code
                    where.append(f"{Path(code.co_filename).name}:{code.co_name}")
                    frame = frame.f_back
                self.stacks.append((self._last, " < ".join(where)))

    def explain(self, over: float = 50.0) -> list[str]:
        """For each gap over ``over`` ms: what the GUI thread was seen doing during it."""
        out = []
        for at, gap in self.gaps[1:]:
            if gap <= over:
                continue
            seen = collections.Counter(stack for start, stack in self.stacks if at - gap - 1 <= start <= at)
            out.append(f"{gap:.0f} ms at {at / 1000:.1f} s: " + "; ".join(f"{n}x {s}" for s, n in seen.most_common(2)))
        return out

    def elapsed(self) -> float:
        return self.clock.nsecsElapsed() / 1e9

    def summary(self) -> dict[str, float]:
        return self.summarise([g for _t, g in self.gaps[1:]])

    @staticmethod
    def summarise(gaps: list[float]) -> dict[str, float]:
        gaps = sorted(gaps) or [0.0]
        return {"max": gaps[-1], "p99": gaps[int(len(gaps) * 0.99) - 1] if len(gaps) > 1 else gaps[0],
                "over50": float(sum(g > 50 for g in gaps)), "ticks": float(len(gaps))}

    def worst(self, n: int = 5) -> list[tuple[float, float]]:
        return sorted(self.gaps[1:], key=lambda tg: -tg[1])[:n]


def run_loop(seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


class GcPauses:
    """Every garbage-collector pass over 20 ms, on any thread: a pass holds the GIL, so the GUI
    thread waits for it whichever thread started it."""

    def __init__(self) -> None:
        import gc

        self.pauses: list[tuple[float, int, str]] = []
        self._began = 0.0
        self._gc = gc
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
            if info.get("generation") == 2:
                frame, where = sys._getframe(1), []
                while frame is not None and len(where) < 4:
                    where.append(f"{Path(frame.f_code.co_filename).name}:{frame.f_code.co_name}")
                    frame = frame.f_back
                self._where = " < ".join(where)
        elif (spent := (time.perf_counter() - self._began) * 1000) > 20:
            self.pauses.append((spent, info.get("generation", -1), getattr(self, "_where", "")))

    def stop(self) -> None:
        self._gc.callbacks.remove(self._callback)


class SlowSlots:
    """Diagnosis only (``--explain``; it slows the GUI thread a little): every Python call made
    straight from Qt on the GUI thread (a slot, a model's data(), a timer) that took over 20 ms."""

    def __init__(self) -> None:
        self.slow: list[tuple[float, str]] = []
        self._started: dict[int, float] = {}
        sys.setprofile(self._profile)

    def _profile(self, frame, event, _arg) -> None:  # noqa: ANN001
        if event not in ("call", "return"):
            return
        back = frame.f_back
        if back is not None and back.f_code.co_name not in ("run_loop", "gui_stall"):
            return
        if event == "call":
            self._started[id(frame)] = time.perf_counter()
        else:
            began = self._started.pop(id(frame), None)
            if began is not None and (spent := (time.perf_counter() - began) * 1000) > 20:
                code = frame.f_code
                self.slow.append((spent, f"{Path(code.co_filename).parent.name}/{Path(code.co_filename).name}:{code.co_name}"))

    def stop(self) -> None:
        sys.setprofile(None)


def settle(window: object, most: float = 300.0) -> float:
    """Run the loop until the window has loaded what it shows (its workers idle for 2 s); seconds taken."""
    started = time.perf_counter()
    quiet = 0
    while time.perf_counter() - started < most and quiet < 20:
        run_loop(0.1)
        busy = (window.worker.is_busy() or window.counter.is_busy() or window._refresh_timer.isActive()
                or window.sync_controller.running)
        quiet = 0 if busy else quiet + 1
    return time.perf_counter() - started


def gui_stall(store: Store, idle_seconds: float, explain: bool = False) -> dict[str, object]:
    """The app's real window (list pages, Home, status bar, Sync page) with sync installed as the
    app installs it, syncing on its worker thread while the window refreshes its lists after each
    pulled page. Measures the GUI thread's event-loop lag during the sync, and with nothing
    running (the same window, just before), as this machine's own noise."""
    from champions.ui.app import apply_style, build_window, make_application

    app = make_application()
    apply_style(app)
    window = build_window(store)
    controller = window.sync_controller
    # the app's own engine and batches; only the timers are kept out of the way of the measurement
    controller.periodic.stop()
    controller.debounce.setInterval(60 * 60_000)
    window.resize(1366, 768)
    window.show()
    window.go_to("conversations")  # the biggest list, refreshed as pulled pages arrive
    settle(window)  # first paint, the first searches, counts and Home figures, the first status read
    lag = LoopLag()
    lag.start()
    run_loop(idle_seconds)
    lag.stop()
    idle = lag.summary()
    idle_worst = lag.worst()
    idle_explained = lag.explain()

    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    done: list[object] = []
    refreshes = [0]
    window.conversations.model.modelReset.connect(lambda: refreshes.__setitem__(0, refreshes[0] + 1))
    controller.sync_finished.connect(lambda r: (done.append(r), loop.quit()))
    controller.view_changed.connect(lambda v: loop.quit() if v.phase in ("problem", "offline") else None)
    slow = SlowSlots() if explain else None
    pauses = GcPauses()
    lag.start()
    controller.sync_now()
    loop.exec()
    seconds = lag.elapsed()
    during = LoopLag.summarise([g for t, g in lag.gaps[1:] if t <= seconds * 1000])
    run_loop(3.0)  # the window's refresh of what the sync brought, still measured
    lag.stop()
    after = LoopLag.summarise([g for t, g in lag.gaps[1:] if t > seconds * 1000])
    if slow is not None:
        slow.stop()
    pauses.stop()
    busy = lag.summary()
    worst = lag.worst()
    explained = lag.explain()
    window.shutdown()
    window.deleteLater()
    run_loop(0.2)
    if not done:
        raise SystemExit(f"the GUI sync did not finish: {controller.view.problem}")
    report = done[0]
    return {"idle": idle, "idle_worst": idle_worst, "busy": busy, "worst": worst, "seconds": seconds,
            "explained": explained, "idle_explained": idle_explained, "during": during, "after": after,
            "slow": sorted(slow.slow, reverse=True)[:10] if slow else [],
            "gc": sorted(pauses.pauses, reverse=True)[:5],
            "pulled": getattr(report, "pulled", 0), "sent": getattr(report, "sent", 0), "refreshes": refreshes[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--gui-records", type=int, default=None, help="records for the GUI figure (default: --records)")
    parser.add_argument("--skip", choices=("gui", "e2e"), action="append", default=[])
    parser.add_argument("--explain", action="store_true", help="name the slow GUI-thread calls (slows them a little)")
    parser.add_argument("--serve-raw", nargs=2, metavar=("PORT", "DB"))
    args = parser.parse_args()
    if args.serve_raw:
        serve_raw(int(args.serve_raw[0]), args.serve_raw[1])
        return 0
    keyring.set_keyring(MemoryKeyring())
    n = args.records
    gui_n = args.gui_records or n
    folder = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    load = os.getloadavg()
    lines: list[str] = []
    with fresh_database(folder, "sqlite") as url:
        cli = HubCli(url)
        org = cli.create_org("Benchmark VCS")
        with run_hub(url) as hub:
            if "e2e" not in args.skip:
                # 1. end to end: a fresh client database to the hub database, the whole sync as the
                #    app runs it (push, then the pull that follows), against the raw pipeline over the
                #    same client file, measured in the same run
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
                hub_rows = hub_count(url)
                assert hub_rows == n, hub_rows  # it is in the hub's database, once each
                # the raw pipeline again, into a fresh database: a machine whose load changed during
                # the sync shows as two different raw figures, and the ratio uses their mean
                raw_after = raw_pipeline(store.path, folder, "raw-after.sqlite")

                # 2. nothing to do
                rounds = []
                for _ in range(30):
                    started = time.perf_counter()
                    engine.run_once()
                    rounds.append((time.perf_counter() - started) * 1000)
                engine.close()
                store.close()
                raw_mean = (raw + raw_after) / 2
                ratio = raw_mean / sync_seconds
                median, worst = statistics.median(rounds), max(rounds)
                pull_seconds = report.seconds - report.push_seconds
                lines += [
                    f"records: {n:,} conversations, batches of {BATCH}, hub on SQLite, client and hub on this machine",
                    f"raw pipeline (read outbox, POST the JSON, parse, executemany): {raw_mean:7.2f} s  "
                    f"{n / raw_mean:9,.0f} records/s   (before the sync {raw:.2f} s, after it {raw_after:.2f} s)",
                    f"sync end to end, client database to hub database (run_once): {sync_seconds:7.2f} s  "
                    f"{n / sync_seconds:9,.0f} records/s",
                    f"  of which the push {report.push_seconds:.2f} s, the pull that follows "
                    f"(our own {n:,} coming back) {pull_seconds:.2f} s",
                    f"  sync / raw throughput: {ratio:.0%}   (target >= 25%)   {'PASS' if ratio >= 0.25 else 'FAIL'}",
                    f"no-change sync: median {median:.1f} ms, worst {worst:.1f} ms of 30   (target < 100 ms)   "
                    f"{'PASS' if median < 100 else 'FAIL'}",
                ]

            if "gui" not in args.skip:
                # 3. GUI stall: a coordinator's laptop with its own records, synced by the app's window:
                #    it pushes its own and pulls the first laptop's (a coordinator sees every record)
                other = Store.open(folder / "gui-client.db", None)
                print(f"Generating {gui_n:,} conversations for the GUI laptop…", flush=True)
                fill(other, gui_n, seed=2)
                enrol(other, hub.base_url, cli.add_coordinator(org, "Bilal"))
                figures = gui_stall(other, idle_seconds=5.0, explain=args.explain)
                left = other.unsynced_count()
                other.close()
                assert left == 0, left
                busy, idle = figures["busy"], figures["idle"]
                lines += [
                    f"GUI: the app's window with sync installed syncs {figures['sent']:,} records and pulls "
                    f"{figures['pulled']:,} ({figures['seconds']:.1f} s; the conversation list refreshed "
                    f"{figures['refreshes']} times)",
                    f"  longest event-loop stall {busy['max']:.1f} ms, 99th percentile {busy['p99']:.1f} ms, "
                    f"{busy['over50']:.0f} gaps over 50 ms of {busy['ticks']:.0f}   (target <= 50 ms)   "
                    f"{'PASS' if busy['max'] <= 50 else 'FAIL'}",
                    f"    while it syncs: longest {figures['during']['max']:.1f} ms, 99th percentile "
                    f"{figures['during']['p99']:.1f} ms, {figures['during']['over50']:.0f} over 50 ms",
                    f"    the 3 s after, the window refreshing its lists with what came: longest "
                    f"{figures['after']['max']:.1f} ms, {figures['after']['over50']:.0f} over 50 ms",
                    f"  worst gaps (at ms, gap ms): {[(round(t), round(g, 1)) for t, g in figures['worst']]}",
                    f"  the same window idle for 5 s just before: longest gap {idle['max']:.1f} ms, "
                    f"99th percentile {idle['p99']:.1f} ms, {idle['over50']:.0f} over 50 ms",
                    f"  idle worst gaps: {[(round(t), round(g, 1)) for t, g in figures['idle_worst']]}",
                    *(f"  stall {line}" for line in figures["explained"]),
                    *(f"  idle stall {line}" for line in figures["idle_explained"]),
                    *(f"  slow GUI-thread call: {ms:.0f} ms {where}" for ms, where in figures["slow"]),
                    "  garbage-collector passes over 20 ms (ms, generation, started by): "
                    f"{[(round(ms), g, t) for ms, g, t in figures['gc']]}",
                ]
    lines.append(f"machine: {os.cpu_count()} cores, load average at start {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}")
    print()
    print("\n".join(lines))
    return 0


def hub_count(database_url: str) -> int:
    """Conversations in the hub's own database (current versions, one row per record)."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM records WHERE kind = 'conversation'").scalar_one())
    finally:
        engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
