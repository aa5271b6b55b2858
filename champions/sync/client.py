"""The HTTP client that talks protocol v1 to the hub.

Why it is shaped like this:
- TLS trusts the operating system's store (``truststore``), so a corporate network that inspects
  TLS with its own CA works like the browser does; IT can add a CA bundle. There is no switch to
  turn certificate checks off, on purpose.
- Every call has a timeout; calls that are safe to repeat (GET, and ``POST /v1/push``, which the
  hub applies idempotently by (id, rev)) are retried with exponential backoff and jitter by
  urllib3's ``Retry``, honouring ``Retry-After``. Enrolment is never retried: a code is single use.
- Large push bodies are gzipped.
- Whatever goes wrong comes out as one of ``champions.sync.errors``; nothing from requests or
  urllib3 leaks to the caller.
"""

from __future__ import annotations

import gzip
import json
import logging
import ssl
from pathlib import Path
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, get_args
from urllib.parse import quote, urlsplit

import requests
import truststore
import urllib3
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from champions import __version__

from . import protocol as p
from .errors import (
    TLS_EXPLANATION,
    DeviceRevoked,
    EnrolmentRefused,
    HubUnreachable,
    NotEnrolled,
    ServerRejected,
    SyncError,
    TLSProblem,
    UpgradeRequired,
)

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

DEFAULT_TIMEOUT = (10.0, 60.0)
"""(connect, read) seconds: long enough for a slow mobile link, short enough to notice it is gone."""
GZIP_OVER = 32 * 1024
"""Push bodies larger than this many bytes are sent gzipped."""
RETRY_STATUSES = (429, 500, 502, 503, 504)
INVITE_REFUSED = {
    p.ERR_INVALID_CODE: "That invite code is not right. Check it and try again.",
    p.ERR_CODE_USED: "That invite code has already been used. Ask your coordinator for a new one.",
    p.ERR_CODE_EXPIRED: "That invite code has expired. Ask your coordinator for a new one.",
    p.ERR_TOO_MANY_ATTEMPTS: "Too many wrong codes were tried. Wait a few minutes, then try again.",
}
"""Our words for a refused invite code, when the hub gave none of its own."""
BAD_CA_BUNDLE = "The CA bundle {path} could not be read as certificates. " + TLS_EXPLANATION
_KINDS = frozenset(get_args(p.RecordKind))
_PAGE_KEYS = frozenset(p.PullResponse.model_fields)
_PULLED_KEYS = frozenset(p.PulledRecord.model_fields)


def make_retry(total: int = 4, backoff: float = 0.5, *, methods: frozenset[str]) -> Retry:
    """Exponential backoff with jitter; the last answer is returned, not raised, so we can map it."""
    return Retry(
        total=total,
        connect=total,
        read=total,
        status=total,
        other=0,
        allowed_methods=methods,
        status_forcelist=RETRY_STATUSES,
        backoff_factor=backoff,
        backoff_jitter=backoff,
        backoff_max=15.0,
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )


def ssl_context(ca_bundle: Path | str | None = None) -> ssl.SSLContext:
    """The OS trust store, plus the IT-provided CA bundle when there is one. Always verifying."""
    ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_bundle:
        ctx.load_verify_locations(cafile=str(ca_bundle))
    return ctx


class _TrustStoreAdapter(HTTPAdapter):
    """An adapter whose every pool (direct or through a proxy) uses our verifying SSL context."""

    def __init__(self, context: ssl.SSLContext, **kwargs: Any) -> None:
        self._context = context
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = self._context
        return super().proxy_manager_for(proxy, **kwargs)

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        # Trust comes from the context (OS store + CA bundle) only, never from certifi or
        # REQUESTS_CA_BUNDLE, and verification is required whatever ``verify`` says.
        if url.lower().startswith("https"):
            conn.cert_reqs = "CERT_REQUIRED"
            conn.ca_certs = None
            conn.ca_cert_dir = None


def normalise_hub_url(url: str) -> str:
    """``hub.example.org`` -> ``https://hub.example.org``; no trailing slash."""
    url = (url or "").strip()
    if not url:
        raise HubUnreachable("Enter the hub address your coordinator gave you (it starts with https://).")
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HubUnreachable("“{url}” is not a web address. It should look like https://hub.example.org.",
                             values={"url": url})
    return url.rstrip("/")


class HubClient:
    """One hub, one device token (or none, to enrol). Not thread-safe: one per thread."""

    def __init__(
        self,
        hub_url: str,
        token: str | None = None,
        *,
        ca_bundle: Path | str | None = None,
        proxy: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retries: int = 4,
        backoff: float = 0.5,
        protocol_version: int = p.PROTOCOL_VERSION,
    ) -> None:
        self.hub_url = normalise_hub_url(hub_url)
        self.token = token
        self.timeout = timeout
        try:
            context = ssl_context(ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise TLSProblem(BAD_CA_BUNDLE, values={"path": str(ca_bundle)}, detail=repr(exc)) from None
        session = requests.Session()
        session.trust_env = False  # no netrc, no REQUESTS_CA_BUNDLE; proxies handled below
        if proxy:
            session.proxies = {"http": proxy, "https": proxy}
        else:
            session.proxies = requests.utils.get_environ_proxies(self.hub_url)
        session.headers.update(
            {
                p.PROTOCOL_HEADER: str(protocol_version),
                p.CLIENT_HEADER: f"champions/{__version__}",
                "Accept": "application/json",
            }
        )
        safe = _TrustStoreAdapter(context, max_retries=make_retry(retries, backoff, methods=frozenset({"GET"})))
        push = _TrustStoreAdapter(
            context, max_retries=make_retry(retries, backoff, methods=frozenset({"GET", "POST"}))
        )
        once = _TrustStoreAdapter(context, max_retries=Retry(0, read=False, redirect=False, raise_on_status=False))
        for scheme in ("http://", "https://"):
            session.mount(scheme, safe)
        # requests picks the longest matching prefix: push may be repeated, enrol may not.
        session.mount(self.hub_url + "/v1/push", push)
        session.mount(self.hub_url + "/v1/enrol", once)
        self.session = session

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "HubClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the protocol -----------------------------------------------------------------

    def health(self) -> p.Health:
        return self._call("GET", "/v1/health", p.Health, auth=False)

    def enrol(self, code: str, device_name: str = "") -> p.EnrolResponse:
        body = p.EnrolRequest(code=code.strip() or "-", device_name=device_name[:200], client_version=__version__)
        return self._call("POST", "/v1/enrol", p.EnrolResponse, json_body=body.model_dump(mode="json"), auth=False)

    def me(self) -> p.MeResponse:
        return self._call("GET", "/v1/me", p.MeResponse)

    def push(self, request: p.PushRequest) -> p.PushResponse:
        return self._call("POST", "/v1/push", p.PushResponse, raw_body=request.model_dump_json().encode("utf-8"))

    def push_body(self, body: bytes) -> p.PushResponse:
        """Push an already serialised PushRequest (the engine builds it from the saved JSON texts)."""
        return self._call("POST", "/v1/push", p.PushResponse, raw_body=body)

    def pull(self, since: int, limit: int = p.PULL_DEFAULT_LIMIT) -> p.PullResponse:
        return self._call("GET", "/v1/pull", p.PullResponse, params={"since": since, "limit": limit}, parse=read_pull_page)

    # -- the coordinator's calls (role coordinator or admin; a champion's token gets ServerRejected 403) --

    def devices(self) -> p.DevicesResponse:
        """Every device of the organisation, with its person and last push and pull."""
        return self._call("GET", "/v1/admin/devices", p.DevicesResponse)

    def people(self) -> p.PeopleResponse:
        """Everyone in the organisation who has enrolled a device."""
        return self._call("GET", "/v1/admin/people", p.PeopleResponse)

    def invite(self, role: str = "champion", name: str = "", *, person_id: str | None = None,
               days: int = 7) -> p.InviteResponse:
        """A one-time code for a new person (by name), or for a new device of ``person_id``.

        Sent once, never retried by us: a repeat would make a second code (the GET-only retry
        adapter already leaves this POST alone).
        """
        name = "".join(ch for ch in name if ch.isprintable()).strip()[:200]  # the hub's rule: no control characters
        body = p.InviteRequest(name=name, role=role, person_id=person_id or None,  # type: ignore[arg-type]
                               days=days)
        return self._call("POST", "/v1/admin/invites", p.InviteResponse, json_body=body.model_dump(mode="json"))

    def revoke(self, device_id: str) -> p.RevokeResponse:
        """Stop a device from syncing; revoking one already revoked answers its first revocation."""
        path = "/v1/admin/devices/" + quote(device_id, safe="") + "/revoke"
        return self._call("POST", path, p.RevokeResponse)

    # -- plumbing -----------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        json_body: Any = None,
        raw_body: bytes | None = None,
        params: dict[str, Any] | None = None,
        auth: bool = True,
        parse: Callable[[bytes], M] | None = None,
    ) -> M:
        headers: dict[str, str] = {}
        if auth:
            if not self.token:
                raise NotEnrolled("This laptop is not connected to a hub yet. Enrol with the invite code from your coordinator.")
            headers["Authorization"] = f"Bearer {self.token}"
        data = raw_body
        if json_body is not None:
            data = json.dumps(json_body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        if data is not None:
            headers["Content-Type"] = "application/json"
            if len(data) > GZIP_OVER:
                data = gzip.compress(data, compresslevel=1)  # fast: most of the gain, little CPU
                headers["Content-Encoding"] = "gzip"
        url = self.hub_url + path
        try:
            response = self.session.request(
                method, url, data=data, params=params, headers=headers, timeout=self.timeout, allow_redirects=False
            )
            content = response.content  # read fully here, so a reset mid-body is caught here
        except requests.exceptions.SSLError as exc:
            raise TLSProblem(TLS_EXPLANATION, detail=_scrub(exc)) from None
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema) as exc:
            raise HubUnreachable(
                "“{url}” is not a web address Champions can use. Check the hub address.",
                values={"url": self.hub_url}, detail=_scrub(exc),
            ) from None
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            if _looks_like_tls(exc):
                raise TLSProblem(TLS_EXPLANATION, detail=_scrub(exc)) from None
            if _timed_out(exc):  # also after the retries: then requests says ConnectionError(MaxRetryError(timeout))
                raise HubUnreachable(
                    "The hub did not answer in time. The connection may be slow or down; Champions will try again.",
                    detail=_scrub(exc),
                ) from None
            raise HubUnreachable(
                "Champions cannot reach the hub right now (no connection, or the hub is down). "
                "Your work is saved on this laptop and will be sent when the hub can be reached.",
                detail=_scrub(exc),
            ) from None
        if 200 <= response.status_code < 300:
            try:
                return (parse or model.model_validate_json)(content)
            except ValidationError as exc:
                raise ServerRejected(
                    "The hub sent an answer Champions does not understand. Tell your coordinator; "
                    "the hub may need updating.",
                    status=response.status_code,
                    detail=str(exc)[:500],
                ) from None
        raise _error_for(response.status_code, content, response.headers.get("Retry-After"))




def read_pull_page(content: bytes) -> p.PullResponse:
    """A pull page, read about twice as fast as ``PullResponse.model_validate_json``.

    A page holds up to 1,000 whole records, and after a big push most of them are our own
    records coming back, so parsing is most of the client's pull time (holding the GIL the GUI
    thread needs). ``json.loads`` and a check of each entry's shape give the same models, built
    without a second validation pass; anything unusual goes through the full model, so a
    malformed answer fails exactly as before.
    """
    try:
        data = json.loads(content)
        if type(data) is dict and data.keys() == _PAGE_KEYS and type(data["changes"]) is list \
                and type(data["next_cursor"]) is int and type(data["has_more"]) is bool:
            pulled = []
            for c in data["changes"]:
                if not (type(c) is dict and c.keys() == _PULLED_KEYS and type(c["record"]) is dict
                        and type(c["seq"]) is int and type(c["rev"]) is int and type(c["id"]) is str
                        and c["kind"] in _KINDS):
                    break
                pulled.append(p.PulledRecord.model_construct(**c))
            else:
                return p.PullResponse.model_construct(
                    changes=pulled, next_cursor=data["next_cursor"], has_more=data["has_more"])
    except ValueError:
        pass
    return p.PullResponse.model_validate_json(content)


def _scrub(exc: BaseException) -> str:
    """Technical detail for the log; request objects never carry the token into the text."""
    return f"{type(exc).__name__}: {exc}"[:500]


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The error and every error behind it: causes, contexts, urllib3's ``reason`` and wrapped ``args``."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        todo += [getattr(item, "reason", None), item.__cause__, item.__context__, *getattr(item, "args", ())]


def _timed_out(exc: BaseException) -> bool:
    """A timeout, however wrapped: requests' Timeout, or urllib3's inside a MaxRetryError once retries ran out."""
    for item in _chain(exc):
        if isinstance(item, urllib3.exceptions.NewConnectionError):
            return False  # a refused or failed connection (urllib3 makes it a ConnectTimeoutError subclass)
        if isinstance(item, (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)):
            return True
    return False


def _looks_like_tls(exc: BaseException) -> bool:
    return any(isinstance(item, (ssl.SSLError, urllib3.exceptions.SSLError, ssl.CertificateError)) for item in _chain(exc))


def _error_for(status: int, content: bytes, retry_after: str | None) -> SyncError:
    """Turn a hub error answer into our exception, keeping the hub's plain message."""
    code, hub_message = "", ""
    try:
        body = p.ErrorBody.model_validate_json(content)
        code, hub_message = body.code, body.message
    except ValidationError:
        try:
            detail = json.loads(content).get("detail")  # a bare FastAPI error
            hub_message = detail if isinstance(detail, str) else ""
        except (ValueError, AttributeError):
            pass
    detail = f"HTTP {status} {code}".strip()
    if 300 <= status < 400:  # a captive portal (hotel, library Wi-Fi) or a mistyped address
        return HubUnreachable(
            "The network sent Champions to a different page instead of the hub. On a public or guest Wi-Fi, "
            "open a web browser and sign in to the network first; otherwise check the hub address. "
            "Your work is saved on this laptop.",
            detail=detail,
        )
    if status == 426 or code == p.ERR_UPGRADE_REQUIRED:
        return UpgradeRequired(
            "This version of Champions is too old for your hub. Your work stays saved on this laptop "
            "and you can keep working offline; ask your IT team to install the new version, then it will sync.",
            hub_says=hub_message, detail=detail,
        )
    if code == p.ERR_DEVICE_REVOKED:
        return DeviceRevoked(
            "This laptop can no longer sync: your coordinator has switched off its access to the hub. "
            "Nothing is lost: your unsynced records stay on this laptop. Use “Export for my coordinator” "
            "to give them to your coordinator as a file.",
            hub_says=hub_message, detail=detail,
        )
    if status == 401:
        return NotEnrolled(
            "The hub does not recognise this laptop any more. Ask your coordinator for a new invite code "
            "and enrol again; your records stay on this laptop.",
            detail=detail,
        )
    if code in INVITE_REFUSED:
        return EnrolmentRefused(hub_message or INVITE_REFUSED[code], code=code, detail=detail)
    if status == 413:
        return ServerRejected(
            "The hub refused a batch as too large. Champions will send smaller batches.",
            status=status, code=code or p.ERR_BATCH_TOO_LARGE, detail=detail,
        )
    if status == 429 or status >= 500:
        if retry_after:
            return ServerRejected(
                "The hub is busy or had a problem (error {status}). Champions will try again later. "
                "It asked to wait {seconds} seconds.",
                values={"status": status, "seconds": retry_after}, status=status, code=code, detail=detail,
            )
        return ServerRejected(
            "The hub is busy or had a problem (error {status}). Champions will try again later.",
            values={"status": status}, status=status, code=code, detail=detail,
        )
    if hub_message:
        return ServerRejected(hub_message, status=status, code=code, detail=detail)
    return ServerRejected("The hub refused the request (error {status}).", values={"status": status},
                          status=status, code=code, detail=detail)
