"""One small dataset whose every number is worked out by hand in the tests.

Weeks: 2 Mar 2026 is Monday of ISO week 10; 9 Mar week 11; 16 Mar week 12.
Deciles: CH41 -> 1, CH44 -> 6, CH45 -> 2 (CH42 and no district: not known).
"""

from __future__ import annotations

from champions.coordinator import FactContext, build_facts
from champions.domain import ReferenceLists, stable_id

from .builders import activity, conv, lone_barrier

DECILES = {"CH41": 1, "CH44": 6, "CH45": 2}


def records() -> dict[str, object]:
    """Fresh records with ids fixed by name, so two calls agree."""
    made = {
        "c1": conv("2026-03-02T10:00", who="amina", hood="birkenhead", district="CH41", people=3,
                   barriers=[("TF.SAFETY", "My sister was poorly", "yes"), ("PI.TRAVEL", "Two buses to the clinic", "no")],
                   before="no", after="yes", ages=["16-24", "25-34"], ethnic=["asian_bangladeshi"],
                   languages=["bn", "en"], core20plus=["vulnerable_migrants"], referral=True),
        "c2": conv("2026-03-04T15:00", who="ben", hood="wallasey", district="CH44", people=1,
                   barriers=[("TF.SAFETY", "my sister was  POORLY!", "partly")], before="not_sure", after="not_sure",
                   ages=["65+"], ethnic=["white_british"]),
        "c3": conv("2026-03-10T11:00", who="amina", hood="birkenhead", people=2,
                   barriers=[("SP.FAMILY", "My husband says no", "no")], before="yes", after="no",
                   ethnic=["asian_pakistani"], languages=["ur"]),
        "c4": conv("2026-03-18T09:30", who="ben", hood="wallasey", district="CH45", people=4,
                   before="already_vaccinated", after="already_vaccinated"),
        "b1": lone_barrier("2026-03-11T13:00", "TF.SAFETY", "Is it safe when you're pregnant?", who="ben", hood="wallasey"),
        "a1": activity("2026-03-03T10:00", "stall", 90, who="amina", hood="birkenhead", people=20, volunteer_hours=3,
                       languages=["bn"]),
        "a2": activity("2026-03-12T18:00", "event", 120, who="ben", hood="wallasey", people=50, volunteer_hours=4.5),
        "a3": activity("2026-03-12T09:00", "stall", 30, who="amina", hood="birkenhead", people=5),
    }
    return {name: r.model_copy(update={"id": stable_id("test-dataset", name)}) for name, r in made.items()}


def facts(ref: ReferenceLists, review_states: dict[str, str] | None = None):
    recs = records()
    ctx = FactContext(ref, decile_of_district=DECILES, review_states=review_states or {})
    return recs, build_facts(recs.values(), ctx)
