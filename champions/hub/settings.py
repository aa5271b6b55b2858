"""Tunable limits of a running hub; defaults suit one organisation, all overridable for tests."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass(frozen=True)
class HubSettings:
    # Guessing invite codes: failures per client IP, and in total, within the window.
    enrol_ip_limit: int = field(default_factory=lambda: _env_int("CHAMPIONS_HUB_ENROL_IP_LIMIT", 10))
    enrol_global_limit: int = field(default_factory=lambda: _env_int("CHAMPIONS_HUB_ENROL_GLOBAL_LIMIT", 100))
    enrol_window: timedelta = field(default_factory=lambda: timedelta(seconds=_env_int("CHAMPIONS_HUB_ENROL_WINDOW", 900)))
    invite_days: int = 7
