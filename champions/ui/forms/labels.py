"""Labels and choices come from the domain models (one source of truth), translated here."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication
from pydantic import BaseModel

from champions.domain import ADDRESSED, INTENTIONS, ReferenceLists

from .widgets.choice_box import Choice

DOMAIN_CONTEXT = "champions.domain"


def domain_tr(text: str) -> str:
    return QCoreApplication.translate(DOMAIN_CONTEXT, text)


def ref_label(lists: ReferenceLists, list_name: str, code: str) -> str:
    """A shared list's label for a code, in the user's language (the shipped defaults have translations)."""
    return domain_tr(lists.label(list_name, code))


def field_label(model: type[BaseModel], name: str) -> str:
    """The field's title as the domain names it, e.g. ``Conversation, "people_reached"`` -> People reached."""
    return domain_tr(model.model_fields[name].title or name)


def intention_choices() -> list[Choice]:
    return [Choice(code, domain_tr(text)) for code, text in INTENTIONS.items()]


def addressed_choices() -> list[Choice]:
    return [Choice(code, domain_tr(text)) for code, text in ADDRESSED.items()]


def list_choices(lists: ReferenceLists, list_name: str) -> list[Choice]:
    """Live (not retired) items of a shared list, in the coordinator's order."""
    return [Choice(item.code, domain_tr(item.label)) for item in lists.items(list_name)]


def barrier_choices(lists: ReferenceLists, keep: Iterable[str] = ()) -> list[Choice]:
    """``TF.SAFETY — worried about side effects or safety (Thinking and feeling)``, grouped by BeSD domain.

    Retired barriers are left out, except those in ``keep`` (an old record's own), which stay
    choosable, and named, on that record.
    """
    groups = lists.groups("barrier")
    order = {g.code: pos for pos, g in enumerate(groups)}
    names = {g.code: domain_tr(g.label) for g in groups}
    kept = set(keep)
    offered = [i for i in lists.items("barrier", include_retired=True) if not i.retired or i.code in kept]
    items = sorted(offered, key=lambda i: (order.get(i.group or "", len(order)), i.position))
    choices = []
    for item in items:
        group = names.get(item.group or "")
        text = f"{item.code} — {domain_tr(item.label)}" + (f" ({group})" if group else "")
        choices.append(Choice(item.code, text))
    return choices


def with_retired(lists: ReferenceLists, list_name: str, choices: list[Choice], codes: list[str]) -> list[Choice]:
    """Old records may use a retired item: it stays choosable on them so nothing is lost."""
    known = {c.code for c in choices}
    extra = [Choice(c, domain_tr(lists.label(list_name, c))) for c in codes if c and c not in known and lists.knows(list_name, c)]
    return choices + extra
