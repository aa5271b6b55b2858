"""Deprivation deciles for reports: import a postcode (or sector) lookup, then give each district its decile.

The coordinator makes the file from the ONS postcode-to-LSOA lookup and the English
Indices of Deprivation 2025: columns ``postcode, lsoa21cd, imd_decile`` (one row per
postcode), or a sector-level summary ``sector, imd_decile``. Every row is checked; bad
rows are reported by line in plain words and the good ones are imported.

Conversations only keep the postcode district (a full postcode could identify a home),
so reports need one decile per district. We use the **modal decile of the district's
postcodes**: each postcode counts once, and as postcodes hold roughly similar numbers
of addresses (about 15), counting postcodes stands in for weighting by population (the
file carries no population). A tie goes to the more deprived decile, so a district that
is half Core20 is not reported as outside it; ``DistrictDecile.core20_share`` says how
much of the district is in deciles 1 and 2. With a sector file, each sector counts once.
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.geography import district_of, is_full_postcode, is_sector, normalise, sector_of
from .tasks import NO_TASK, TaskLike, check

POSTCODE_COLUMNS = ("postcode", "lsoa21cd", "imd_decile")
SECTOR_COLUMNS = ("sector", "imd_decile")
_LSOA = re.compile(r"^[EW]01\d{6}$")
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class LineProblem:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


@dataclass
class LookupRead:
    level: str  # "postcode" or "sector"; "" when the file could not be read at all
    rows: list[tuple[str, str, str, str | None, int]]  # (area, sector, district, lsoa21cd, decile)
    problems: list[LineProblem]
    more_problems: int = 0  # problems beyond MAX_PROBLEMS, counted but not listed


def _decile(text: str) -> int | None:
    text = text.strip()
    if not text.isdigit():
        return None
    value = int(text)
    return value if 1 <= value <= 10 else None


class _Counting:
    """Iterates a text file's lines and counts the characters read, for a progress bar."""

    def __init__(self, handle: Any) -> None:
        self.handle, self.read = handle, 0

    def __iter__(self) -> Iterator[str]:
        for line in self.handle:
            self.read += len(line)
            yield line


def read_lookup(path: str | os.PathLike[str], task: TaskLike = NO_TASK) -> LookupRead:
    """Checks every row; returns the good rows and the problems, by line."""
    path = Path(path)
    problems: list[LineProblem] = []
    more = 0
    rows: list[tuple[str, str, str, str | None, int]] = []

    def problem(line: int | None, message: str) -> None:
        nonlocal more
        if len(problems) < MAX_PROBLEMS:
            problems.append(LineProblem(line, message))
        else:
            more += 1

    total = max(path.stat().st_size, 1)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            counting = _Counting(handle)
            reader = csv.reader(counting)
            header = [h.strip().casefold() for h in next(reader, [])]
            if all(c in header for c in POSTCODE_COLUMNS):
                level = "postcode"
            elif all(c in header for c in SECTOR_COLUMNS):
                level = "sector"
            else:
                shown = ", ".join(h for h in header if h) or "nothing"
                problem(1, "The first line must name the columns postcode, lsoa21cd, imd_decile "
                           f"(or sector, imd_decile for a sector summary). This file has: {shown}.")
                return LookupRead("", [], problems)
            at = {name: header.index(name) for name in (POSTCODE_COLUMNS if level == "postcode" else SECTOR_COLUMNS)}
            seen: dict[str, tuple[int, int]] = {}
            start = 2
            for n, cells in enumerate(reader):
                line, start = start, reader.line_num + 1
                if n % 5000 == 0:
                    check(task)
                    task.progress(counting.read, total)
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) < len(header):
                    problem(line, f"This line has {len(cells)} values but the first line names {len(header)} columns.")
                    continue
                area_text = normalise(cells[at[level]])
                decile = _decile(cells[at["imd_decile"]])
                lsoa: str | None = None
                if level == "postcode":
                    if not is_full_postcode(area_text):
                        problem(line, f"“{cells[at['postcode']].strip()}” is not a full postcode, for example CH41 5AB.")
                        continue
                    compact = area_text.replace(" ", "")
                    area = f"{compact[:-3]} {compact[-3:]}"
                    sector, district = sector_of(area), district_of(area)
                    lsoa = cells[at["lsoa21cd"]].strip().upper()
                    if not _LSOA.match(lsoa):
                        problem(line, f"“{cells[at['lsoa21cd']].strip()}” is not an LSOA 2021 code, for example E01007123.")
                        continue
                else:
                    if not is_sector(area_text):
                        problem(line, f"“{cells[at['sector']].strip()}” is not a postcode sector, for example CH41 5.")
                        continue
                    area = sector = area_text
                    district = district_of(area)
                if decile is None:
                    problem(line, f"The decile “{cells[at['imd_decile']].strip()}” must be a whole number from 1 (most deprived) to 10.")
                    continue
                if area in seen:
                    first_line, first_decile = seen[area]
                    if first_decile != decile:
                        problem(line, f"{area} is also on line {first_line} with decile {first_decile}; the first was kept.")
                    continue
                seen[area] = (line, decile)
                rows.append((area, sector, district, lsoa, decile))
    except UnicodeDecodeError:
        return LookupRead("", [], [LineProblem(None, "The file is not UTF-8 text. Save it as “CSV UTF-8” and import again.")])
    except csv.Error as exc:
        return LookupRead("", [], [LineProblem(None, f"The file is not valid CSV ({exc}).")])
    check(task)
    task.progress(total, total)
    return LookupRead(level, rows, problems, more)


@dataclass(frozen=True)
class DistrictDecile:
    district: str
    decile: int
    areas: int  # postcodes (or sectors) behind it
    core20_share: float  # share of those in deciles 1 and 2, 0 to 1


def district_deciles_from_counts(counts: Iterable[tuple[str, int, int]]) -> dict[str, DistrictDecile]:
    """(district, decile, number of postcodes) -> each district's modal decile; ties go to the more deprived."""
    by_district: dict[str, Counter[int]] = defaultdict(Counter)
    for district, decile, n in counts:
        by_district[district][decile] += n
    out: dict[str, DistrictDecile] = {}
    for district, tally in by_district.items():
        total = sum(tally.values())
        decile = min(tally, key=lambda d: (-tally[d], d))
        out[district] = DistrictDecile(district, decile, total, round((tally[1] + tally[2]) / total, 4))
    return out


@dataclass
class DeprivationImport:
    level: str
    imported: int
    problems: list[LineProblem]
    more_problems: int = 0
    districts: dict[str, DistrictDecile] = field(default_factory=dict)

    def summary(self) -> str:
        if not self.imported:
            return "Nothing was imported; the deprivation data you had before is unchanged."
        what = "postcodes" if self.level == "postcode" else "postcode sectors"
        text = f"{self.imported} {what} imported, covering {len(self.districts)} postcode districts."
        count = len(self.problems) + self.more_problems
        if count:
            text += f" {count} line{'s' if count != 1 else ''} could not be used (see the list)."
        return text


def import_lookup(path: str | os.PathLike[str], store: Any, task: TaskLike = NO_TASK) -> DeprivationImport:
    """Validates the file and, if any row is good, replaces the store's lookup with it in one transaction."""
    from ..store import deprivation_table

    read = read_lookup(path, task)
    if not read.rows:
        return DeprivationImport(read.level, 0, read.problems, read.more_problems)
    check(task)
    count = deprivation_table.replace_areas(store, read.level, read.rows, Path(path).name)
    return DeprivationImport(read.level, count, read.problems, read.more_problems, district_deciles(store))


def district_deciles(store: Any) -> dict[str, DistrictDecile]:
    """Every district's decile from the store's lookup (empty before the first import)."""
    from ..store import deprivation_table

    return district_deciles_from_counts(deprivation_table.decile_counts(store))


def decile_lookup(store: Any) -> dict[str, int]:
    """District -> decile, as ``FactContext(decile_of_district=...)`` wants it."""
    return {d: v.decile for d, v in district_deciles(store).items()}


def last_import(store: Any) -> dict[str, Any] | None:
    """Which file was imported, when, and how many rows (for the page that shows it)."""
    from ..store import deprivation_table

    return deprivation_table.last_import(store)
