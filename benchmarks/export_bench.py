"""Export speed: rows per second of the coordinator's CSV and XLSX exports against raw writers.

The baselines write the same number of rows and columns with no per-record work
(plain ``csv.writer`` on ready-made strings; openpyxl write-only ``append`` of ready-made
rows), measured in the same run, so the ratio shows what our layer costs (labels, codes,
formula guard, filter, progress and cancel checks) on this machine.

    python benchmarks/export_bench.py [--rows 50000] [--xlsx-rows 20000]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from openpyxl import Workbook

from champions.coordinator import TaskState
from champions.coordinator.exports import Exporter, export_csv, export_xlsx
from champions.domain import ReferenceLists
from champions.domain.samples import SampleGenerator


def records(ref: ReferenceLists, n: int) -> list:
    gen = SampleGenerator(seed=11, reference=ref, now=datetime(2026, 3, 20, tzinfo=timezone.utc))
    base = list(gen.conversations(min(n, 5000)))
    return [base[i % len(base)] for i in range(n)]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--xlsx-rows", type=int, default=20_000)
    args = parser.parse_args()
    ref = ReferenceLists.defaults()
    ex = Exporter(ref)
    columns = len(ex.conversation_columns())
    data = records(ref, args.rows)
    sample_row = [c.value(data[0]) for c in ex.conversation_columns()]
    text_row = [str(v) for v in sample_row]
    xlsx_row = [None if v == "" else v for v in sample_row]  # as ours writes it: empty cells skipped
    progress: list[int] = []
    task = TaskState(lambda done, total: progress.append(done))

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)

        def raw_csv() -> None:
            with open(out / "raw.csv", "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                for _ in range(args.rows):
                    writer.writerow(text_row)

        base_csv = timed(raw_csv)
        ours_csv = timed(lambda: export_csv(out / "ours.csv", ex.conversations(data), task))

        xdata = data[: args.xlsx_rows]

        def raw_xlsx() -> None:
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("raw")
            for _ in range(len(xdata)):
                ws.append(xlsx_row)
            wb.save(out / "raw.xlsx")

        base_xlsx = timed(raw_xlsx)
        ours_xlsx = timed(lambda: export_xlsx(out / "ours.xlsx", [ex.conversations(xdata)], ex, task))

    print(f"conversations export, {columns} columns; progress reported {len(progress)} times")
    print(f"CSV  {args.rows:>7} rows: ours {args.rows / ours_csv:>9,.0f} rows/s ({ours_csv:.2f} s), "
          f"raw csv.writer {args.rows / base_csv:>9,.0f} rows/s; ours takes {ours_csv / base_csv:.1f}x the raw time")
    print(f"XLSX {len(xdata):>7} rows: ours {len(xdata) / ours_xlsx:>9,.0f} rows/s ({ours_xlsx:.2f} s), "
          f"raw openpyxl {len(xdata) / base_xlsx:>9,.0f} rows/s; ours takes {ours_xlsx / base_xlsx:.1f}x the raw time")


if __name__ == "__main__":
    main()
