"""Realistic generated records, shared by the demo, the tests and the benchmarks.

Plausible mixes: markets and places of worship more than doorsteps, barriers weighted
toward the ones champions hear most, quotes in residents' words. Seeded, so runs repeat.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from .envelope import utcnow
from .ids import stable_id
from .records import (
    AssetContact,
    AssetLocation,
    AssetOrganization,
    Barrier,
    BarrierHeard,
    CommunityAsset,
    Conversation,
    GroupsReached,
    OutreachActivity,
)
from .reference import ReferenceLists

QUOTES: dict[str, list[str]] = {
    "TF.SAFETY": ["My sister was poorly for a week after hers.", "I worry what it does to your body long term.", "Is it safe when you're pregnant?"],
    "TF.BENEFIT": ["I had it last year and still got flu.", "What's the point, it changes every year."],
    "TF.LOW_RISK": ["I'm young and healthy, I don't need it.", "Nobody round here gets that any more."],
    "TF.TOO_NEW": ["I'd rather wait and see how others get on.", "It came out too quick for my liking."],
    "TF.MISINFO": ["Someone on WhatsApp said it has a chip in it.", "I read it changes your DNA."],
    "TF.TRUST": ["The government never tells us the truth.", "The drug companies just want money."],
    "TF.PAST_EXP": ["Last time the receptionist was so rude to me.", "They didn't listen to my mum at the hospital."],
    "TF.BELIEF": ["Does it have pork gelatine in it?", "I need to know it's halal before my kids have it."],
    "SP.FAMILY": ["My husband doesn't want me to have it.", "My mum says we never had jabs back home."],
    "SP.LEADER": ["The imam hasn't said anything about it.", "Our pastor said to pray instead."],
    "SP.NO_HCP_REC": ["My GP never mentioned it.", "Nobody's told me I should have it."],
    "SP.GENDER": ["I'd have to ask my husband first.", "My father-in-law decides these things."],
    "SP.OTHERS": ["It's my choice, it doesn't affect anyone else."],
    "PI.WHERE": ["Where would I even go for it?", "I didn't know the chemist does them."],
    "PI.BOOKING": ["I can't use the app, I haven't got a smartphone.", "I rang the surgery for an hour and gave up."],
    "PI.GP_REG": ["I'm not with a doctor since we moved.", "They asked for proof of address and I haven't got one."],
    "PI.STATUS_FEAR": ["Will they tell the Home Office?", "I'm scared they'll send me a bill."],
    "PI.LANGUAGE": ["The letter was only in English.", "I couldn't understand what the nurse said."],
    "PI.TRAVEL": ["It's two buses to the clinic.", "I can't walk that far with my knees."],
    "PI.TIME": ["I work nights and sleep in the day.", "I can't take the kids with me and there's no one to mind them."],
    "PI.COST": ["I'd lose a day's pay.", "The bus fare adds up."],
    "PI.ACCESS": ["The clinic has stairs and I'm in a wheelchair.", "Crowds make my son panic."],
    "PI.SERVICE": ["They made me feel stupid for asking.", "I waited two hours and was sent home."],
}
_SETTING_WEIGHTS = {"market": 5, "place_of_worship": 5, "community_centre": 6, "school": 4, "doorstep": 2, "gp_pharmacy": 2, "online_phone": 1, "other": 1}
_NOTES = [
    "Busy session, lots of questions about the winter jabs.",
    "Gave out leaflets in Urdu and Bengali.",
    "Several parents asked about the MMR catch-up.",
    "Quiet morning; talked to stallholders between customers.",
    "Follow up with the pharmacy about walk-in times.",
    "",
    "",
]
_ASSETS = [
    ("Walk-in vaccination clinic", "Pharmacy", "No appointment needed; flu and COVID-19 vaccines."),
    ("Women's health drop-in", "Community centre", "Friendly drop-in with a female nurse; interpreters on request."),
    ("GP registration help desk", "Library", "Help to register with a GP, no proof of address needed."),
    ("Food bank and advice", "Food bank", "Food parcels and benefits advice."),
    ("Men's shed", "Community group", "Company and practical projects for older men."),
    ("Refugee welcome café", "Charity", "Weekly café with advice in several languages."),
]


class SampleGenerator:
    def __init__(self, seed: int = 0, reference: ReferenceLists | None = None, now: datetime | None = None,
                 author_id: str | None = None, org_id: str | None = None, device_id: str | None = None) -> None:
        self.rng = random.Random(seed)
        self.ref = reference or ReferenceLists.defaults()
        self.now = now or utcnow()
        self.envelope = {"author_id": author_id, "org_id": org_id, "device_id": device_id}
        self._codes = {name: [i.code for i in self.ref.items(name)] for name in
                       ("neighbourhood", "barrier", "topic", "age_band", "ethnic_group", "language", "core20plus", "activity_kind", "setting")}

    def _when(self, days: int = 90) -> datetime:
        back = timedelta(days=self.rng.random() * days)
        when = (self.now - back).replace(hour=self.rng.randint(9, 19), minute=self.rng.choice((0, 15, 30, 45)), second=0, microsecond=0)
        return min(when, self.now)

    def _some(self, name: str, most: int) -> list[str]:
        return self.rng.sample(self._codes[name], k=self.rng.randint(0, most))

    def barrier_heard(self) -> BarrierHeard:
        code = self.rng.choice(self._codes["barrier"])
        quote = self.rng.choice(QUOTES.get(code, ["They were not sure about it."]))
        return BarrierHeard(code=code, quote=quote, addressed=self.rng.choice(("yes", "partly", "no", "no")))

    def conversation(self) -> Conversation:
        settings = [s for s in _SETTING_WEIGHTS if s in self._codes["setting"]] or self._codes["setting"]
        before = self.rng.choices(["already_vaccinated", "yes", "not_sure", "no", "not_asked"], [2, 2, 4, 3, 1])[0]
        after = before if before in ("already_vaccinated", "not_asked") else self.rng.choices(
            ["yes", "not_sure", "no"], [3, 3, 2] if before != "no" else [1, 3, 4])[0]
        neighbourhood = self.rng.choice(self._codes["neighbourhood"])
        item = self.ref.get("neighbourhood", neighbourhood)
        districts = [p for p in (item.postcodes if item else []) if " " not in p]
        return Conversation(
            **self.envelope,
            occurred_at=self._when(),
            neighbourhood=neighbourhood,
            setting=self.rng.choices(settings, [_SETTING_WEIGHTS.get(s, 1) for s in settings])[0],
            postcode_district=self.rng.choice(districts) if districts and self.rng.random() < 0.6 else None,
            people_reached=self.rng.choices([1, 2, 3, 4, 6, 10], [10, 6, 3, 2, 1, 1])[0],
            groups=GroupsReached(
                age_bands=self._some("age_band", 2),
                ethnic_groups=self._some("ethnic_group", 2),
                languages=self._some("language", 2),
                core20plus=self._some("core20plus", 1),
            ),
            topics=self._some("topic", 3),
            barriers=[self.barrier_heard() for _ in range(self.rng.choices([0, 1, 2, 3], [2, 5, 3, 1])[0])],
            intention_before=before,
            intention_after=after,
            referral_made=self.rng.random() < 0.15,
            follow_up_on=(self.now + timedelta(days=self.rng.randint(1, 14))).date() if self.rng.random() < 0.2 else None,
            notes=self.rng.choice(_NOTES),
        )

    def barrier(self) -> Barrier:
        heard = self.barrier_heard()
        return Barrier(**self.envelope, occurred_at=self._when(), neighbourhood=self.rng.choice(self._codes["neighbourhood"]),
                       code=heard.code, quote=heard.quote, addressed=heard.addressed)

    def activity(self) -> OutreachActivity:
        hours = self.rng.choice((1, 1.5, 2, 3, 4))
        return OutreachActivity(
            **self.envelope,
            activity_kind=self.rng.choice(self._codes["activity_kind"]),
            occurred_at=self._when(),
            duration_minutes=int(hours * 60),
            neighbourhood=self.rng.choice(self._codes["neighbourhood"]),
            partners=self.rng.sample(["Age UK", "Local mosque", "Food bank", "Primary school", "Pharmacy", "Housing association"], k=self.rng.randint(0, 2)),
            people_reached=self.rng.randint(0, 80),
            languages=self._some("language", 2),
            volunteer_hours=hours * self.rng.randint(1, 3),
            materials=self.rng.sample(["Leaflets", "Posters", "Translated leaflets", "Banner"], k=self.rng.randint(0, 2)),
            notes=self.rng.choice(_NOTES),
        )

    def asset(self, index: int | None = None) -> CommunityAsset:
        i = self.rng.randrange(len(_ASSETS)) if index is None else index % len(_ASSETS)
        name, org_kind, description = _ASSETS[i]
        neighbourhood = self._codes["neighbourhood"][i % len(self._codes["neighbourhood"])]
        label = self.ref.label("neighbourhood", neighbourhood)
        org_name = f"{label} {org_kind}"
        return CommunityAsset(
            **self.envelope,
            id=stable_id("sample-asset", str(i)),
            name=f"{name}, {label}",
            description=description,
            organization=AssetOrganization(id=stable_id("sample-org", org_name), name=org_name),
            location=AssetLocation(id=stable_id("sample-location", str(i)), name=org_name, city=label),
            contact=AssetContact(phone="0151 000 0000"),
            opening_times="Mon-Fri 9:00-17:00",
            languages=["en"] + self.rng.sample(self._codes["language"][1:], k=1),
            taxonomy_terms=["vaccination"] if i == 0 else [],
            neighbourhood=neighbourhood,
        )

    def conversations(self, n: int) -> Iterator[Conversation]:
        return (self.conversation() for _ in range(n))

    def activities(self, n: int) -> Iterator[OutreachActivity]:
        return (self.activity() for _ in range(n))
