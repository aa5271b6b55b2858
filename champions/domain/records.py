"""The records a champion logs, with validation written for the champion.

Membership of the shared lists is checked when a ``ReferenceLists`` is passed in the
validation context (``model_validate(data, context={"reference": lists})``); the store,
the forms and the hub all pass one, so the rules live here once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from . import geography
from .envelope import Envelope, as_utc, utcnow
from .ids import stable_id, uuid7
from .problems import CUSTOM_TEMPLATES
from .reference import ReferenceItem

CLOCK_SKEW = timedelta(minutes=5)
NOTES_MAX = 5000
QUOTE_MAX = 1000

Intention = Literal["already_vaccinated", "yes", "not_sure", "no", "not_asked"]
INTENTIONS: dict[str, str] = {
    "already_vaccinated": "Already vaccinated",
    "yes": "Yes, intends to",
    "not_sure": "Not sure",
    "no": "No",
    "not_asked": "Not asked",
}
Addressed = Literal["yes", "partly", "no"]
ADDRESSED: dict[str, str] = {"yes": "Yes", "partly": "Partly", "no": "No"}


def _check_codes(info: ValidationInfo, list_name: str, codes: list[str], what: str) -> None:
    lists = (info.context or {}).get("reference")
    if lists is None:
        return
    for code in codes:
        if not lists.knows(list_name, code):
            raise PydanticCustomError(
                "unknown_code", CUSTOM_TEMPLATES["unknown_code"], {"code": code, "what": what}
            )


def _not_in_future(value: datetime, info: ValidationInfo, label: str) -> datetime:
    value = as_utc(value)
    now = (info.context or {}).get("now") or utcnow()
    if value > now + CLOCK_SKEW:
        raise PydanticCustomError(
            "in_future", CUSTOM_TEMPLATES["in_future"], {"label": label}
        )
    return value


class GroupsReached(BaseModel):
    """Anonymous groups: which kinds of people were there, never who."""

    model_config = ConfigDict(extra="forbid")

    age_bands: list[str] = Field(default_factory=list, title="Age bands")
    ethnic_groups: list[str] = Field(default_factory=list, title="Ethnic groups")
    languages: list[str] = Field(default_factory=list, title="Languages")
    core20plus: list[str] = Field(default_factory=list, title="Core20PLUS groups")

    @field_validator("age_bands")
    @classmethod
    def _ages(cls, v: list[str], info: ValidationInfo) -> list[str]:
        _check_codes(info, "age_band", v, "age bands")
        return v

    @field_validator("ethnic_groups")
    @classmethod
    def _ethnic(cls, v: list[str], info: ValidationInfo) -> list[str]:
        _check_codes(info, "ethnic_group", v, "ethnic groups")
        return v

    @field_validator("languages")
    @classmethod
    def _languages(cls, v: list[str], info: ValidationInfo) -> list[str]:
        _check_codes(info, "language", v, "languages")
        return v

    @field_validator("core20plus")
    @classmethod
    def _core20(cls, v: list[str], info: ValidationInfo) -> list[str]:
        _check_codes(info, "core20plus", v, "Core20PLUS groups")
        return v


class BarrierHeard(BaseModel):
    """A barrier heard in a conversation: what kind, in the resident's words, and whether it was addressed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(title="Barrier")
    quote: str = Field("", title="In their words", max_length=QUOTE_MAX)
    addressed: Addressed = Field("no", title="Addressed")

    @field_validator("code")
    @classmethod
    def _code(cls, v: str, info: ValidationInfo) -> str:
        if not v:
            raise PydanticCustomError("barrier_missing", "Choose which barrier you heard.")
        _check_codes(info, "barrier", [v], "barriers")
        return v


class Conversation(Envelope):
    kind: Literal["conversation"] = "conversation"
    occurred_at: datetime = Field(default_factory=utcnow, title="When")
    neighbourhood: str = Field(title="Neighbourhood")
    setting: str = Field(title="Setting")
    postcode_district: str | None = Field(None, title="Postcode district")
    people_reached: int = Field(1, title="People reached")
    groups: GroupsReached = Field(default_factory=GroupsReached, title="Groups reached")
    topics: list[str] = Field(default_factory=list, title="Topics")
    barriers: list[BarrierHeard] = Field(default_factory=list, title="Barriers heard")
    intention_before: Intention = Field("not_asked", title="Intention before")
    intention_after: Intention = Field("not_asked", title="Intention after")
    signposted_to: list[str] = Field(default_factory=list, title="Signposted to")
    referral_made: bool = Field(False, title="Referral made")
    follow_up_on: date | None = Field(None, title="Follow-up date")
    notes: str = Field("", title="Notes", max_length=NOTES_MAX)

    @field_validator("occurred_at")
    @classmethod
    def _when(cls, v: datetime, info: ValidationInfo) -> datetime:
        return _not_in_future(v, info, "The date of the conversation")

    @field_validator("neighbourhood")
    @classmethod
    def _neighbourhood(cls, v: str, info: ValidationInfo) -> str:
        if not v:
            raise PydanticCustomError("neighbourhood_missing", "Choose the neighbourhood where the conversation happened.")
        _check_codes(info, "neighbourhood", [v], "neighbourhoods")
        return v

    @field_validator("setting")
    @classmethod
    def _setting(cls, v: str, info: ValidationInfo) -> str:
        if not v:
            raise PydanticCustomError("setting_missing", "Choose where the conversation happened, for example a market.")
        _check_codes(info, "setting", [v], "settings")
        return v

    @field_validator("postcode_district", mode="before")
    @classmethod
    def _district(cls, v: Any) -> Any:
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        if not isinstance(v, str):
            return v
        text = geography.normalise(v)
        if geography.is_full_postcode(text):
            raise PydanticCustomError(
                "full_postcode", CUSTOM_TEMPLATES["full_postcode"], {"district": geography.district_of(text)}
            )
        if not geography.is_district(text):
            raise PydanticCustomError(
                "bad_district", "Enter a postcode district: the first part of a postcode, for example CH41."
            )
        return text

    @field_validator("people_reached", mode="before")
    @classmethod
    def _people(cls, v: Any) -> Any:
        return _whole_number(v, minimum=1, message="Enter how many people you spoke with: at least 1.")

    @field_validator("topics")
    @classmethod
    def _topics(cls, v: list[str], info: ValidationInfo) -> list[str]:
        _check_codes(info, "topic", v, "topics")
        return v


def _whole_number(v: Any, *, minimum: int, message: str) -> Any:
    """People type counts; say what is wanted rather than pydantic's parser wording."""
    if isinstance(v, bool):
        raise PydanticCustomError("whole_number", message)
    if isinstance(v, str):
        v = v.strip()
        if not v.isdigit():
            raise PydanticCustomError("whole_number", message)
        v = int(v)
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if not isinstance(v, int) or v < minimum:
        raise PydanticCustomError("whole_number", message)
    return v


class Barrier(Envelope):
    """A barrier logged on its own, without a conversation (e.g. heard in passing at a stall)."""

    kind: Literal["barrier"] = "barrier"
    occurred_at: datetime = Field(default_factory=utcnow, title="When")
    neighbourhood: str | None = Field(None, title="Neighbourhood")
    code: str = Field(title="Barrier")
    quote: str = Field("", title="In their words", max_length=QUOTE_MAX)
    addressed: Addressed = Field("no", title="Addressed")
    notes: str = Field("", title="Notes", max_length=NOTES_MAX)

    @field_validator("occurred_at")
    @classmethod
    def _when(cls, v: datetime, info: ValidationInfo) -> datetime:
        return _not_in_future(v, info, "The date you heard it")

    @field_validator("code")
    @classmethod
    def _code(cls, v: str, info: ValidationInfo) -> str:
        if not v:
            raise PydanticCustomError("barrier_missing", "Choose which barrier you heard.")
        _check_codes(info, "barrier", [v], "barriers")
        return v

    @field_validator("neighbourhood")
    @classmethod
    def _neighbourhood(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v:
            _check_codes(info, "neighbourhood", [v], "neighbourhoods")
        return v or None


class OutreachActivity(Envelope):
    kind: Literal["outreach_activity"] = "outreach_activity"
    activity_kind: str = Field(title="Kind of activity")
    occurred_at: datetime = Field(default_factory=utcnow, title="When")
    duration_minutes: int = Field(60, title="How long (minutes)")
    neighbourhood: str = Field(title="Neighbourhood")
    partners: list[str] = Field(default_factory=list, title="Partners")
    people_reached: int = Field(0, title="People reached")
    languages: list[str] = Field(default_factory=list, title="Languages")
    volunteer_hours: float = Field(0, title="Volunteer hours")
    materials: list[str] = Field(default_factory=list, title="Materials")
    notes: str = Field("", title="Notes", max_length=NOTES_MAX)

    @field_validator("activity_kind")
    @classmethod
    def _kind(cls, v: str, info: ValidationInfo) -> str:
        if not v:
            raise PydanticCustomError("activity_kind_missing", "Choose what kind of activity this was, for example a stall.")
        _check_codes(info, "activity_kind", [v], "activity kinds")
        return v

    @field_validator("occurred_at")
    @classmethod
    def _when(cls, v: datetime, info: ValidationInfo) -> datetime:
        return _not_in_future(v, info, "The date of the activity")

    @field_validator("duration_minutes", mode="before")
    @classmethod
    def _duration(cls, v: Any) -> Any:
        return _whole_number(v, minimum=1, message="Enter how long it lasted in minutes: at least 1.")

    @field_validator("neighbourhood")
    @classmethod
    def _neighbourhood(cls, v: str, info: ValidationInfo) -> str:
        if not v:
            raise PydanticCustomError("neighbourhood_missing", "Choose the neighbourhood where the activity happened.")
        _check_codes(info, "neighbourhood", [v], "neighbourhoods")
        return v

    @field_validator("people_reached", mode="before")
    @classmethod
    def _people(cls, v: Any) -> Any:
        return _whole_number(v, minimum=0, message="Enter how many people it reached as a whole number (0 if none).")

    @field_validator("volunteer_hours", mode="before")
    @classmethod
    def _hours(cls, v: Any) -> Any:
        message = "Enter volunteer hours as a number, for example 2.5 (0 if none)."
        try:
            hours = float(v.strip()) if isinstance(v, str) else float(v)
        except (TypeError, ValueError):
            raise PydanticCustomError("volunteer_hours", message) from None
        if hours < 0 or hours != hours or hours > 10_000:
            raise PydanticCustomError("volunteer_hours", message)
        return hours

    @field_validator("languages")
    @classmethod
    def _languages(cls, v: list[str], info: ValidationInfo) -> list[str]:
        _check_codes(info, "language", v, "languages")
        return v


class AssetOrganization(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    id: str | None = Field(None, title="Organisation id")
    name: str = Field("", title="Organisation")
    description: str = Field("", title="About the organisation")
    url: str = Field("", title="Website")
    email: str = Field("", title="Email")


class AssetLocation(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    id: str | None = Field(None, title="Location id")
    name: str = Field("", title="Place")
    address_1: str = Field("", title="Address")
    city: str = Field("", title="Town or city")
    postcode: str = Field("", title="Postcode")
    latitude: float | None = Field(None, title="Latitude")
    longitude: float | None = Field(None, title="Longitude")


class AssetContact(BaseModel):
    """The organisation's public contact, not a resident's."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str = Field("", title="Contact name")
    phone: str = Field("", title="Phone")
    email: str = Field("", title="Email")


class CommunityAsset(Envelope):
    """Somewhere to signpost a resident to; its id is the Open Referral UK service id."""

    kind: Literal["community_asset"] = "community_asset"
    name: str = Field(title="Service name", max_length=200)
    description: str = Field("", title="Description", max_length=NOTES_MAX)
    organization: AssetOrganization = Field(default_factory=AssetOrganization, title="Organisation")
    location: AssetLocation = Field(default_factory=AssetLocation, title="Location")
    contact: AssetContact = Field(default_factory=AssetContact, title="Contact")
    opening_times: str = Field("", title="Opening times", max_length=1000)
    languages: list[str] = Field(default_factory=list, title="Languages")
    taxonomy_terms: list[str] = Field(default_factory=list, title="Categories")
    neighbourhood: str | None = Field(None, title="Neighbourhood")
    status: Literal["active", "proposed", "inactive"] = Field("active", title="Status")

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not v:
            raise PydanticCustomError("asset_name_missing", "Give the service a name people would recognise.")
        return v


REVIEW_NOTE_MAX = 2000
ReviewState = Literal["reviewed", "queried"]
ReviewNoteKind = Literal["query", "reply", "note"]
ReviewSubjectKind = Literal["conversation", "barrier", "outreach_activity"]
_EMPTY_NOTE = {
    "query": "Write what you would like the champion to check.",
    "reply": "Write your reply to the coordinator.",
    "note": "Write the note, or leave it out.",
}


def review_id(subject_id: str) -> str:
    """The one id every device gives the review of a record, so two reviewers make one record, not two."""
    return stable_id("review", subject_id)


class ReviewNote(BaseModel):
    """One entry of a review's thread: a coordinator's query or note, or the champion's reply."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(default_factory=uuid7, title="Note id")
    author_id: str | None = Field(None, title="Written by")  # set by the hub from the device
    written_at: datetime = Field(default_factory=utcnow, title="Written")
    note_kind: ReviewNoteKind = Field(title="Kind of note")
    text: str = Field(title="Comment", max_length=REVIEW_NOTE_MAX)

    @field_validator("written_at")
    @classmethod
    def _when(cls, v: datetime, info: ValidationInfo) -> datetime:
        return _not_in_future(v, info, "The time of the comment")

    @field_validator("text")
    @classmethod
    def _text(cls, v: str, info: ValidationInfo) -> str:
        if not v:
            kind = info.data.get("note_kind", "note")
            raise PydanticCustomError(f"review_{kind}_empty", _EMPTY_NOTE.get(kind, _EMPTY_NOTE["note"]))
        return v


class Review(Envelope):
    """A coordinator's review of one record (docs/design/review.md); its id is ``review_id(subject_id)``.

    A separate record, so a coordinator's marks never bump the champion's record and the thread
    of queries and replies is kept whole. The state shown is derived from ``subject_rev`` and the
    record's current rev (``champions.coordinator.review``).
    """

    kind: Literal["review"] = "review"
    subject_kind: ReviewSubjectKind = Field(title="Kind of record")
    subject_id: str = Field(title="Record", max_length=64)
    subject_author_id: str | None = Field(None, title="Champion")  # the subject's author; the hub checks it
    state: ReviewState = Field(title="Review")
    subject_rev: int = Field(ge=0, title="Version looked at")
    notes: list[ReviewNote] = Field(default_factory=list, title="Comments")

    @model_validator(mode="before")
    @classmethod
    def _default_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("id") and isinstance(data.get("subject_id"), str) and data["subject_id"]:
            data = {**data, "id": review_id(data["subject_id"].strip())}
        return data

    @field_validator("subject_id")
    @classmethod
    def _subject(cls, v: str, info: ValidationInfo) -> str:
        if not v:
            raise PydanticCustomError("review_subject_missing", "Choose the record you are reviewing.")
        if "id" in info.data and info.data["id"] != review_id(v):  # one review per record, whoever writes it
            raise PydanticCustomError(
                "review_id", "This review's id does not belong to its record; this is a fault in the app, please report it.")
        return v

    @field_validator("notes")
    @classmethod
    def _notes(cls, v: list[ReviewNote], info: ValidationInfo) -> list[ReviewNote]:
        if len({n.id for n in v}) != len(v):
            raise PydanticCustomError("review_note_twice", "A comment appears twice; this is a fault in the app, please report it.")
        if info.data.get("state") == "queried" and not any(n.note_kind == "query" for n in v):
            raise PydanticCustomError("review_query_missing", _EMPTY_NOTE["query"])
        return sorted(v, key=lambda n: (n.written_at, n.id))

    @classmethod
    def of(cls, subject: Envelope, state: ReviewState, *notes: ReviewNote, **fields: Any) -> "Review":
        """A review of ``subject`` at its current rev (``fields`` may set the rest, e.g. to build on an existing review)."""
        return cls.model_validate({
            "subject_kind": subject.kind, "subject_id": subject.id,  # type: ignore[attr-defined]
            "subject_author_id": subject.author_id, "state": state, "subject_rev": subject.rev,
            "notes": [n.model_dump() for n in notes], **fields,
        })


Record = Annotated[
    Union[Conversation, Barrier, OutreachActivity, CommunityAsset, ReferenceItem, Review],
    Field(discriminator="kind"),
]
RECORD_TYPES: dict[str, type[Envelope]] = {
    "conversation": Conversation,
    "barrier": Barrier,
    "outreach_activity": OutreachActivity,
    "community_asset": CommunityAsset,
    "reference_item": ReferenceItem,
    "review": Review,
}
