"""Reference lists (neighbourhoods, the barrier taxonomy, settings...): data, not code.

Defaults ship as JSON in ``resources/taxonomies`` with stable codes and their source;
coordinators add and retire items, which sync as ``ReferenceItem`` records. A retired
item is hidden from new entries but still names itself on old records.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from ..resources import resource
from .envelope import Envelope
from .geography import district_of, is_district, is_full_postcode, is_sector, normalise, sector_of
from .problems import CUSTOM_TEMPLATES
from .ids import stable_id

LISTS: tuple[str, ...] = (
    "neighbourhood",
    "barrier",
    "barrier_group",
    "setting",
    "activity_kind",
    "topic",
    "age_band",
    "ethnic_group",
    "ethnic_group_group",
    "core20plus",
    "core20plus_group",
    "language",
)

_FILES = (
    "neighbourhoods.json",
    "barriers.json",
    "settings.json",
    "activity_kinds.json",
    "topics.json",
    "age_bands.json",
    "ethnic_groups.json",
    "core20plus.json",
    "languages.json",
)


class ReferenceItem(Envelope):
    """One entry of a shared list; its id is derived from (list, code) so devices agree."""

    kind: Literal["reference_item"] = "reference_item"
    list_name: Literal[LISTS] = Field(title="List")  # type: ignore[valid-type]
    code: str = Field(title="Code", min_length=1, max_length=60)
    label: str = Field(title="Name", min_length=1, max_length=200)
    group: str | None = Field(None, title="Group")
    driver: str | None = Field(None, title="5C driver")
    postcodes: list[str] = Field(default_factory=list, title="Postcode districts or sectors")
    source: str = Field("", title="Source")
    retired: bool = Field(False, title="Retired")
    position: int = Field(0, title="Order")

    @field_validator("postcodes")
    @classmethod
    def _postcodes(cls, value: list[str]) -> list[str]:
        """A neighbourhood is drawn by districts or sectors; a full postcode is one street, and names a home."""
        cleaned = []
        for typed in value:
            text = normalise(typed)
            if is_full_postcode(text):
                raise PydanticCustomError(
                    "full_postcode_in_list", CUSTOM_TEMPLATES["full_postcode_in_list"],
                    {"typed": typed, "district": district_of(text), "sector": sector_of(text)},
                )
            if not (is_district(text) or is_sector(text)):
                raise PydanticCustomError(
                    "bad_postcode_area", CUSTOM_TEMPLATES["bad_postcode_area"], {"typed": typed}
                )
            cleaned.append(text)
        return cleaned

    @classmethod
    def make(cls, list_name: str, code: str, label: str, **fields: object) -> "ReferenceItem":
        return cls(id=stable_id("reference", list_name, code), list_name=list_name, code=code, label=label, **fields)


def load_default_items(folder: Path | None = None) -> list[ReferenceItem]:
    folder = folder or resource("taxonomies")
    items: list[ReferenceItem] = []
    for name in _FILES:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        list_name, source = data["list"], data["source"]
        for pos, group in enumerate(data.get("groups", [])):
            items.append(ReferenceItem.make(f"{list_name}_group", group["code"], group["label"], source=source, position=pos))
        for pos, raw in enumerate(data["items"]):
            extra = {k: v for k, v in raw.items() if k not in ("code", "label")}
            items.append(ReferenceItem.make(list_name, raw["code"], raw["label"], source=source, position=pos, **extra))
    return items


class ReferenceLists:
    """An in-memory index of every list, for validation, pickers and reports."""

    def __init__(self, items: Iterable[ReferenceItem]) -> None:
        self._by_list: dict[str, dict[str, ReferenceItem]] = {name: {} for name in LISTS}
        for item in items:
            if not item.deleted:
                self._by_list[item.list_name][item.code] = item

    @classmethod
    def defaults(cls) -> "ReferenceLists":
        return cls(load_default_items())

    def items(self, list_name: str, *, include_retired: bool = False) -> list[ReferenceItem]:
        found = self._by_list[list_name].values()
        chosen = [i for i in found if include_retired or not i.retired]
        return sorted(chosen, key=lambda i: (i.position, i.label.casefold()))

    def all_items(self) -> list[ReferenceItem]:
        return [i for name in LISTS for i in self._by_list[name].values()]

    def get(self, list_name: str, code: str) -> ReferenceItem | None:
        return self._by_list[list_name].get(code)

    def knows(self, list_name: str, code: str) -> bool:
        """Retired items are known: an old record that uses one stays valid."""
        return code in self._by_list[list_name]

    def label(self, list_name: str, code: str) -> str:
        item = self.get(list_name, code)
        return item.label if item else code

    def groups(self, list_name: str) -> list[ReferenceItem]:
        return self.items(f"{list_name}_group", include_retired=True)

    def neighbourhood_for(self, postcode: str) -> str | None:
        """The neighbourhood whose sectors or districts contain this postcode, sectors first."""
        text = normalise(postcode)
        district = district_of(text)
        sector = None
        parts = text.replace(" ", "")
        if len(parts) > len(district):
            sector = f"{district} {parts[len(district)]}"
        for want in (sector, district):
            if not want:
                continue
            for item in self.items("neighbourhood"):
                if want in (normalise(p) for p in item.postcodes):
                    return item.code
        return None
