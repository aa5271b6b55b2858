"""What a record is and what is valid; no I/O beyond reading the shipped lists."""

from .envelope import Envelope, as_utc, utcnow
from .geography import district_of, is_district, is_full_postcode
from .ids import stable_id, uuid7
from .personal_data import PersonalDataHit, find_personal_data, nhs_number_is_valid
from .problems import Problem, explain
from .records import (
    ADDRESSED,
    INTENTIONS,
    RECORD_TYPES,
    AssetContact,
    AssetLocation,
    AssetOrganization,
    Barrier,
    BarrierHeard,
    CommunityAsset,
    Conversation,
    GroupsReached,
    OutreachActivity,
    Record,
    Review,
    ReviewNote,
    review_id,
)
from .reference import LISTS, ReferenceItem, ReferenceLists, load_default_items

__all__ = [
    "ADDRESSED", "INTENTIONS", "LISTS", "RECORD_TYPES", "AssetContact", "AssetLocation",
    "AssetOrganization", "Barrier", "BarrierHeard", "CommunityAsset", "Conversation",
    "Envelope", "GroupsReached", "OutreachActivity", "PersonalDataHit", "Problem", "Record",
    "ReferenceItem", "ReferenceLists", "Review", "ReviewNote", "as_utc", "district_of", "explain", "find_personal_data",
    "is_district", "is_full_postcode", "load_default_items", "nhs_number_is_valid", "review_id",
    "stable_id", "utcnow", "uuid7",
]
