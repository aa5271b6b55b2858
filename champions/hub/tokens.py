"""Invite codes and device tokens: made at random, stored only as SHA-256 hashes.

Invite codes are typed by people from a screen or a sheet of paper, so they are short and use an
alphabet without look-alikes (no 0/O, 1/l/I): 8 characters from 31 symbols, about 40 bits,
shown as XXXX-XXXX. Guessing is throttled (see ``throttle``) and codes expire, so 40 bits is
plenty. Device tokens are 256 random bits; the hub never stores them, only their hash.
"""

from __future__ import annotations

import hashlib
import secrets

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_invite_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(text: str) -> str | None:
    """Accept any case, with or without the dash or spaces; None if it cannot be a code."""
    raw = "".join(ch for ch in text.upper() if ch not in "- \t")
    if len(raw) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return raw


def hash_code(normalised: str) -> str:
    return hashlib.sha256(("invite:" + normalised).encode()).hexdigest()


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(("device:" + token).encode()).hexdigest()
