from __future__ import annotations

import pytest

from champions.domain import find_personal_data, nhs_number_is_valid


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("ring her on 07700 900123 tomorrow", "phone", "07700 900123"),
        ("mobile +44 7700 900123", "phone", "+44 7700 900123"),
        ("landline (0151) 555 1234", "phone", "(0151) 555 1234"),
        ("020 7946 0958", "phone", "020 7946 0958"),
        ("email jo.bloggs@example.org please", "email", "jo.bloggs@example.org"),
        ("lives at CH41 5AB", "postcode", "CH41 5AB"),
        ("lives at ch415ab", "postcode", "CH415AB"),
        ("NHS no 943 476 5919", "nhs_number", "943 476 5919"),
        ("9434765919", "nhs_number", "9434765919"),
    ],
)
def test_personal_data_is_flagged(text: str, kind: str, found: str) -> None:
    hits = find_personal_data(text)
    assert [(h.kind, h.text) for h in hits] == [(kind, found)]
    assert hits[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Talked to 12 people at the market about flu jabs",
        "She lives in CH41, near the park",
        "Follow up on 14/03/2025 at 10:30",
        "943 476 5910",  # ten digits failing the modulus 11 check: not an NHS number
        "Drop-in runs 9-12 on Tuesdays",
    ],
)
def test_ordinary_notes_are_not_flagged(text: str) -> None:
    assert find_personal_data(text) == []


def test_several_kinds_in_one_note_are_each_flagged_in_order() -> None:
    hits = find_personal_data("Call 07700 900123 or a@b.com, NHS 943 476 5919, at M1 1AE")
    assert [h.kind for h in hits] == ["phone", "email", "nhs_number", "postcode"]


@pytest.mark.parametrize(("number", "valid"), [("9434765919", True), ("4010232137", True), ("9434765910", False), ("1234567890", False), ("123", False)])
def test_nhs_number_modulus_11(number: str, valid: bool) -> None:
    assert nhs_number_is_valid(number) is valid
