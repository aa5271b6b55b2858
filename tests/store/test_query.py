"""Filters, paging, order and full-text search, as a list or a report asks for them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from champions.domain import Barrier, BarrierHeard, CommunityAsset, Conversation, OutreachActivity
from champions.store import Query, Store
from champions.store.search import match_expression

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


def conv(day: int, **fields: object) -> Conversation:
    base = {"occurred_at": T0 + timedelta(days=day), "neighbourhood": "birkenhead", "setting": "market"}
    return Conversation(**(base | fields))  # type: ignore[arg-type]


@pytest.fixture
def filled(store: Store) -> dict[str, Conversation]:
    made = {
        "old": conv(0, notes="Asked about halal gelatine in the nasal flu spray", author_id="amina"),
        "mid": conv(5, neighbourhood="wallasey", author_id="amina",
                    barriers=[BarrierHeard(code="PI.TRAVEL", quote="It's two buses to the clinic.")]),
        "new": conv(10, author_id="ben", barriers=[BarrierHeard(code="TF.SAFETY", quote="Is it safe when you're pregnant?")]),
        "gone": conv(7, author_id="ben", notes="deleted one about buses"),
    }
    saved = {name: store.conversations.save(c) for name, c in made.items()}
    store.conversations.delete(saved["gone"].id)
    return saved


def ids(store: Store, **q: object) -> list[str]:
    return store.conversations.ids(Query(**q))  # type: ignore[arg-type]


def test_newest_first_and_deleted_hidden_unless_asked(store: Store, filled: dict[str, Conversation]) -> None:
    f = filled
    assert ids(store) == [f["new"].id, f["mid"].id, f["old"].id]
    assert ids(store, include_deleted=True) == [f["new"].id, f["gone"].id, f["mid"].id, f["old"].id]
    assert [c.id for c in store.conversations.query(Query())] == ids(store)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"since": T0 + timedelta(days=5)}, ["new", "mid"]),
        ({"until": T0 + timedelta(days=5)}, ["old"]),  # until is exclusive
        ({"since": T0 + timedelta(days=1), "until": T0 + timedelta(days=6)}, ["mid"]),
        ({"neighbourhood": "wallasey"}, ["mid"]),
        ({"barrier_code": "PI.TRAVEL"}, ["mid"]),
        ({"barrier_domain": "thinking_feeling"}, ["new"]),
        ({"barrier_domain": "social_processes"}, []),
        ({"author_id": "amina"}, ["mid", "old"]),
        ({"author_id": "ben", "include_deleted": True}, ["new", "gone"]),
        ({"sync_state": "pending"}, ["new", "mid", "old"]),
        ({"sync_state": "synced"}, []),
        ({"setting": "market", "neighbourhood": "birkenhead"}, ["new", "old"]),
        ({"activity_kind": "stall"}, []),  # does not apply to conversations: matches nothing
    ],
)
def test_filters(store: Store, filled: dict[str, Conversation], query: dict[str, object], expected: list[str]) -> None:
    assert ids(store, **query) == [filled[name].id for name in expected]
    assert store.conversations.count(Query(**query)) == len(expected)  # type: ignore[arg-type]


def test_paging(store: Store) -> None:
    saved = store.conversations.save_many(conv(d) for d in range(25))
    assert saved == 25
    everything = ids(store)
    pages = [ids(store, limit=10, offset=o) for o in (0, 10, 20)]
    assert [len(p) for p in pages] == [10, 10, 5]
    assert sum(pages, []) == everything
    assert ids(store, offset=20) == everything[20:]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gelatine", ["old"]),
        ("GELATINE", ["old"]),
        ("gel", ["old"]),  # the last word matches as a prefix, while typing
        ("halal gel", ["old"]),
        ("gel halal", []),  # earlier words are whole words
        ("buses", ["mid"]),  # quotes of the barriers heard; the deleted note is hidden
        ("pregnant safe", ["new"]),
        ("bus", ["mid"]),
        ("clinic OR safe", []),  # FTS operators are just words
        ('"unbalanced', []),
        ("NEAR(halal gelatine)", []),
        ("notes: halal", []),
        ("*", ["new", "mid", "old"]),  # nothing to search for: no text filter
        ("-halal", ["old"]),
    ],
)
def test_search_over_notes_and_quotes_is_safe_against_fts_syntax(
    store: Store, filled: dict[str, Conversation], text: str, expected: list[str]
) -> None:
    assert ids(store, text=text) == [filled[name].id for name in expected]


def test_search_combines_with_filters_and_paging(store: Store, filled: dict[str, Conversation]) -> None:
    assert ids(store, text="buses", include_deleted=True) == [filled["gone"].id, filled["mid"].id]
    assert ids(store, text="buses", include_deleted=True, limit=1, offset=1) == [filled["mid"].id]
    assert ids(store, text="buses", neighbourhood="birkenhead") == []


def test_search_follows_edits(store: Store, filled: dict[str, Conversation]) -> None:
    old = filled["old"]
    store.conversations.save(store.conversations.get(old.id).model_copy(update={"notes": "Talked about pharmacies"}))
    assert ids(store, text="gelatine") == []
    assert ids(store, text="pharmac") == [old.id]


def test_search_in_other_kinds(store: Store) -> None:
    b = store.barriers.save(Barrier(occurred_at=T0, code="TF.TRUST", quote="The drug companies just want money", notes="heard at the stall"))
    a = store.activities.save(OutreachActivity(occurred_at=T0, activity_kind="stall", neighbourhood="birkenhead", notes="Leaflets in Urdu"))
    s = store.assets.save(CommunityAsset(name="Women's health drop-in", description="Friendly nurse, interpreters on request"))
    assert store.barriers.ids(Query(text="money")) == [b.id]
    assert store.barriers.ids(Query(text="stall")) == [b.id]
    assert store.barriers.ids(Query(barrier_domain="thinking_feeling")) == [b.id]
    assert store.activities.ids(Query(text="urdu")) == [a.id]
    assert store.activities.ids(Query(activity_kind="stall")) == [a.id]
    assert store.assets.ids(Query(text="interpreter")) == [s.id]
    assert store.assets.ids(Query(text="women")) == [s.id]
    assert store.assets.ids(Query(barrier_code="TF.TRUST")) == []
    assert store.reference_items.ids(Query(text="birken", list_name="neighbourhood")) != []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("  ", None),
        ("flu", '"flu"*'),
        ("Flu jab", '"Flu" "jab"*'),
        ('say "NEAR" AND (x*)', '"say" "NEAR" "AND" "x"*'),
        ("café", '"café"*'),
        ("_", None),
    ],
)
def test_match_expression_quotes_every_word(text: str, expected: str | None) -> None:
    assert match_expression(text) == expected


def test_changing_when_moves_a_record_in_the_order_and_search_follows(store: Store, filled: dict[str, Conversation]) -> None:
    f = filled
    old = store.conversations.get(f["old"].id)
    store.conversations.save(old.model_copy(update={"occurred_at": T0 + timedelta(days=20)}))
    assert ids(store) == [f["old"].id, f["new"].id, f["mid"].id]
    assert ids(store, text="gelatine") == [f["old"].id]
    assert ids(store, since=T0 + timedelta(days=15)) == [f["old"].id]
    assert store.db.execute("SELECT count(*) FROM conversation_fts").fetchone()[0] == 4  # no stale index entry


def test_date_filters_are_exact_within_a_millisecond(store: Store) -> None:
    at = T0 + timedelta(microseconds=400)
    a = store.conversations.save(conv(0, occurred_at=at))
    b = store.conversations.save(conv(0, occurred_at=at + timedelta(microseconds=300)))
    assert ids(store, since=at + timedelta(microseconds=1)) == [b.id]
    assert ids(store, until=at + timedelta(microseconds=1)) == [a.id]
    assert ids(store, since=at, until=at + timedelta(microseconds=300)) == [a.id]


def test_many_records_at_the_same_moment_keep_the_order_they_were_saved_in(store: Store) -> None:
    saved = [store.conversations.save(conv(3)) for _ in range(5)]
    assert ids(store) == [c.id for c in reversed(saved)]
    assert store.conversations.save_many(conv(3) for _ in range(300)) == 300
    assert store.conversations.count() == 305


@pytest.mark.parametrize(
    "query",
    [
        {}, {"neighbourhood": "wallasey"}, {"text": "buses"}, {"text": "bus", "neighbourhood": "birkenhead"},
        {"barrier_code": "PI.TRAVEL"}, {"barrier_domain": "thinking_feeling"}, {"include_deleted": True},
        {"limit": 7, "offset": 3}, {"text": "nothingmatchesthis"},
    ],
)
def test_packed_ids_are_the_ids_in_the_same_order(store: Store, query: dict[str, object]) -> None:
    """Lists over a million records take the ids packed by SQLite: the same ids, the same order."""
    from champions.domain.samples import SampleGenerator

    generator = SampleGenerator(seed=21, reference=store.reference)
    store.conversations.save_many(list(generator.conversations(400)))
    for record in store.conversations.query(Query(limit=30)):
        store.conversations.save(record.model_copy(update={"notes": record.notes + " buses"}))  # edits reorder seq-free
    expected = store.conversations.ids(Query(**query))  # type: ignore[arg-type]
    packed = store.conversations.packed_ids(Query(**query))  # type: ignore[arg-type]
    assert packed == ("".join(expected), len(expected))


def test_packed_ids_step_aside_for_ids_of_another_length(store: Store, filled: dict[str, Conversation]) -> None:
    store.conversations.save(conv(3, id="imported-from-elsewhere"))
    assert store.conversations.packed_ids(Query()) is None
    assert store.conversations.packed_ids(Query(neighbourhood="wallasey")) == (filled["mid"].id, 1)


def test_values_reads_fields_of_the_same_matches_without_whole_records(store: Store, filled: dict[str, Conversation]) -> None:
    f = filled
    rows = store.conversations.values(Query(), "id", "$.people_reached", "$.barriers", "neighbourhood")
    assert [r[0] for r in rows] == [f["new"].id, f["mid"].id, f["old"].id]  # the list's order; the deleted one left out
    assert rows[1][1:] == (1, '[{"code":"PI.TRAVEL","quote":"It\'s two buses to the clinic.","addressed":"no"}]', "wallasey")
    since = store.conversations.values(Query(since=T0 + timedelta(days=4)), "id")
    assert since == [(f["new"].id,), (f["mid"].id,)]
    # ``where`` filters on the fields, by position
    assert store.conversations.values(Query(), "id", "neighbourhood", where="v1 = ?", params=["wallasey"]) == [
        (f["mid"].id, "wallasey")]
    with pytest.raises(ValueError):
        store.conversations.values(Query(), "$.notes'); DROP TABLE conversation; --")
