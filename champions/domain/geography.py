"""UK postcodes: tell a full postcode (identifies a street) from a district or sector (an area)."""

from __future__ import annotations

import re

# Outward code (district) and inward code, per the Royal Mail format; spaces optional.
_OUTWARD = r"(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)"
FULL_POSTCODE = re.compile(rf"\b{_OUTWARD}\s*[0-9][ABD-HJLNP-UW-Z]{{2}}\b")
_FULL_ONLY = re.compile(rf"^{_OUTWARD}\s*[0-9][ABD-HJLNP-UW-Z]{{2}}$")
_DISTRICT_ONLY = re.compile(rf"^{_OUTWARD}$")
_SECTOR_ONLY = re.compile(rf"^({_OUTWARD})\s+([0-9])$")


def normalise(text: str) -> str:
    return " ".join(text.upper().split())


def is_full_postcode(text: str) -> bool:
    return bool(_FULL_ONLY.match(normalise(text)))


def is_district(text: str) -> bool:
    return bool(_DISTRICT_ONLY.match(normalise(text)))


def is_sector(text: str) -> bool:
    return bool(_SECTOR_ONLY.match(normalise(text)))


def district_of(postcode: str) -> str:
    """``CH41 5AB`` -> ``CH41``; also accepts a sector or a district."""
    text = normalise(postcode).replace(" ", "")
    if _FULL_ONLY.match(text):
        return text[:-3]
    sector = _SECTOR_ONLY.match(normalise(postcode))
    if sector:
        return sector.group(1)
    return normalise(postcode)


def sector_of(postcode: str) -> str:
    """``CH41 5AB`` -> ``CH41 5``."""
    text = normalise(postcode).replace(" ", "")
    return f"{text[:-3]} {text[-3]}"
