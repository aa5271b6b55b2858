"""Errors the hub answers with: an HTTP status, a stable code and a sentence for a person."""

from __future__ import annotations


class HubError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
