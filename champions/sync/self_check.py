"""What ``champions --self-check`` asks of sync: can this laptop reach its hub, and does a sync go through?

Returns plain lines for IT and never raises for a sync problem (the problem is the answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .client import HubClient
from .engine import SyncEngine
from .enrolment import connection_options, current_identity
from .errors import SyncError


@dataclass
class CheckResult:
    ok: bool
    lines: list[str]


def check_hub(hub_url: str) -> CheckResult:
    """GET /v1/health through the same trust store, CA bundle and proxy as sync uses."""
    try:
        with HubClient(hub_url, **connection_options(), retries=1) as client:
            health = client.health()
    except SyncError as exc:
        return CheckResult(False, [f"Hub {hub_url}: NOT reachable. {exc}"])
    return CheckResult(True, [f"Hub {hub_url}: reachable (protocol {health.protocol_version}, {health.database})."])


def sync_once(store: Any, hub_url: str | None = None) -> CheckResult:
    """Sync once if this laptop is enrolled; otherwise check the configured hub address answers."""
    identity = current_identity(store)
    if identity is None:
        if not hub_url:
            return CheckResult(True, ["Sync: not enrolled and no hub address set; nothing to check."])
        result = check_hub(hub_url)
        result.lines.append("Sync: this laptop is not enrolled yet (enrol with an invite code from the coordinator).")
        return result
    engine = SyncEngine(store)
    try:
        report = engine.run_once()
    except SyncError as exc:
        return CheckResult(False, [f"Sync with {identity.hub_url} as {identity.person_name}: FAILED. {exc}"])
    finally:
        engine.close()
    waiting = store.unsynced_count()
    return CheckResult(True, [f"Sync with {identity.hub_url} as {identity.person_name}: OK ({report.summary()}; "
                              f"{waiting} change(s) still waiting, {report.seconds:.1f} s)."])
