"""Reading request bodies safely: size limits before parsing, gzip with a bomb guard, plain errors."""

from __future__ import annotations

import zlib
from typing import Any

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request

from ..sync import protocol as p
from .errors import HubError


def too_large(limit: int) -> HubError:
    mb = limit / (1024 * 1024)
    return HubError(413, p.ERR_BATCH_TOO_LARGE,
                    f"The batch is too large: send at most {p.MAX_BATCH_CHANGES:,} changes and {mb:g} MB at a time.")


async def read_json(request: Request, limit: int) -> Any:
    """The body as JSON, refusing more than ``limit`` bytes (compressed or not) with 413."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    raw = b"".join(chunks)
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding == "gzip":
        raw = _gunzip(raw, limit)
    elif encoding not in ("identity", ""):
        raise HubError(415, p.ERR_BAD_REQUEST, f"The hub accepts plain or gzip request bodies, not “{encoding[:30]}”.")
    return parse_json(raw)


def parse_json(raw: bytes) -> Any:
    """JSON from UTF-8 bytes, or a 400 saying which of the two it is not.

    pydantic-core's parser (jiter) is faster than ``json`` on large batches, caps nesting depth,
    and refuses lone surrogate escapes (``"\\ud800"``), which no database could store.
    """
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise HubError(400, p.ERR_BAD_REQUEST, "The request body is not valid UTF-8 text.") from None
    try:
        return pydantic_core.from_json(raw)
    except ValueError:
        raise HubError(400, p.ERR_BAD_REQUEST, "The request body is not valid JSON.") from None


def _gunzip(raw: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(raw, limit + 1)
    except zlib.error:
        raise HubError(400, p.ERR_BAD_REQUEST, "The request body says it is gzip-compressed but it is not valid gzip.") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise too_large(limit)
    if not inflater.eof:
        raise HubError(400, p.ERR_BAD_REQUEST, "The gzip-compressed request body is cut short.")
    return out


def describe(errors: list[dict[str, Any]], limit: int = 3) -> str:
    """A pydantic error list as one readable sentence naming where each problem is."""
    parts = []
    for err in errors[:limit]:
        where = " → ".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query"))
        msg = str(err.get("msg", "is not valid"))
        if err.get("type") == "extra_forbidden":
            msg = "is not a field the hub knows"
        elif err.get("type") == "missing":
            msg = "is missing"
        elif err.get("type") == "string_pattern_mismatch":
            msg = "holds characters that are not allowed (control characters)"
        parts.append(f"{where}: {msg}" if where else msg)
    more = f" (and {len(errors) - limit} more)" if len(errors) > limit else ""
    return "The request is not in the form the hub expects: " + "; ".join(parts) + more + "."


class _Envelope(BaseModel):
    """The outer shape of a push; each change is checked on its own so one bad one blocks nothing."""

    model_config = ConfigDict(extra="forbid")
    batch_id: str = Field(min_length=1, max_length=64, pattern=p.NO_CONTROL)
    changes: list[dict[str, Any]]


def parse_push(data: Any) -> tuple[str, list[p.Change | p.ChangeResult]]:
    """The batch id and, per change, either a well-formed ``Change`` or its ``rejected`` answer."""
    if isinstance(data, dict) and isinstance(data.get("changes"), list) and len(data["changes"]) > p.MAX_BATCH_CHANGES:
        raise too_large(p.MAX_BATCH_BYTES)
    try:
        outer = _Envelope.model_validate(data)
    except ValidationError as error:
        raise HubError(422, p.ERR_INVALID_REQUEST, describe(error.errors(include_url=False))) from None
    changes: list[p.Change | p.ChangeResult] = []
    for index, raw in enumerate(outer.changes):
        try:
            changes.append(p.Change.model_validate(raw))
        except ValidationError as error:
            record_id, rev = raw.get("id"), raw.get("rev")
            message = describe(error.errors(include_url=False)).replace("The request is not", f"Change {index} is not", 1)
            changes.append(p.ChangeResult(
                id=record_id if isinstance(record_id, str) else "",
                rev=rev if isinstance(rev, int) and not isinstance(rev, bool) and 0 <= rev < 2**31 else 0,
                status="rejected", reason=message,
            ))
    return outer.batch_id, changes
