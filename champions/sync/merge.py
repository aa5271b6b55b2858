"""Three-way, field-by-field merge of two versions of one record (DESIGN.md, Conflicts).

Given the version both sides started from (the *base*), a field changed on one side only takes
that side's value; a field changed the same way on both sides is fine; a field changed
differently on both sides is a real conflict, and then nothing is merged automatically: both
versions are kept and the person decides. Nested objects (e.g. ``groups``) merge key by key.
Plain dicts in, plain dicts out: no store, no network, easy to test.

One rule per kind: the lists in ``UNION_BY_ID`` only ever grow (a review's thread of notes), so
they merge as the union of both sides' items by id, oldest first, and never conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

BOOKKEEPING = frozenset({"id", "org_id", "author_id", "device_id", "created_at", "updated_at", "rev"})
"""Envelope fields that say who/when, not what: never a reason for a conflict."""

_MISSING = object()

UNION_BY_ID: dict[str, tuple[str, ...]] = {"review": ("notes",)}
"""Per kind, the list fields merged as a union by item id, ordered by ``written_at``."""


def _written_at(item: dict[str, Any]) -> tuple[datetime | str, str]:
    try:  # ISO text of varying width ("...:00Z", "...:00.5Z") does not sort as text
        return datetime.fromisoformat(str(item.get("written_at"))), str(item.get("id"))
    except ValueError:
        return str(item.get("written_at")), str(item.get("id"))


def _union_by_id(mine: list[Any], theirs: list[Any]) -> list[Any]:
    """Both sides' items once each (the hub's copy when both have it), oldest first."""
    items = {i.get("id"): i for i in mine if isinstance(i, dict)}
    items.update({i.get("id"): i for i in theirs if isinstance(i, dict)})
    try:
        return sorted(items.values(), key=_written_at)
    except TypeError:  # timezone-aware against naive: keep the order they came in
        return list(items.values())


@dataclass
class MergeResult:
    merged: dict[str, Any] | None
    """The merged record (without a new rev), or None when a person must decide."""
    conflicting: list[str] = field(default_factory=list)
    """Dotted names of the fields both sides changed differently."""

    @property
    def clean(self) -> bool:
        return self.merged is not None


def _merge_value(path: str, base: Any, mine: Any, theirs: Any, conflicts: list[str]) -> Any:
    if mine == theirs:
        return mine
    if mine == base:
        return theirs
    if theirs == base:
        return mine
    if isinstance(mine, dict) and isinstance(theirs, dict):
        return _merge_dict(path + ".", base if isinstance(base, dict) else {}, mine, theirs, conflicts)
    conflicts.append(path)
    return mine


def _merge_dict(prefix: str, base: dict, mine: dict, theirs: dict, conflicts: list[str]) -> dict:
    out: dict[str, Any] = {}
    for key in list(dict.fromkeys([*mine, *theirs])):
        if not prefix and key in BOOKKEEPING:
            continue
        value = _merge_value(prefix + key, base.get(key, _MISSING), mine.get(key, _MISSING),
                             theirs.get(key, _MISSING), conflicts)
        if value is not _MISSING:
            out[key] = value
    return out


def three_way_merge(base: dict[str, Any] | None, mine: dict[str, Any], theirs: dict[str, Any]) -> MergeResult:
    """Merge ``mine`` and ``theirs`` against ``base``; without a base every difference conflicts.

    The merged record keeps the hub's (``theirs``) bookkeeping fields, except ``updated_at``,
    which is the later of the two; the caller sets the new rev.
    """
    conflicts: list[str] = []
    for key in UNION_BY_ID.get(str(theirs.get("kind", mine.get("kind"))), ()):
        if isinstance(mine.get(key), list) and isinstance(theirs.get(key), list):
            joined = _union_by_id(mine[key], theirs[key])
            mine, theirs = {**mine, key: joined}, {**theirs, key: joined}
    if base is None:  # no common ancestor: only fields present on one side alone merge
        base = {k: _MISSING for k in {*mine, *theirs}}
    body = _merge_dict("", base, mine, theirs, conflicts)
    if conflicts:
        return MergeResult(None, sorted(conflicts))
    merged = {k: v for k, v in theirs.items() if k in BOOKKEEPING}
    merged.update(body)
    if "updated_at" in mine or "updated_at" in theirs:
        merged["updated_at"] = max(str(mine.get("updated_at") or ""), str(theirs.get("updated_at") or ""))
    return MergeResult(merged, [])


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Top-level fields whose values differ, ignoring bookkeeping: for showing a conflict."""
    keys = dict.fromkeys([*old, *new])
    return [k for k in keys if k not in BOOKKEEPING and old.get(k, _MISSING) != new.get(k, _MISSING)]
