"""Record ids: UUIDv7, made on the device, sortable by creation time, the sync idempotency key."""

from __future__ import annotations

import os
import time
import uuid

_NAMESPACE = uuid.UUID("5b3f0a52-8a53-4d7e-9c1a-0c3b7e1c2a11")


def uuid7() -> str:
    """RFC 9562 version 7: 48-bit Unix milliseconds, then 74 random bits."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def stable_id(*parts: str) -> str:
    """A deterministic id for shipped reference items, so every device and hub agree on it."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))
