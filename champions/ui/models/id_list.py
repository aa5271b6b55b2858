"""The ordered ids of a search over a million records, kept as one string.

A Python list of a million id strings costs ~95 MB and, worse, takes 40-60 ms to free in
one C call that holds the GIL: every new search stalled the window while the old list went.
Record ids made by Champions are UUIDs, 36 characters each, so the ids are packed end to end
in one string (36 MB, freed at once); anything else falls back to a tuple. Packing and
freeing the store's list happen on the worker in small steps, so the GUI thread gets the
GIL between them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

WIDTH = 36  # a UUID in its text form
_STEP = 20_000  # ids joined or freed per step: well under a millisecond each


class IdList(Sequence[str]):
    """An immutable sequence of ids; ``pack`` builds one from the store's list (and empties it)."""

    __slots__ = ("_packed", "_count", "_other")

    def __init__(self, packed: str = "", count: int = 0, other: tuple[str, ...] | None = None) -> None:
        self._packed = packed
        self._count = count if other is None else len(other)
        self._other = other

    @classmethod
    def of(cls, repo: Any, query: Any) -> "IdList":
        """The ids of ``query`` in ``repo``, packed by SQLite when it can (no Python string per id)."""
        packed = repo.packed_ids(query, WIDTH)
        if packed is None:
            return cls.pack(repo.ids(query))
        text, count = packed
        return cls(text, count)

    @classmethod
    def pack(cls, ids: list[str]) -> "IdList":
        """Take the ids out of ``ids`` (left empty), in steps the GUI thread can interleave with."""
        if not all(len(i) == WIDTH for i in ids):
            return cls(other=tuple(ids))
        count = len(ids)
        parts = []
        for start in range(0, count, _STEP):
            parts.append("".join(ids[start : start + _STEP]))
        while ids:  # free the million small strings a slice at a time, not in one long C call
            del ids[-_STEP:]
        return cls("".join(parts), count)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if self._other is not None:
            return self._other[index] if isinstance(index, int) else list(self._other[index])
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            return [self._packed[i * WIDTH : (i + 1) * WIDTH] for i in range(start, stop, step)]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        return self._packed[index * WIDTH : (index + 1) * WIDTH]

    def __iter__(self) -> Iterator[str]:
        for i in range(self._count):
            yield self[i]

    def index(self, value: object, start: int = 0, stop: int | None = None) -> int:
        stop = self._count if stop is None else min(stop, self._count)
        if self._other is not None:
            return self._other.index(value, start, stop)
        if not isinstance(value, str) or len(value) != WIDTH:
            raise ValueError(value)
        at = self._packed.find(value, start * WIDTH, stop * WIDTH)
        while at != -1 and at % WIDTH:  # a match across two ids cannot happen with UUIDs, but be exact
            at = self._packed.find(value, at + 1, stop * WIDTH)
        if at == -1:
            raise ValueError(value)
        return at // WIDTH

    def leads_with(self, ids: Sequence[str]) -> bool:
        """True when this list starts with ``ids``, in order (the rows already on screen)."""
        return len(ids) <= self._count and all(self[i] == v for i, v in enumerate(ids))
