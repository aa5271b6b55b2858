"""The envelope every synced record carries (DESIGN.md, Records)."""

from __future__ import annotations

from datetime import datetime, timezone

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .ids import uuid7


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime) -> datetime:
    """Naive times are taken as UTC; everything is stored in UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


class Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(default_factory=uuid7, title="Record id")
    org_id: str | None = Field(None, title="Organisation")
    author_id: str | None = Field(None, title="Author")
    device_id: str | None = Field(None, title="Device")
    created_at: datetime = Field(default_factory=utcnow, title="Created")
    updated_at: datetime = Field(default_factory=utcnow, title="Updated")
    rev: int = Field(0, ge=0, title="Revision")
    deleted: bool = Field(False, title="Deleted")

    @field_validator("created_at", "updated_at", mode="after")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)
