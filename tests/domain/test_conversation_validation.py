"""Every validation error of the records, asserted whole and in the champion's words."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from champions.domain import (
    Barrier,
    BarrierHeard,
    CommunityAsset,
    Conversation,
    OutreachActivity,
    Problem,
    ReferenceItem,
    ReferenceLists,
    explain,
)

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def lists() -> ReferenceLists:
    return ReferenceLists.defaults()


def problems(model: type, data: dict, lists: ReferenceLists) -> list[Problem]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data, context={"reference": lists, "now": NOW})
    return explain(caught.value, model)


def valid_conversation(**overrides: object) -> dict:
    data: dict = {"occurred_at": NOW - timedelta(hours=1), "neighbourhood": "birkenhead", "setting": "market"}
    data.update(overrides)
    return data


def test_a_minimal_conversation_is_valid(lists: ReferenceLists) -> None:
    c = Conversation.model_validate(valid_conversation(), context={"reference": lists, "now": NOW})
    assert (c.people_reached, c.intention_before, c.intention_after, c.rev, c.deleted) == (1, "not_asked", "not_asked", 0, False)


def test_conversation_errors_name_each_field_in_plain_words(lists: ReferenceLists) -> None:
    data = valid_conversation(
        occurred_at=NOW + timedelta(days=1),
        neighbourhood="atlantis",
        setting="",
        postcode_district="ch41 5ab",
        people_reached=0,
        topics=["covid_vaccine", "astrology"],
        barriers=[{"code": "TF.SAFETY", "quote": "x" * 1001}, {"code": "", "addressed": "maybe"}],
        intention_after="perhaps",
        follow_up_on="next tuesday",
        notes="n" * 5001,
        groups={"languages": ["xx"]},
    )
    assert problems(Conversation, data, lists) == [
        Problem("occurred_at", "When", "The date of the conversation is in the future. Check the date and time."),
        Problem("neighbourhood", "Neighbourhood", "“atlantis” is not on the neighbourhoods list. Choose one from the list, or ask your coordinator to add it."),
        Problem("setting", "Setting", "Choose where the conversation happened, for example a market."),
        Problem("postcode_district", "Postcode district", "That is a full postcode, which can identify someone's home. Enter only the first part, for example CH41."),
        Problem("people_reached", "People reached", "Enter how many people you spoke with: at least 1."),
        Problem("groups.languages", "Languages", "“xx” is not on the languages list. Choose one from the list, or ask your coordinator to add it."),
        Problem("topics", "Topics", "“astrology” is not on the topics list. Choose one from the list, or ask your coordinator to add it."),
        Problem("barriers.0.quote", "In their words", "In their words is too long: keep it under 1000 characters."),
        Problem("barriers.1.code", "Barrier", "Choose which barrier you heard."),
        Problem("barriers.1.addressed", "Addressed", "Addressed: choose one of the options."),
        Problem("intention_after", "Intention after", "Intention after: choose one of the options."),
        Problem("follow_up_on", "Follow-up date", "Follow-up date: enter a date, for example 14/03/2025."),
        Problem("notes", "Notes", "Notes is too long: keep it under 5000 characters."),
    ]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("CH41 5AB", "That is a full postcode, which can identify someone's home. Enter only the first part, for example CH41."),
        ("sw1a1aa", "That is a full postcode, which can identify someone's home. Enter only the first part, for example SW1A."),
        ("CH41 5", "Enter a postcode district: the first part of a postcode, for example CH41."),
        ("hello", "Enter a postcode district: the first part of a postcode, for example CH41."),
    ],
)
def test_postcode_district_refuses_full_postcodes_and_explains(lists: ReferenceLists, typed: str, message: str) -> None:
    assert problems(Conversation, valid_conversation(postcode_district=typed), lists) == [
        Problem("postcode_district", "Postcode district", message)
    ]


@pytest.mark.parametrize(("typed", "stored"), [("ch41", "CH41"), (" m1 ", "M1"), ("EC1A", "EC1A"), ("", None)])
def test_postcode_district_is_normalised(lists: ReferenceLists, typed: str, stored: str | None) -> None:
    c = Conversation.model_validate(valid_conversation(postcode_district=typed), context={"reference": lists, "now": NOW})
    assert c.postcode_district == stored


@pytest.mark.parametrize("people", ["0", "-2", "three", 2.5, True, ""])
def test_people_reached_must_be_a_whole_number_of_at_least_one(lists: ReferenceLists, people: object) -> None:
    assert problems(Conversation, valid_conversation(people_reached=people), lists) == [
        Problem("people_reached", "People reached", "Enter how many people you spoke with: at least 1.")
    ]


def test_a_few_minutes_of_clock_skew_is_allowed(lists: ReferenceLists) -> None:
    c = Conversation.model_validate(valid_conversation(occurred_at=NOW + timedelta(minutes=4)), context={"reference": lists, "now": NOW})
    assert c.occurred_at == NOW + timedelta(minutes=4)
    assert problems(Conversation, valid_conversation(occurred_at=NOW + timedelta(minutes=6)), lists)[0].field == "occurred_at"


def test_missing_required_fields_are_named(lists: ReferenceLists) -> None:
    assert problems(Conversation, {}, lists) == [
        Problem("neighbourhood", "Neighbourhood", "Neighbourhood: please fill this in."),
        Problem("setting", "Setting", "Setting: please fill this in."),
    ]


def test_a_retired_code_stays_valid_on_old_records() -> None:
    retired = ReferenceItem.make("neighbourhood", "old_town", "Old Town", retired=True)
    lists = ReferenceLists([*ReferenceLists.defaults().all_items(), retired])
    assert "old_town" not in [i.code for i in lists.items("neighbourhood")]
    assert lists.label("neighbourhood", "old_town") == "Old Town"
    c = Conversation.model_validate(valid_conversation(neighbourhood="old_town"), context={"reference": lists, "now": NOW})
    assert c.neighbourhood == "old_town"


def test_standalone_barrier_errors(lists: ReferenceLists) -> None:
    data = {"occurred_at": NOW + timedelta(hours=2), "code": "XX.NOPE", "addressed": "sort of", "neighbourhood": "nowhere"}
    assert problems(Barrier, data, lists) == [
        Problem("occurred_at", "When", "The date you heard it is in the future. Check the date and time."),
        Problem("neighbourhood", "Neighbourhood", "“nowhere” is not on the neighbourhoods list. Choose one from the list, or ask your coordinator to add it."),
        Problem("code", "Barrier", "“XX.NOPE” is not on the barriers list. Choose one from the list, or ask your coordinator to add it."),
        Problem("addressed", "Addressed", "Addressed: choose one of the options."),
    ]


def test_barrier_heard_needs_a_code() -> None:
    with pytest.raises(ValidationError) as caught:
        BarrierHeard(code="")
    assert explain(caught.value, BarrierHeard) == [Problem("code", "Barrier", "Choose which barrier you heard.")]


def test_outreach_activity_errors(lists: ReferenceLists) -> None:
    data = {
        "activity_kind": "",
        "occurred_at": NOW + timedelta(days=3),
        "duration_minutes": "0",
        "neighbourhood": "",
        "people_reached": "-1",
        "volunteer_hours": "lots",
        "languages": ["zz"],
    }
    assert problems(OutreachActivity, data, lists) == [
        Problem("activity_kind", "Kind of activity", "Choose what kind of activity this was, for example a stall."),
        Problem("occurred_at", "When", "The date of the activity is in the future. Check the date and time."),
        Problem("duration_minutes", "How long (minutes)", "Enter how long it lasted in minutes: at least 1."),
        Problem("neighbourhood", "Neighbourhood", "Choose the neighbourhood where the activity happened."),
        Problem("people_reached", "People reached", "Enter how many people it reached as a whole number (0 if none)."),
        Problem("languages", "Languages", "“zz” is not on the languages list. Choose one from the list, or ask your coordinator to add it."),
        Problem("volunteer_hours", "Volunteer hours", "Enter volunteer hours as a number, for example 2.5 (0 if none)."),
    ]


def test_outreach_activity_accepts_typed_numbers(lists: ReferenceLists) -> None:
    a = OutreachActivity.model_validate(
        {"activity_kind": "stall", "neighbourhood": "wallasey", "occurred_at": NOW, "duration_minutes": "90",
         "people_reached": "12", "volunteer_hours": "2.5"},
        context={"reference": lists, "now": NOW},
    )
    assert (a.duration_minutes, a.people_reached, a.volunteer_hours) == (90, 12, 2.5)


def test_community_asset_errors(lists: ReferenceLists) -> None:
    data = {"name": "", "status": "maybe", "location": {"latitude": "north"}}
    assert problems(CommunityAsset, data, lists) == [
        Problem("name", "Service name", "Give the service a name people would recognise."),
        Problem("location.latitude", "Latitude", "Latitude: enter a number, for example 2.5."),
        Problem("status", "Status", "Status: choose one of the options."),
    ]


def test_reference_item_errors() -> None:
    with pytest.raises(ValidationError) as caught:
        ReferenceItem.model_validate({"list_name": "colours", "code": "", "label": ""})
    assert explain(caught.value, ReferenceItem) == [
        Problem("list_name", "List", "List: choose one of the options."),
        Problem("code", "Code", "Code: please fill this in."),
        Problem("label", "Name", "Name: please fill this in."),
    ]


def test_unknown_fields_are_refused(lists: ReferenceLists) -> None:
    assert problems(Conversation, valid_conversation(resident_name="Jo Bloggs"), lists) == [
        Problem("resident_name", "resident_name", "resident_name is not something Champions records.")
    ]


def test_messages_with_values_are_translated_before_they_are_filled_in(lists: ReferenceLists) -> None:
    """A translator gets one sentence with its placeholders; the champion's own words stay as typed."""
    data = {"neighbourhood": "atlantis", "setting": "market", "people_reached": 0, "postcode_district": "CH41 5LH"}
    found = {p.field: p for p in problems(Conversation, data, lists)}
    french = {
        "“{code}” is not on the {what} list. Choose one from the list, or ask your coordinator to add it.":
            "« {code} » n'est pas dans la liste des {what}.",
        "neighbourhoods": "quartiers",
        "That is a full postcode, which can identify someone's home. Enter only the first part, for example {district}.":
            "C'est un code postal complet. N'indiquez que la première partie, par exemple {district}.",
        "Enter how many people you spoke with: at least 1.": "Indiquez combien de personnes : au moins 1.",
    }

    def translate(text: str) -> str:
        return french.get(text, text)

    assert found["neighbourhood"].translated(translate) == "« atlantis » n'est pas dans la liste des quartiers."
    assert found["postcode_district"].translated(translate) == (
        "C'est un code postal complet. N'indiquez que la première partie, par exemple CH41.")
    assert found["people_reached"].translated(translate) == "Indiquez combien de personnes : au moins 1."
    # untranslated, or with a translation whose placeholder is broken, the English still reads right
    assert found["neighbourhood"].translated(lambda t: t) == found["neighbourhood"].message
    assert found["neighbourhood"].translated(lambda t: t.replace("{code}", "{cod")) == found["neighbourhood"].message


def test_envelope_errors_are_in_plain_words() -> None:
    with pytest.raises(ValidationError) as caught:
        Barrier.model_validate({"code": "TF.SAFETY", "rev": -1, "created_at": "yesterday", "deleted": "perhaps"})
    assert explain(caught.value, Barrier) == [
        Problem("created_at", "Created", "Created: enter a date and time, for example 14/03/2025 10:30."),
        Problem("rev", "Revision", "Revision: enter 0 or more."),
        Problem("deleted", "Deleted", "Deleted: choose yes or no."),
    ]


def test_asset_organisation_and_contact_errors_name_the_part(lists: ReferenceLists) -> None:
    data = {"name": "Food bank", "contact": {"phone": 12, "fax": "0151"}, "organization": {"email": ["a"]}}
    assert problems(CommunityAsset, data, lists) == [
        Problem("organization.email", "Email", "Email: enter text."),
        Problem("contact.phone", "Phone", "Phone: enter text."),
        Problem("contact.fax", "fax", "fax is not something Champions records."),
    ]


@pytest.mark.parametrize(
    ("postcodes", "message"),
    [
        (["CH41 5AB"], "“CH41 5AB” is a full postcode. Use its district or sector instead, for example CH41 or CH41 5."),
        (["Birkenhead"], "“Birkenhead” is not a postcode district or sector. Write one like CH41 or CH41 5."),
        ("CH41", "Postcode districts or sectors: choose from the list."),
    ],
)
def test_a_neighbourhood_is_drawn_by_districts_or_sectors(postcodes: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ReferenceItem.model_validate({"list_name": "neighbourhood", "code": "x", "label": "X", "postcodes": postcodes})
    assert [p.message for p in explain(caught.value, ReferenceItem)] == [message]
    item = ReferenceItem.model_validate({"list_name": "neighbourhood", "code": "x", "label": "X", "postcodes": ["ch41", "ch43  5"]})
    assert item.postcodes == ["CH41", "CH43 5"]
