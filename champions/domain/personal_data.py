"""Spot personal data in free text so the UI can warn before it is saved (never blocks)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .geography import FULL_POSTCODE

Kind = Literal["nhs_number", "phone", "email", "postcode"]

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Ten digits as 3-3-4 or solid, not inside a longer number.
_NHS = re.compile(r"(?<![\d+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
# UK numbers: +44 or 0, then 9-10 more digits, spaces, dashes or brackets allowed between.
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?|\(?0)\d(?:[\s()-]{0,2}\d){8,9}(?!\d)")

MESSAGES: dict[Kind, str] = {
    "nhs_number": "This looks like an NHS number. Please don't record anything that identifies a resident.",
    "phone": "This looks like a phone number. Please don't record a resident's contact details.",
    "email": "This looks like an email address. Please don't record a resident's contact details.",
    "postcode": "This looks like a full postcode, which can identify a home. Use only the first part, for example CH41.",
}


@dataclass(frozen=True)
class PersonalDataHit:
    kind: Kind
    start: int
    end: int
    text: str

    @property
    def message(self) -> str:
        return MESSAGES[self.kind]


def nhs_number_is_valid(digits: str) -> bool:
    """Modulus 11: weights 10..2 over the first nine digits; the check digit is the tenth."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find_personal_data(text: str) -> list[PersonalDataHit]:
    """Every span that looks like personal data, in text order, never overlapping."""
    hits: list[PersonalDataHit] = []
    taken: list[tuple[int, int]] = []

    def add(kind: Kind, m: re.Match[str]) -> None:
        s, e = m.span()
        if any(s < te and ts < e for ts, te in taken):
            return
        taken.append((s, e))
        hits.append(PersonalDataHit(kind, s, e, m.group(0)))

    for m in _EMAIL.finditer(text):
        add("email", m)
    for m in _NHS.finditer(text):
        if nhs_number_is_valid("".join(m.groups())):
            add("nhs_number", m)
    for m in _PHONE.finditer(text):
        add("phone", m)
    for m in FULL_POSTCODE.finditer(text.upper()):
        add("postcode", m)
    return sorted(hits, key=lambda h: h.start)
