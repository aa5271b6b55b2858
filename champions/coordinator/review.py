"""Where a record's review stands, derived from the review and the record's current revision.

See docs/design/review.md: a coordinator's review records the revision they looked at; a
champion answers a query by editing, which raises the record's revision. So "answered"
needs no write from the champion, and an edit after "reviewed" asks for a fresh look.
Works on any object with ``state``, ``subject_id``, ``subject_rev`` and ``deleted``: the
``Review`` record (``champions.domain``), read from ``store.reviews``; ``Desk.load`` does this.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol


class ReviewLike(Protocol):
    subject_id: str
    state: str  # "reviewed" or "queried"
    subject_rev: int
    deleted: bool


def latest_query(review: Any) -> Any:
    """The coordinator's newest query in the review's thread (None if it has none)."""
    return next((n for n in reversed(review.notes) if n.note_kind == "query"), None)


def derive_review_state(review: ReviewLike | None, current_rev: int) -> str:
    """One of ``unreviewed``, ``reviewed``, ``queried``, ``answered`` (the keys of ``REVIEW_STATES``)."""
    if review is None or review.deleted:
        return "unreviewed"
    edited_since = current_rev > review.subject_rev
    if review.state == "reviewed":
        return "unreviewed" if edited_since else "reviewed"
    if review.state == "queried":
        return "answered" if edited_since else "queried"
    raise ValueError(f"unknown review state {review.state!r}")


def review_states(reviews: Iterable[ReviewLike], current_revs: Mapping[str, int]) -> dict[str, str]:
    """``{record id: state}`` for ``FactContext(review_states=...)``; records without a review are left out
    (the context treats them as "unreviewed")."""
    out: dict[str, str] = {}
    for review in reviews:
        rev = current_revs.get(review.subject_id)
        if rev is None:
            continue  # the record is not on this device (yet)
        out[review.subject_id] = derive_review_state(review, rev)
    return out


def current_revs(records: Iterable[Any]) -> dict[str, int]:
    return {r.id: r.rev for r in records}
