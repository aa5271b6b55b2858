"""Store benchmark: the store against raw SQL into the same tables, measured in the same run.

    python benchmarks/store_bench.py                  # the issue's sizes: 100k bulk, search over 1M
    python benchmarks/store_bench.py --rows 200000    # a quicker run

Every figure has a baseline taken in this run, on this disk, with the same file settings
(SQLCipher key, WAL, synchronous=FULL, the same tables, indexes and FTS triggers):

- single save: ``repo.save(record)`` (validate, record row, barrier rows, outbox row, one
  transaction) against the same rows written by hand: BEGIN IMMEDIATE, INSERTs, COMMIT.
  Store and raw saves alternate, so background load hits both alike. Target: <= 2x raw.
- bulk save: ``repo.save_many(records)`` of generated records against ``executemany`` of
  the same rows in one transaction, each twice on fresh files in the order raw, store,
  store, raw; the best of each is compared. Target: >= 50% of raw throughput.
- search: ``repo.query(Query(text=..., limit=50))`` (first page, newest first, records
  parsed) over --rows conversations, against the same SQL run raw. Target: p95 < 50 ms.
  The search file is the bulk file topped up with raw inserts of generated records, 50,000
  per 90 days going back (so 1M rows span about five years), each chunk in time order as
  champions log them; filling a million through the store would only time the bulk path again.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from champions.domain import Conversation, ReferenceLists, load_default_items, utcnow  # noqa: E402
from champions.domain.samples import SampleGenerator  # noqa: E402
from champions.store import Query, Store  # noqa: E402
from champions.store.kinds import SLOTS, SPECS, conversation_barriers, iso, seq_base  # noqa: E402
from champions.store.query import select  # noqa: E402

SPEC = SPECS["conversation"]
COLUMNS = ("seq", "id", "rev", "deleted", "org_id", "author_id", "device_id", "created_at", "updated_at",
           *SPEC.columns, "sync_state", "sync_reason", "data")
INSERT_RECORD = f"INSERT INTO conversation ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
INSERT_BARRIER = "INSERT INTO conversation_barrier (conversation_id, position, seq, code, domain) VALUES (?, ?, ?, ?, ?)"
INSERT_OUTBOX = ("INSERT INTO outbox (kind, record_id, rev, payload, state, created_at, updated_at) "
                 "VALUES ('conversation', ?, ?, ?, 'pending', ?, ?)")
SEARCHES = [
    "buses", "bus", "halal", "gelatine", "pork gel", "pregnant", "smartphone", "surgery", "chemist", "wheelchair",
    "imam", "whatsapp", "chip", "dna", "side effects", "sister poorly", "two buses clinic", "leaflets urdu",
    "mmr", "winter jabs", "pharm", "receptionist rude", "home office", "proof of address", "nights", "kids",
    "husband", "gp never", "young healthy", "drug companies",
]


class Rows:
    """The rows the store would write for these records, made before the clock starts (the raw baseline)."""

    def __init__(self, conn: Any, ref: ReferenceLists) -> None:
        self.conn, self.ref = conn, ref
        self.last: dict[int, int] = {}

    def seq(self, record: Conversation) -> int:
        base = seq_base(record.occurred_at)
        last = self.last.get(base)
        if last is None:
            found = self.conn.execute("SELECT max(seq) FROM conversation WHERE seq >= ? AND seq < ?", (base, base + SLOTS)).fetchone()[0]
            last = base - 1 if found is None else found
        self.last[base] = last + 1
        return last + 1

    def make(self, records: Iterable[Conversation]) -> tuple[list[tuple], list[tuple], list[tuple]]:
        now = utcnow()
        now_iso = iso(now)
        recs, children, outbox = [], [], []
        for record in records:
            stored = record.model_copy(update={"rev": 1, "updated_at": now})
            data = stored.model_dump_json()
            seq = self.seq(stored)
            recs.append((seq, stored.id, 1, 0, stored.org_id, stored.author_id, stored.device_id,
                         iso(stored.created_at), now_iso, *SPEC.values(stored, self.ref), "pending", None, data))
            children.extend(conversation_barriers(stored, self.ref, seq))
            outbox.append((stored.id, 1, data, now_iso, now_iso))
        return recs, children, outbox


def write_raw(conn: Any, rows: tuple[list[tuple], list[tuple], list[tuple]]) -> None:
    recs, children, outbox = rows
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(INSERT_RECORD, recs)
    conn.executemany(INSERT_BARRIER, children)
    conn.executemany(INSERT_OUTBOX, outbox)
    conn.execute("COMMIT")


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def bench_single(folder: Path, key: bytes, n: int) -> bool:
    store = Store.open(folder / "single-store.db", key)
    raw = Store.open(folder / "single-raw.db", key)
    gen = SampleGenerator(seed=1, reference=store.reference)
    records = list(gen.conversations(n))
    maker = Rows(raw._conn, raw.reference)
    raw_rows = [maker.make([r.model_copy(update={"id": r.id[:-4] + "beef"})]) for r in records]
    for i in range(min(20, n)):  # warm both files up alike
        store.conversations.save(records[i].model_copy(update={"id": records[i].id[:-4] + "0000"}))
        write_raw(raw._conn, maker.make([records[i].model_copy(update={"id": records[i].id[:-4] + "1111"})]))
    store_times, raw_times = [], []
    for record, rows in zip(records, raw_rows):
        t = time.perf_counter()
        store.conversations.save(record)
        store_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        write_raw(raw._conn, rows)
        raw_times.append(time.perf_counter() - t)
    store.close()
    raw.close()
    p50 = statistics.median(store_times) / statistics.median(raw_times)
    p99 = pct(store_times, 99) / pct(raw_times, 99)
    ok = p50 <= 2 and p99 <= 2
    print(f"single save ({n} saves, each its own fsynced transaction)")
    print(f"  store  p50 {ms(statistics.median(store_times))}   p99 {ms(pct(store_times, 99))}")
    print(f"  raw    p50 {ms(statistics.median(raw_times))}   p99 {ms(pct(raw_times, 99))}")
    print(f"  ratio  p50 {p50:6.2f}x      p99 {p99:6.2f}x      target <= 2x raw: {verdict(ok)}")
    return ok


def bench_bulk(folder: Path, key: bytes, n: int) -> tuple[bool, Path]:
    """Raw, store, store, raw (ABBA) on fresh files: load that drifts during the run hits both alike."""
    print(f"bulk save ({n:,} generated conversations, one transaction; raw, store, store, raw) ...", flush=True)
    reference = ReferenceLists(load_default_items())
    records = list(SampleGenerator(seed=2, reference=reference).conversations(n))
    rows = None
    raw_s: list[float] = []
    store_s: list[float] = []
    for round_, side in enumerate(("raw", "store", "store", "raw")):
        store = Store.open(folder / f"bulk-{side}-{round_}.db", key)
        if side == "raw":
            if rows is None:  # the same rows for both raw rounds: both files start empty
                rows = Rows(store._conn, store.reference).make(records)
            t = time.perf_counter()
            write_raw(store._conn, rows)
            raw_s.append(time.perf_counter() - t)
        else:
            t = time.perf_counter()
            assert store.conversations.save_many(records) == n
            store_s.append(time.perf_counter() - t)
        store.close()
        print(f"  {side:5}  {n / (raw_s if side == 'raw' else store_s)[-1]:10,.0f} records/s", flush=True)
    best_raw, best_store = min(raw_s), min(store_s)
    share = best_raw / best_store
    ok = share >= 0.5
    print(f"  store  {n / best_store:10,.0f} records/s (best of 2: {best_store:.1f} s)")
    print(f"  raw    {n / best_raw:10,.0f} records/s (best of 2: {best_raw:.1f} s)")
    print(f"  store throughput = {share:.0%} of raw      target >= 50%: {verdict(ok)}")
    return ok, folder / "bulk-store-1.db"


def bench_search(path: Path, key: bytes, rows: int, runs: int) -> bool:
    store = Store.open(path, key, check=False)
    have = store.conversations.count(Query(include_deleted=True))
    if have < rows:
        print(f"search: filling to {rows:,} conversations with raw inserts ...", flush=True)
        maker = Rows(store._conn, store.reference)
        t = time.perf_counter()
        window = 0
        while have < rows:
            # Each chunk is a further 90 days back, written oldest first: a file filled over years, in the
            # order champions log, rather than a million random times (which only makes the fill slow).
            window += 1
            gen = SampleGenerator(seed=3 + window, reference=store.reference, now=utcnow() - timedelta(days=90 * window))
            chunk = min(50_000, rows - have)
            write_raw(store._conn, maker.make(sorted(gen.conversations(chunk), key=lambda c: c.occurred_at)))
            have += chunk
            print(f"  {have:,} ({time.perf_counter() - t:.0f} s)", flush=True)
    store.close()
    t = time.perf_counter()
    store = Store.open(path, key)  # a fresh open, with its integrity check, as the app would
    open_s = time.perf_counter() - t
    conn = store._conn
    queries = [Query(text=text, limit=50) for text in SEARCHES]
    queries += [Query(text=text, limit=50, neighbourhood="birkenhead") for text in SEARCHES[:10]]
    for q in queries:  # warm-up: a person's second search, not the first after boot
        store.conversations.query(q)
    store_times, raw_times, found = [], [], []
    for i in range(runs):
        q = queries[i % len(queries)]
        t = time.perf_counter()
        result = store.conversations.query(q)
        store_times.append(time.perf_counter() - t)
        sql, params = select(SPEC, "t.data", q)
        t = time.perf_counter()
        conn.execute(sql, params).fetchall()
        raw_times.append(time.perf_counter() - t)
        found.append(len(result))
    slowest = max(range(len(store_times)), key=store_times.__getitem__)
    lists = [Query(limit=50), Query(limit=50, neighbourhood="wallasey"), Query(limit=50, barrier_code="PI.TRAVEL"),
             Query(limit=50, barrier_domain="social_processes", neighbourhood="birkenhead"), Query(limit=50, offset=500),
             Query(limit=50, text="bus", barrier_code="PI.TRAVEL")]
    list_times = []
    for i in range(len(lists) * 10):
        t = time.perf_counter()
        store.conversations.query(lists[i % len(lists)])
        list_times.append(time.perf_counter() - t)
    count_times = []
    for text in SEARCHES[:5]:
        t = time.perf_counter()
        store.conversations.count(Query(text=text))
        count_times.append(time.perf_counter() - t)
    store.close()
    p95 = pct(store_times, 95)
    ok = p95 < 0.050
    print(f"search ({rows:,} conversations, {runs} searches, first page of 50, newest first)")
    print(f"  store  p50 {ms(statistics.median(store_times))}   p95 {ms(p95)}   (records parsed)")
    print(f"  raw    p50 {ms(statistics.median(raw_times))}   p95 {ms(pct(raw_times, 95))}   (same SQL, rows not parsed)")
    print(f"  slowest: {queries[slowest % len(queries)].text!r} {ms(store_times[slowest])}; "
          f"mean page size {statistics.mean(found):.0f}")
    print(f"  target p95 < 50 ms: {verdict(ok)}")
    print(f"  (no target) filtered list pages p95 {ms(pct(list_times, 95))}; "
          f"counting all matches of a word: max {ms(max(count_times))}; "
          f"opening the file (PRAGMA quick_check included) {open_s:.1f} s; file size {path.stat().st_size / 1e9:.2f} GB")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="conversations to search over (default 1,000,000)")
    parser.add_argument("--bulk", type=int, default=100_000, help="records in the bulk save (default 100,000)")
    parser.add_argument("--single", type=int, default=300, help="single saves to time (default 300)")
    parser.add_argument("--searches", type=int, default=400, help="searches to time (default 400)")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the files (default: a temporary folder)")
    args = parser.parse_args(argv)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="champions-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    key = os.urandom(32)
    print(f"Champions store benchmark: SQLCipher, WAL, synchronous=FULL, files in {folder}\n")
    results = [bench_single(folder, key, args.single)]
    print()
    ok, bulk_file = bench_bulk(folder, key, args.bulk)
    results.append(ok)
    print()
    results.append(bench_search(bulk_file, key, args.rows, args.searches))
    print("\nall targets met" if all(results) else "\nSOME TARGETS MISSED")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
