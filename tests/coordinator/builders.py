"""Hand-built records with known numbers, for exact assertions."""

from __future__ import annotations

from datetime import datetime, timezone

from champions.domain import (
    Barrier,
    BarrierHeard,
    Conversation,
    GroupsReached,
    OutreachActivity,
)

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=timezone.utc)


def conv(when: str, *, who: str = "amina", hood: str = "birkenhead", district: str | None = None, people: int = 1,
         barriers: list[tuple[str, str, str]] = (), before: str = "not_asked", after: str = "not_asked",
         ages: list[str] = (), ethnic: list[str] = (), languages: list[str] = (), core20plus: list[str] = (),
         referral: bool = False, id: str | None = None, **extra) -> Conversation:
    """``barriers`` as (code, quote, addressed)."""
    fields = dict(
        occurred_at=datetime.fromisoformat(when).replace(tzinfo=timezone.utc), author_id=who, neighbourhood=hood,
        setting="market", postcode_district=district, people_reached=people,
        groups=GroupsReached(age_bands=list(ages), ethnic_groups=list(ethnic), languages=list(languages),
                             core20plus=list(core20plus)),
        barriers=[BarrierHeard(code=c, quote=q, addressed=a) for c, q, a in barriers],
        intention_before=before, intention_after=after, referral_made=referral, **extra)
    if id:
        fields["id"] = id
    return Conversation(**fields)


def lone_barrier(when: str, code: str, quote: str = "", addressed: str = "no", *, who: str = "amina",
                 hood: str | None = "birkenhead") -> Barrier:
    return Barrier(occurred_at=datetime.fromisoformat(when).replace(tzinfo=timezone.utc), author_id=who,
                   neighbourhood=hood, code=code, quote=quote, addressed=addressed)


def activity(when: str, kind: str = "stall", minutes: int = 60, *, who: str = "amina", hood: str = "birkenhead",
             people: int = 0, volunteer_hours: float = 0, languages: list[str] = ()) -> OutreachActivity:
    return OutreachActivity(occurred_at=datetime.fromisoformat(when).replace(tzinfo=timezone.utc), author_id=who,
                            activity_kind=kind, duration_minutes=minutes, neighbourhood=hood, people_reached=people,
                            volunteer_hours=volunteer_hours, languages=list(languages))
