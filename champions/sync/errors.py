"""Sync's own exceptions: the only errors that cross from the sync layer into the app.

Every one carries a sentence a champion can act on (``str(exc)``); no ``requests`` or
``urllib3`` exception ever reaches the UI. ``retry_later`` tells the automatic sync whether
trying again in a few minutes can help (an offline laptop) or not (a revoked device).
"""

from __future__ import annotations


HUB_SAYS = " (The hub says: {said})"
"""Appended when the hub gave its own words (its language is the hub's, not the app's)."""


class SyncError(Exception):
    """Base of every sync problem. ``str()`` is the plain-words message, in English.

    ``template`` and ``values`` are kept apart so the UI can translate the sentence
    (``tr(template).format(**values)``; the sync layer has no Qt); ``hub_says`` is the hub's own
    message, shown as it came.
    """

    retry_later: bool = True

    def __init__(self, message: str, *, detail: str = "", values: dict[str, object] | None = None,
                 hub_says: str = "") -> None:
        self.template = message
        self.values = dict(values or {})
        self.hub_says = hub_says
        self.message = render(message, self.values, hub_says)
        super().__init__(self.message)
        self.detail = detail  # technical detail for the log and support, never shown first


def render(template: str, values: dict[str, object], hub_says: str = "", hub_says_template: str = HUB_SAYS) -> str:
    """The sentence with its values filled in (a template without values is used as it is)."""
    text = template.format(**values) if values else template
    return text + (hub_says_template.format(said=hub_says) if hub_says else "")


class HubUnreachable(SyncError):
    """No answer from the hub: offline, wrong address, hub down, timeout."""


class TLSProblem(HubUnreachable):
    """The hub's certificate could not be checked. Never solved by turning checks off."""

    retry_later = False


class NotEnrolled(SyncError):
    """This laptop has no device token (never enrolled, or signed out)."""

    retry_later = False


class DeviceRevoked(SyncError):
    """The hub no longer accepts this laptop. Unsynced work stays and can be exported."""

    retry_later = False


class UpgradeRequired(SyncError):
    """The hub needs a newer Champions. The app keeps working offline."""

    retry_later = False

    def __init__(self, message: str, *, minimum: str = "", **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.minimum = minimum


class EnrolmentRefused(SyncError):
    """The invite code was not accepted (wrong, used, expired, too many attempts)."""

    retry_later = False

    def __init__(self, message: str, *, code: str = "", **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.code = code


class ServerRejected(SyncError):
    """The hub answered with an error for the whole request (4xx/5xx other than the above)."""

    def __init__(self, message: str, *, status: int = 0, code: str = "", **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.status = status
        self.code = code


TLS_EXPLANATION = (
    "Champions could not confirm it is talking to the real hub, because the hub's security "
    "certificate is not trusted on this computer. This often happens on a network whose proxy "
    "inspects secure connections (a TLS-inspecting proxy) with its own certificate. Ask your IT "
    "team for that certificate and put its file in the “CA bundle” setting (ca_bundle). "
    "Champions never turns certificate checks off."
)


class CredentialStoreUnavailable(SyncError):
    """The OS keyring cannot be used, so there is nowhere safe to keep the device token."""

    retry_later = False
