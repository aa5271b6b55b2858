"""Bad input on every endpoint that takes a body: a 4xx with a message, never a 500, and
nothing already stored changes (every table of the hub compared, row by row, before and after)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from champions.hub.schema import conflicts, metadata, record_revisions, records

from .conftest import change

TEN_MB = "x" * (10 * 1024 * 1024)
NOT_JSON = "The request body is not valid JSON."
NOT_UTF8 = "The request body is not valid UTF-8 text."
SMALL_TOO_LARGE = "The request is too large for this address."
PUSH_TOO_LARGE = "The batch is too large: send at most 1,000 changes and 5 MB at a time."

# Each endpoint that takes a body, with a body it accepts: the cases below spoil it.
ENDPOINTS: dict[str, tuple[str, str | None, dict[str, Any]]] = {
    "enrol": ("/v1/enrol", None, {"code": "ABCD-EFGH", "device_name": "laptop", "client_version": "1.0"}),
    "push": ("/v1/push", "amina", {"batch_id": "b-1", "changes": []}),
    "invite": ("/v1/admin/invites", "coordinator", {"name": "Farah", "role": "champion", "days": 7}),
}
WRONG_TYPES = {"enrol": {"code": 12345678}, "push": {"batch_id": 5}, "invite": {"days": "seven"}}
A_STRING_FIELD = {"enrol": "device_name", "push": "batch_id", "invite": "name"}


def _json(endpoint: str, **update: Any) -> bytes:
    return json.dumps({**ENDPOINTS[endpoint][2], **update}).encode()


def _chunked(data: bytes, size: int = 64 * 1024) -> Callable[[], Iterator[bytes]]:
    """A body sent with Transfer-Encoding: chunked, so there is no Content-Length to check."""
    return lambda: (data[i:i + size] for i in range(0, len(data), size))


# (case id, body for an endpoint (bytes, or a callable giving chunks), expected status per endpoint, expected message or None)
CASES: list[tuple[str, Callable[[str], Any], dict[str, int], str | None]] = [
    ("malformed JSON", lambda e: _json(e)[:-5], {"enrol": 400, "push": 400, "invite": 400}, NOT_JSON),
    ("not JSON at all", lambda e: b"code=ABCD-EFGH", {"enrol": 400, "push": 400, "invite": 400}, NOT_JSON),
    ("invalid UTF-8", lambda e: _json(e).replace(b'"' + A_STRING_FIELD[e].encode() + b'": "', b'"' + A_STRING_FIELD[e].encode() + b'": "\xff\xfe'),
     {"enrol": 400, "push": 400, "invite": 400}, NOT_UTF8),
    ("lone surrogate escape", lambda e: _json(e, **{A_STRING_FIELD[e]: "PLACEHOLDER"}).replace(b"PLACEHOLDER", b"\\ud800"),
     {"enrol": 400, "push": 400, "invite": 400}, NOT_JSON),
    ("nested ten thousand deep", lambda e: b"[" * 10_000 + b"]" * 10_000, {"enrol": 400, "push": 400, "invite": 400}, NOT_JSON),
    ("empty body", lambda e: b"", {"enrol": 422, "push": 400, "invite": 422}, None),
    ("a list, not an object", lambda e: b"[1, 2, 3]", {"enrol": 422, "push": 422, "invite": 422}, None),
    ("null", lambda e: b"null", {"enrol": 422, "push": 422, "invite": 422}, None),
    ("wrong types", lambda e: _json(e, **WRONG_TYPES[e]), {"enrol": 422, "push": 422, "invite": 422}, None),
    ("a number too big for any type", lambda e: _json(e, **{A_STRING_FIELD[e]: 0}).replace(b": 0", b": 1e400"),
     {"enrol": 422, "push": 422, "invite": 422}, None),
    ("control characters", lambda e: _json(e, **{A_STRING_FIELD[e]: "a\x00b\x1b"}), {"enrol": 422, "push": 422, "invite": 422}, None),
    ("unknown field", lambda e: _json(e, favourite_colour="blue"), {"enrol": 422, "push": 422, "invite": 422},
     "The request is not in the form the hub expects: favourite_colour: is not a field the hub knows."),
    ("oversized", lambda e: _json(e, changes=[{"kind": "conversation", "id": "x", "rev": 0, "record": {}}] * 1001)
     if e == "push" else _json(e, **{A_STRING_FIELD[e]: "y" * 70_000}), {"enrol": 413, "push": 413, "invite": 413}, None),
    ("a 10 MB string", lambda e: _json(e, **{A_STRING_FIELD[e]: TEN_MB}), {"enrol": 413, "push": 413, "invite": 413}, None),
    # No Content-Length to go by: a 1 MB push is within the 5 MB limit (and refused for its
    # 1 MB batch id), the small endpoints' 64 KB is not; 6 MB is too large for any.
    ("a 1 MB string, chunked", lambda e: _chunked(_json(e, **{A_STRING_FIELD[e]: TEN_MB[:1024 * 1024]})),
     {"enrol": 413, "push": 422, "invite": 413}, None),
    ("a 6 MB string, chunked", lambda e: _chunked(_json(e, **{A_STRING_FIELD[e]: TEN_MB[:6 * 1024 * 1024]})),
     {"enrol": 413, "push": 413, "invite": 413}, None),
]


def snapshot(db: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every hub table, in a stable order."""
    with db.connect() as conn:
        return {table.name: sorted((tuple(row) for row in conn.execute(sa.select(table))), key=repr)
                for table in metadata.sorted_tables}


def _send(hub, org, endpoint: str, body: Any) -> requests.Response:  # type: ignore[no-untyped-def]
    path, who, _ = ENDPOINTS[endpoint]
    headers = {"Content-Type": "application/json"}
    if who:
        headers.update(getattr(org, who).headers)
    data = body() if callable(body) else body
    return requests.post(hub.url(path), data=data, headers=headers, timeout=120)


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize(("case", "make", "expected", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_body_gets_a_4xx_with_a_message_and_changes_nothing(hub, org, db, endpoint, case, make, expected, message) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(db)
    reply = _send(hub, org, endpoint, make(endpoint))
    assert reply.status_code == expected[endpoint], (case, reply.status_code, reply.text[:300])
    body = reply.json()
    assert set(body) == {"code", "message"} and len(body["message"]) > 10, body
    if message:
        assert body["message"] == message
    if reply.status_code == 413:
        assert body["code"] == "batch_too_large"
        assert body["message"] == (PUSH_TOO_LARGE if endpoint == "push" else SMALL_TOO_LARGE)
    assert snapshot(db) == before


def test_the_accepting_bodies_really_are_accepted(hub, hub_cli, org) -> None:  # type: ignore[no-untyped-def]
    """The cases above spoil bodies the hub takes, so a 4xx there is the spoiling's doing."""
    enrol = ENDPOINTS["enrol"][2]
    code = hub_cli.invite(org.id, "Gita")
    assert requests.post(hub.url("/v1/enrol"), json={**enrol, "code": code}, timeout=30).status_code == 200
    assert _send(hub, org, "push", _json("push")).status_code == 200
    assert _send(hub, org, "invite", _json("invite")).status_code == 200
    # A small body sent chunked (no Content-Length) is read whole and accepted.
    assert _send(hub, org, "invite", _chunked(_json("invite"), size=7)).status_code == 200


def test_wrong_types_inside_a_change_are_rejected_one_by_one_and_store_nothing(org, samples, db) -> None:  # type: ignore[no-untyped-def]
    talk = samples.conversation()
    spoilt = [
        {"kind": "conversation", "id": "c-1", "rev": "three", "record": {}},
        {"kind": "spaceship", "id": "c-2", "rev": 1, "record": {}},
        {"kind": "conversation", "id": "c-3", "rev": 1, "record": "not an object"},
        change(talk, people_reached="lots"),
        change(talk, favourite_colour="blue"),
        change(talk, notes=TEN_MB[:100_000], neighbourhood=["not", "a", "code"]),
        {"kind": "conversation", "id": "c-4", "rev": 1, "record": {}, "colour": "red"},
    ]
    stored = (records, record_revisions, conflicts)

    def rows() -> dict[str, int]:
        with db.connect() as conn:
            return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t).where(t.c.org_id == org.id)).scalar_one()
                    for t in stored}

    before = rows()
    reply = org.amina.post("/v1/push", json={"batch_id": "spoilt", "changes": spoilt})
    assert reply.status_code == 200
    results = reply.json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * len(spoilt)
    assert all(len(r["reason"]) > 10 for r in results), results
    # A change that is not even an object spoils the envelope: the whole batch is refused.
    envelope = org.amina.post("/v1/push", json={"batch_id": "spoilt", "changes": [change(talk), [1, 2, 3]]})
    assert envelope.status_code == 422
    assert envelope.json()["message"] == "The request is not in the form the hub expects: changes → 1: Input should be a valid dictionary."
    assert rows() == before
