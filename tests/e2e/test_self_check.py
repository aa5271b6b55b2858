"""The sync part of ``champions --self-check``: a plain answer, never an exception."""

from champions.store import Store
from champions.sync.enrolment import enrol
from champions.sync.self_check import check_hub, sync_once

from tests.sync.netutil import closed_port


def test_self_check_syncs_once_or_explains(hub, tmp_path):
    store = Store.open(tmp_path / "x.db", None)
    try:
        assert sync_once(store).lines == ["Sync: not enrolled and no hub address set; nothing to check."]
        result = sync_once(store, hub.url)
        assert result.ok and result.lines[0].startswith(f"Hub {hub.url}: reachable (protocol 1, sqlite).")  # the e2e hub is on SQLite
        bad = check_hub(f"http://127.0.0.1:{closed_port()}")
        assert not bad.ok and "Champions cannot reach the hub right now" in bad.lines[0]
        enrol(store, hub.url, hub.cli.invite(hub.org_id, "Amina"))
        done = sync_once(store)
        assert done.ok and done.lines[0].startswith(f"Sync with {hub.url} as Amina: OK (sent 0, received 0;")
        hub.running.kill()
        failed = sync_once(store)
        assert not failed.ok and "FAILED. Champions cannot reach the hub right now" in failed.lines[0]
    finally:
        store.close()
