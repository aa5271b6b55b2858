"""The reviews of submissions (docs/design/review.md): one Review per reviewed record.

A plain Repository plus the look-ups the desk and the champion's "Queries for you" need:
a review is found by the record it is about, never scanned for.
"""

from __future__ import annotations

from collections.abc import Iterable

from champions.domain import Review

from .repository import _CHUNK, Repository, _chunks


class Reviews(Repository[Review]):
    def for_subjects(self, subject_ids: Iterable[str], *, include_deleted: bool = False) -> dict[str, Review]:
        """``{record id: its review}`` for those of ``subject_ids`` that have one."""
        found: dict[str, Review] = {}
        gone = "" if include_deleted else " AND deleted = 0"
        for chunk in _chunks(dict.fromkeys(subject_ids), _CHUNK):
            marks = ", ".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT data FROM review WHERE subject_id IN ({marks}){gone}", chunk).fetchall()
            for (data,) in rows:
                review = self._parse(data)
                found[review.subject_id] = review
        return found

    def for_subject(self, subject_id: str) -> Review | None:
        """The record's review, deleted ones included (a coordinator may withdraw one and review again)."""
        return self.for_subjects([subject_id], include_deleted=True).get(subject_id)

    def of_champion(self, author_id: str, state: str | None = None) -> list[Review]:
        """The reviews of one champion's records (``state`` "queried" gives their open queries), newest first."""
        sql = "SELECT data FROM review WHERE subject_author_id = ? AND deleted = 0"
        params: list[str] = [author_id]
        if state is not None:
            sql += " AND state = ?"
            params.append(state)
        return [self._parse(d) for (d,) in self._conn.execute(sql + " ORDER BY updated_at DESC, seq DESC", params)]

    def current_revs(self, reviews: Iterable[Review]) -> dict[str, int]:
        """The current rev of each reviewed record on this device (missing: the record is not here)."""
        by_kind: dict[str, list[str]] = {}
        for review in reviews:
            by_kind.setdefault(review.subject_kind, []).append(review.subject_id)
        revs: dict[str, int] = {}
        for kind, ids in by_kind.items():
            for chunk in _chunks(dict.fromkeys(ids), _CHUNK):
                marks = ", ".join("?" * len(chunk))
                revs.update(self._conn.execute(f"SELECT id, rev FROM {kind} WHERE id IN ({marks})", chunk).fetchall())
        return revs
