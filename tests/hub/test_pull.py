"""Pull: paged by a monotonic cursor, and scoped: by organisation always, by author for champions."""

from __future__ import annotations

from champions.domain import CommunityAsset, load_default_items
from champions.sync import protocol as p

from .conftest import change, make_org


def test_new_org_gets_the_default_lists_with_their_stable_ids(org) -> None:  # type: ignore[no-untyped-def]
    got, cursor = org.amina.pull_all()
    defaults = {item.id: item for item in load_default_items()}
    assert {r.id for r in got} == set(defaults)
    assert all(r.kind == "reference_item" and r.rev == 0 and r.record["org_id"] == org.id for r in got)
    sample = next(r for r in got if r.record["list_name"] == "neighbourhood")
    assert sample.record["code"] == defaults[sample.id].code and sample.record["label"] == defaults[sample.id].label
    again, cursor2 = org.amina.pull_all(cursor)
    assert again == [] and cursor2 == cursor


def test_paging_and_cursor_monotonicity(org, samples) -> None:  # type: ignore[no-untyped-def]
    _, start = org.amina.pull_all()
    talks = [samples.conversation() for _ in range(25)]
    assert {r.status for r in org.amina.push([change(t) for t in talks]).results} == {"accepted"}
    pages, cursor, seen = [], start, []
    while True:
        page = p.PullResponse.model_validate(org.amina.get("/v1/pull", params={"since": cursor, "limit": 10}).json())
        assert page.next_cursor >= cursor
        pages.append(len(page.changes))
        seen.extend(page.changes)
        cursor = page.next_cursor
        if not page.has_more:
            break
    assert pages == [10, 10, 5]
    seqs = [r.seq for r in seen]
    assert seqs == sorted(seqs) and len(set(seqs)) == 25 and seqs[0] > start
    assert [r.id for r in seen] == [t.id for t in talks]  # in the order they were accepted
    # An edit moves the record past the cursor: the next pull has only it.
    assert org.amina.push([change(talks[3], rev=1, base_rev=0, notes="second thoughts")]).results[0].status == "accepted"
    newer, cursor2 = org.amina.pull_all(cursor)
    assert [(r.id, r.rev, r.record["notes"]) for r in newer] == [(talks[3].id, 1, "second thoughts")]
    assert newer[0].seq > cursor and cursor2 == newer[0].seq


def test_who_sees_what(hub, hub_cli, org, samples) -> None:  # type: ignore[no-untyped-def]
    aminas, bilals = samples.conversation(), samples.activity()
    amina_asset = CommunityAsset(name="Amina's proposal", status="proposed")
    bilal_asset = CommunityAsset(name="Bilal's proposal", status="proposed")
    published = samples.asset(1)
    assert org.amina.push([change(aminas), change(amina_asset)]).results[1].status == "accepted"
    assert org.bilal.push([change(bilals), change(bilal_asset)]).results[1].status == "accepted"
    assert org.coordinator.push([change(published)]).results[0].status == "accepted"
    # The coordinator corrects Amina's record: she gets the correction.
    assert org.coordinator.push([change(aminas, rev=1, base_rev=0, notes="Corrected")]).results[0].status == "accepted"

    def ids(device) -> set[str]:  # type: ignore[no-untyped-def]
        got, _ = device.pull_all()
        return {r.id for r in got if r.kind != "reference_item"}

    assert ids(org.amina) == {aminas.id, amina_asset.id, published.id}
    assert ids(org.bilal) == {bilals.id, bilal_asset.id, published.id}
    assert ids(org.coordinator) == {aminas.id, bilals.id, amina_asset.id, bilal_asset.id, published.id}
    corrected, _ = org.amina.pull_all()
    assert [r.record["notes"] for r in corrected if r.id == aminas.id] == ["Corrected"]

    other = make_org(hub, hub_cli)
    for device in (other.coordinator, other.amina):
        got, _ = device.pull_all()
        assert all(r.record["org_id"] == other.id for r in got)
        assert not {r.id for r in got} & {aminas.id, bilals.id, amina_asset.id, bilal_asset.id, published.id}
    # The same record id pushed in another organisation is a different record there.
    assert other.amina.push([change(aminas)]).results[0].status == "accepted"
    mine, _ = org.coordinator.pull_all()
    assert [r.record["org_id"] for r in mine if r.id == aminas.id] == [org.id]
