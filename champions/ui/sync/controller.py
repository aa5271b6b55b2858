"""Automatic sync for the window: when it runs, on which thread, and what the status bar says.

Sync runs shortly after a save (debounced, so ten quick saves make one sync), every few minutes
(``sync_interval_minutes``), when the network comes back (QNetworkInformation, where the
platform has a backend), and on "Sync now". It never runs on the GUI thread: a StoreWorker thread
owns its own ``store.reopen()`` and the engine. Results come back as signals.

After a problem that waiting cannot fix (a revoked laptop, an app too old for the hub, not
enrolled) automatic sync stops; "Sync now" tries again. The app keeps working offline throughout.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QLocale, QObject, QTimer, Signal

from champions.sync import enrolment
from champions.sync.engine import SyncEngine, SyncReport, SyncStatus
from champions.sync.errors import HubUnreachable, SyncError

from ..workers import StoreEvents, StoreWorker
from .messages import problem_message, sync_message, translated

log = logging.getLogger(__name__)

_FROZEN = False

DEFAULT_INTERVAL_MINUTES = 5
"""Every few minutes, as the issue asks (the settings' own default is the same)."""
SAVE_DEBOUNCE_MS = 3_000
"""Wait this long after the last save before syncing: a burst of saves makes one sync."""


@dataclass(frozen=True)
class ProblemRow:
    """One record the hub refused or that conflicts, described for a person."""

    kind: str
    record_id: str
    title: str
    state: str  # rejected | conflict
    reason: str
    fields: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SyncView:
    """Everything the status bar and the Sync page show; made on the worker thread."""

    phase: str = "starting"  # not_enrolled | syncing | offline | waiting | synced | problem
    unsynced: int = -1
    last_success: datetime | None = None
    problem: str | None = None
    problem_kind: str | None = None
    identity: enrolment.Identity | None = None
    problems: tuple[ProblemRow, ...] = ()
    network_online: bool | None = None

    @property
    def online(self) -> bool | None:
        if self.network_online is False or self.problem_kind in ("HubUnreachable",):
            return False
        if self.phase in ("synced", "waiting", "syncing") and self.identity is not None:
            return True
        return self.network_online


KIND_WORDS = {
    "conversation": QT_TRANSLATE_NOOP("SyncKinds", "Conversation"),
    "barrier": QT_TRANSLATE_NOOP("SyncKinds", "Barrier"),
    "outreach_activity": QT_TRANSLATE_NOOP("SyncKinds", "Outreach activity"),
    "community_asset": QT_TRANSLATE_NOOP("SyncKinds", "Community asset"),
    "reference_item": QT_TRANSLATE_NOOP("SyncKinds", "List item"),
    "review": QT_TRANSLATE_NOOP("SyncKinds", "Review"),
}


def kind_word(kind: str) -> str:
    return QCoreApplication.translate("SyncKinds", KIND_WORDS[kind]) if kind in KIND_WORDS else kind


def date_text(when: Any) -> str:
    """The day in the person's language and order (“3 Mar 2026” in English)."""
    day = QDate(when.year, when.month, when.day)
    return QLocale().toString(day, QCoreApplication.translate("SyncKinds", "d MMM yyyy"))


def describe_record(store: Any, kind: str, record_id: str) -> str:
    """“Conversation, 3 Mar 2026, Birkenhead” — enough for a champion to find it."""
    try:
        record = store.repository(kind).get(record_id)
    except Exception:  # noqa: BLE001 - a record we cannot read is still listed by id
        return f"{kind_word(kind)} {record_id[:8]}"
    parts = [kind_word(kind)]
    when = getattr(record, "occurred_at", None)
    if when is not None:
        parts.append(date_text(when))
    for name in ("name", "label", "neighbourhood"):
        value = getattr(record, name, None)
        if value:
            parts.append(str(value))
            break
    return ", ".join(parts)


class SyncController(QObject):
    """Owns automatic sync for one store. Create once per window; call ``shutdown()`` on close."""

    view_changed = Signal(object)  # SyncView
    sync_finished = Signal(object)  # SyncReport
    data_changed = Signal()  # the hub sent something: lists should refresh
    enrolled = Signal(object)  # Identity

    def __init__(self, store: Any, parent: QObject | None = None, *,
                 engine_factory: Callable[[Any], SyncEngine] | None = None,
                 interval_minutes: int | None = None, debounce_ms: int = SAVE_DEBOUNCE_MS) -> None:
        super().__init__(parent)
        # The objects alive now (Qt, the modules, the window) live as long as the app: take them out
        # of the cyclic garbage collector's full passes. Otherwise a full pass, started by the sync
        # worker's allocations, walks them all while holding the GIL and the window freezes for
        # 100 ms or more (measured by benchmarks/sync_bench.py). Once per process: that is app start.
        global _FROZEN
        if not _FROZEN:
            gc.freeze()
            _FROZEN = True
        self.store = store
        # Batches of 250 keep each step on the worker short, so the GUI thread never waits long for the GIL.
        self.engine_factory = engine_factory or (lambda s: SyncEngine(s, batch_size=250, pull_limit=100))
        self.worker = StoreWorker(store, self, name="sync")
        self.events = StoreEvents(store, self)
        self.view = SyncView()
        self.running = False
        self._again = False
        self._engines: dict[int, SyncEngine] = {}
        self._network_online: bool | None = None
        self._shut = False

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(debounce_ms)
        self.debounce.timeout.connect(lambda: self.sync_now(automatic=True))
        self.periodic = QTimer(self)
        minutes = interval_minutes if interval_minutes is not None else _interval_from_settings()
        self.periodic.setInterval(max(1, minutes) * 60_000)
        self.periodic.timeout.connect(lambda: self.sync_now(automatic=True))
        self.periodic.start()
        self.events.changed.connect(self._store_changed)
        self.network = _network_information()
        if self.network is not None:
            self._network_online = _is_online(self.network.reachability())
            self.network.reachabilityChanged.connect(self._reachability_changed)
        self.refresh()

    # ---- triggers ---------------------------------------------------------------------

    def _store_changed(self, event: Any) -> None:
        if getattr(event, "action", None) in ("sync", "remote"):
            return
        self.refresh()
        if self._automatic_allowed():
            self.debounce.start()

    def _reachability_changed(self, reachability: Any) -> None:
        was = self._network_online
        self._network_online = _is_online(reachability)
        self._publish(replace(self.view, network_online=self._network_online))
        if self._network_online and was is False and self._automatic_allowed():
            self.sync_now(automatic=True)

    def _automatic_allowed(self) -> bool:
        """Waiting cannot fix a revoked device, an old app or a missing enrolment: only Sync now."""
        if self.view.identity is None and self.view.phase != "starting":
            return False
        return self.view.problem_kind not in ("DeviceRevoked", "UpgradeRequired", "NotEnrolled", "TLSProblem",
                                              "CredentialStoreUnavailable")

    # ---- actions ------------------------------------------------------------------------

    def sync_now(self, automatic: bool = False) -> None:
        """Start a sync in the background (or once more right after the running one)."""
        if automatic and not self._automatic_allowed():
            return
        self.debounce.stop()
        if self.running:
            self._again = True
            return
        self.running = True
        self._publish(replace(self.view, phase="syncing"))
        self.worker.submit(self._run_job, self._sync_done, self._sync_failed)

    def refresh(self) -> None:
        """Re-read the status (counts, last sync, problems) in the background."""
        self.worker.submit(self._status_job, self._status_done, self._job_error, channel="status")

    def enrol(self, hub_url: str, code: str, on_done: Callable[[Any], None],
              on_error: Callable[[BaseException], None]) -> None:
        def job(store: Any) -> enrolment.Identity | SyncError:
            try:
                return enrolment.enrol(store, hub_url, code)
            except SyncError as exc:  # expected (a mistyped code): an answer, not a crash to log
                return exc

        def done(identity: enrolment.Identity | SyncError) -> None:
            if isinstance(identity, SyncError):
                on_error(identity)
                return
            self._publish(replace(self.view, identity=identity, problem=None, problem_kind=None))
            self.enrolled.emit(identity)
            on_done(identity)
            self.sync_now()

        self.worker.submit(job, done, on_error)

    def sign_out(self) -> None:
        self.worker.submit(lambda store: enrolment.sign_out(store), lambda _r: self.refresh(), self._job_error)

    def keep(self, record_id: str, which: str) -> None:
        def job(store: Any) -> None:
            engine = self._engine(store)
            (engine.keep_mine if which == "mine" else engine.keep_theirs)(record_id)

        self.worker.submit(job, lambda _r: self.sync_now(), self._job_error)

    def export_for_coordinator(self, path: Path, on_done: Callable[[int], None],
                               on_error: Callable[[BaseException], None]) -> None:
        self.worker.submit(lambda store: self._engine(store).export_for_coordinator(Path(path)), on_done, on_error)

    def shutdown(self) -> None:
        """Stop the timers and the worker thread (closing its engine and store). Safe to call twice."""
        if self._shut:
            return
        self._shut = True
        self.periodic.stop()
        self.debounce.stop()
        self.events.close()

        def close_engines(_store: Any) -> None:
            for engine in self._engines.values():
                engine.close()
            self._engines.clear()

        self.worker.submit(close_engines)
        self.worker.close()

    # ---- on the worker thread --------------------------------------------------------------

    def _engine(self, store: Any) -> SyncEngine:
        engine = self._engines.get(id(store))
        if engine is None:
            engine = self._engines[id(store)] = self.engine_factory(store)
        return engine

    def _run_job(self, store: Any) -> tuple[SyncReport | None, SyncError | None, SyncView]:
        engine = self._engine(store)
        try:
            report: SyncReport | None = engine.run_once()
            error = None
        except SyncError as exc:
            report, error = None, exc
        return report, error, self._view_from(store, engine.status())

    def _status_job(self, store: Any) -> SyncView:
        return self._view_from(store, self._engine(store).status())

    def _view_from(self, store: Any, status: SyncStatus) -> SyncView:
        problem = status.last_problem or {}
        rows: list[ProblemRow] = []
        engine = self._engine(store)
        conflicts = {c.record_id: c for c in engine.conflicts()}
        for kind, record_id, state, reason in engine.ledger.problems():
            fields = conflicts[record_id].fields if record_id in conflicts else []
            rows.append(ProblemRow(kind, record_id, describe_record(store, kind, record_id), state,
                                   translated(reason) if reason else "", fields))
        if status.identity is None:
            phase = "not_enrolled"
        elif problem:
            phase = "offline" if problem.get("kind") == "HubUnreachable" else "problem"
        elif status.unsynced:
            phase = "waiting"
        else:
            phase = "synced"
        last = datetime.fromisoformat(status.last_success) if status.last_success else None
        return SyncView(phase=phase, unsynced=status.unsynced, last_success=last, problem=problem_message(problem),
                        problem_kind=problem.get("kind"), identity=status.identity, problems=tuple(rows))

    # ---- back on the GUI thread ----------------------------------------------------------

    def _publish(self, view: SyncView) -> None:
        self.view = replace(view, network_online=self._network_online)
        self.view_changed.emit(self.view)

    def _status_done(self, view: SyncView) -> None:
        if self.running:
            view = replace(view, phase="syncing")
        self._publish(view)

    def _sync_done(self, result: tuple[SyncReport | None, SyncError | None, SyncView]) -> None:
        report, error, view = result
        self.running = False
        if error is not None:
            log.info("sync did not finish: %s", type(error).__name__)
        self._publish(view)
        if report is not None:
            self.sync_finished.emit(report)
        if report is None or report.pulled or report.merged:
            self.data_changed.emit()  # after an error we cannot tell how far it got
        if self._again:
            self._again = False
            # Asked for again while this one ran (a save, Sync now): not when it has just found the
            # hub unreachable. That would only spend another round of retries showing "Syncing"
            # over "Offline"; the timer, the network coming back and Sync now all try again.
            if not isinstance(error, HubUnreachable):
                self.sync_now(automatic=True)

    def _sync_failed(self, exc: BaseException) -> None:
        """Something unexpected (not a SyncError): say so plainly and keep the app running."""
        log.error("sync crashed: %s", type(exc).__name__, exc_info=exc)
        self.running = False
        self._publish(replace(self.view, phase="problem", problem_kind=type(exc).__name__,
                              problem=self.tr("Sync stopped because of an unexpected problem. Your work is saved; "
                                              "the details are in the log file.")))

    def _job_error(self, exc: BaseException) -> None:
        message = sync_message(exc) if isinstance(exc, SyncError) else self.tr("Something went wrong: {what}").format(
            what=type(exc).__name__)
        self._publish(replace(self.view, phase="problem", problem=message, problem_kind=type(exc).__name__))


def _interval_from_settings() -> int:
    try:
        from champions.config import load_settings

        return load_settings().settings.sync_interval_minutes
    except Exception:  # noqa: BLE001 - a broken config never stops sync; the default is safe
        return DEFAULT_INTERVAL_MINUTES


def _network_information() -> Any:
    """The platform's network reachability, or None where Qt has no backend (then sync just tries)."""
    try:
        from PySide6.QtNetwork import QNetworkInformation

        instance = QNetworkInformation.instance()
        if instance is None and QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
            instance = QNetworkInformation.instance()
        if instance is None or not instance.supports(QNetworkInformation.Feature.Reachability):
            return None
        return instance
    except Exception:  # noqa: BLE001 - no backend, no D-Bus, an old Qt: sync still works
        log.info("no network information backend; sync will simply try")
        return None


def _is_online(reachability: Any) -> bool | None:
    from PySide6.QtNetwork import QNetworkInformation

    r = QNetworkInformation.Reachability
    if reachability == r.Online:
        return True
    if reachability in (r.Disconnected, r.Local, r.Site):
        return False
    return None
