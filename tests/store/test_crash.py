"""Crash safety with real processes: a child saving in a loop is SIGKILLed at random moments.

After every kill the store must open (integrity check included), every save that had
returned must be there exactly as it was returned, and the outbox must match the records
one to one: one outbox row per revision, the latest one equal to the record's rev, no
orphans.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from champions.domain import RECORD_TYPES
from champions.store import Store

KILLS = 50
CHILD = Path(__file__).with_name("crash_child.py")
RECORD_TABLES = ("conversation", "barrier", "outreach_activity", "community_asset")


def _run_and_kill(path: Path, key: bytes, seed: int, rng: random.Random) -> list[str]:
    env = {**os.environ, "CHAMPIONS_TEST_KEY": key.hex(), "PYTHONPATH": str(Path(__file__).parents[2])}
    child = subprocess.Popen([sys.executable, str(CHILD), str(path), str(seed)], stdout=subprocess.PIPE, env=env)
    assert child.stdout is not None
    if rng.random() < 0.1:
        time.sleep(rng.uniform(0.0, 0.6))  # sometimes while it is still starting or opening the file
    else:
        ready = child.stdout.readline()
        assert ready == b"ready\n", ready
        time.sleep(rng.uniform(0.0, 0.15))
    child.send_signal(signal.SIGKILL)
    out = child.stdout.read()  # not communicate(timeout=...): it would skip what readline() buffered
    assert child.wait(timeout=30) == -signal.SIGKILL
    lines = out.decode().split("\n")
    complete = lines[:-1]  # a line cut by the kill is not a returned save
    return [line for line in complete if line and line != "ready"]


def _check(store: Store, returned: dict[str, dict], unfinished: set[str], accounted: set[str]) -> None:
    """``unfinished``: ids of the change that had begun but not returned when the child died."""
    for record_id, data in list(returned.items()):
        model = RECORD_TYPES[data["kind"]]
        stored = store.repository(data["kind"]).get(record_id)
        expected = model.model_validate(data, context={"now": stored.updated_at})
        if stored.rev == expected.rev:
            assert stored == expected
        else:  # only the unfinished change may have committed without its line being written
            assert record_id in unfinished and stored.rev == expected.rev + 1, (record_id, stored.rev, expected.rev)
            returned[record_id] = json.loads(stored.model_dump_json())
    conn = store._conn
    for table in RECORD_TABLES:  # nothing in the file that the child did not set out to save
        assert {i for (i,) in conn.execute(f"SELECT id FROM {table}")} <= accounted
    for table in RECORD_TABLES:
        mismatched = conn.execute(
            f"""SELECT t.id, t.rev, count(o.seq), max(o.rev), min(o.rev)
                FROM {table} AS t LEFT JOIN outbox AS o ON o.record_id = t.id
                GROUP BY t.id HAVING count(o.seq) != t.rev OR max(o.rev) IS NOT t.rev OR min(o.rev) != 1"""
        ).fetchall()
        assert mismatched == [], f"{table}: records without exactly one outbox row per revision: {mismatched[:3]}"
        wrong_payload = conn.execute(
            f"SELECT t.id FROM {table} AS t JOIN outbox AS o ON o.record_id = t.id AND o.rev = t.rev WHERE o.payload != t.data"
        ).fetchall()
        assert wrong_payload == []
    union = " UNION ALL ".join(f"SELECT id, rev, '{t}' AS kind FROM {t}" for t in RECORD_TABLES)
    orphans = conn.execute(
        f"SELECT o.seq FROM outbox AS o LEFT JOIN ({union}) AS r ON r.id = o.record_id AND r.kind = o.kind "
        "WHERE r.id IS NULL OR o.rev > r.rev"
    ).fetchall()
    assert orphans == []


@pytest.mark.timeout(180)
def test_saves_survive_sigkill_at_random_moments(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "champions.db"
    rng = random.Random(20251122)
    returned: dict[str, dict] = {}
    accounted: set[str] = set()
    total_saves = 0
    for kill in range(KILLS):
        unfinished: set[str] = set()
        for line in _run_and_kill(path, key, seed=kill, rng=rng):
            data = json.loads(line)
            if "intent" in data:
                unfinished = set(data["intent"])
                accounted |= unfinished
            else:
                returned[data["id"]] = data
                unfinished.discard(data["id"])
                total_saves += 1
        with Store.open(path, key) as store:  # includes PRAGMA quick_check
            assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            _check(store, returned, unfinished, accounted)
    assert total_saves > KILLS, "the children should have saved records between kills"
