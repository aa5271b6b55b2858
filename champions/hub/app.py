"""The hub's HTTP API (protocol v1, see ``champions.sync.protocol``), as a FastAPI app.

No state that matters lives in the process: every request resolves its device from the
database, throttling counts live in the database, so any number of workers can serve one
database. Database work is blocking and runs in FastAPI's thread pool.
"""

import json
import logging
import os
from collections.abc import Iterator
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..sync import protocol as p
from . import accounts, audit, records
from .accounts import Auth
from .bodies import describe, parse_json, parse_push, read_json
from .db import make_engine, read, write
from .errors import HubError
from .schema import people, settings as settings_table
from .settings import HubSettings

log = logging.getLogger("champions.hub")

SMALL_BODY_LIMIT = 64 * 1024
"""Largest body for anything but a push (enrol, invites): they are a few hundred bytes."""

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": p.ErrorBody, "description": text} for status, text in (
        (400, "Bad request"), (401, "Not signed in, unknown token, or device revoked"), (403, "Not allowed for this role"),
        (413, "Body too large"), (422, "Invalid request"), (426, "Client protocol too old"),
    )
}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(p.ErrorBody(code=code, message=message).model_dump(), status_code=status, headers=headers)


class BodyLimit:
    """Bodies of everything but a push (enrol, invites) are a few hundred bytes: read them here,
    refusing more than ``SMALL_BODY_LIMIT`` with 413 whether or not a Content-Length says so
    (a chunked body is counted as it arrives), and refusing a body that is not UTF-8 JSON with
    400, with the same parser and words as a push. The app then gets the body as one message.
    A push reads and limits its own body (``bodies.read_json``), as it streams up to 5 MB.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") == "/v1/push":
            await self.app(scope, receive, send)
            return
        too_large = _error(413, p.ERR_BATCH_TOO_LARGE, "The request is too large for this address.")
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > SMALL_BODY_LIMIT:
                await too_large(scope, receive, send)
                return
        chunks: list[bytes] = []
        size = 0
        early: Message | None = None  # a disconnect before the body was complete
        while True:
            message = await receive()
            if message["type"] != "http.request":
                early = message
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > SMALL_BODY_LIMIT:
                await too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body and early is None and scope.get("method") == "POST":
            try:
                parse_json(body)
            except HubError as error:
                await _error(error.status, error.code, error.message)(scope, receive, send)
                return
        pending: list[Message] = [early or {"type": "http.request", "body": body, "more_body": False}]

        async def replay() -> Message:
            return pending.pop() if pending else await receive()

        await self.app(scope, replay, send)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def client_app(request: Request) -> str:
    """The ``Champions-Client`` header (app name and version), for the audit log; cut short and
    stripped of control characters, since anyone can send anything in it."""
    value = request.headers.get(p.CLIENT_HEADER, "")
    return "".join(ch for ch in value[:100] if ch.isprintable())


def check_protocol(request: Request) -> None:
    """426 for clients older than the hub serves; a missing header is taken as the current version."""
    value = request.headers.get(p.PROTOCOL_HEADER)
    if value is None:
        return
    try:
        version = int(value.strip())
    except ValueError:
        raise HubError(400, p.ERR_BAD_REQUEST, f"The {p.PROTOCOL_HEADER} header must be a whole number, like {p.PROTOCOL_VERSION}.") from None
    if version < p.MIN_PROTOCOL_VERSION:
        raise HubError(426, p.ERR_UPGRADE_REQUIRED,
                       f"This version of Champions is too old for the hub. Please install the latest version "
                       f"(the hub needs protocol {p.MIN_PROTOCOL_VERSION} or newer; this app speaks {version}).",
                       {"Upgrade": f"Champions-Protocol/{p.MIN_PROTOCOL_VERSION}"})


def current(request: Request) -> Auth:
    """The signed-in device, looked up afresh on every request (so a revocation bites at once)."""
    with read(request.app.state.engine) as conn:
        return accounts.authenticate(conn, request.headers.get("authorization"))


def coordinator(auth: Annotated[Auth, Depends(current)]) -> Auth:
    if not auth.is_coordinator:
        raise HubError(403, p.ERR_FORBIDDEN, "Only a coordinator or admin can do this.")
    return auth


Me = Annotated[Auth, Depends(current)]
Coordinator = Annotated[Auth, Depends(coordinator)]


def create_app(database_url: str, hub_settings: HubSettings | None = None, engine: Engine | None = None) -> FastAPI:
    engine = engine or make_engine(database_url)
    config = hub_settings or HubSettings()
    app = FastAPI(
        title="Champions hub", version=f"{p.PROTOCOL_VERSION}",
        summary="Central endpoint the Champions app syncs to (protocol v1).",
        docs_url="/docs", redoc_url=None, openapi_url="/openapi.json",
    )
    app.state.engine = engine
    app.add_middleware(BodyLimit)  # type: ignore[arg-type]

    @app.exception_handler(HubError)
    async def _hub_error(_request: Request, exc: HubError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return _error(400, p.ERR_BAD_REQUEST, "The request body is not valid JSON.")
        return _error(422, p.ERR_INVALID_REQUEST, describe(errors))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = p.ERR_NOT_FOUND if exc.status_code == 404 else p.ERR_BAD_REQUEST
        text = "There is nothing at this address." if exc.status_code == 404 else str(exc.detail)
        return _error(exc.status_code, code, text, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error(500, p.ERR_INTERNAL, "Something went wrong on the hub. Your data is safe on your device; try again later.")

    @app.get("/v1/health", response_model=p.Health, responses={503: {"model": p.ErrorBody}})
    def health() -> p.Health:
        """Whether the hub and its database answer, and which protocols it serves. No sign-in needed."""
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError:
            raise HubError(503, "database_unavailable", "The hub cannot reach its database right now. Try again in a few minutes.") from None
        return p.Health(database="postgresql" if engine.dialect.name == "postgresql" else "sqlite")

    v1 = APIRouter(prefix="/v1", dependencies=[Depends(check_protocol)], responses=ERRORS)

    @v1.post("/enrol", response_model=p.EnrolResponse, responses={429: {"model": p.ErrorBody, "description": "Too many wrong codes"}})
    def enrol(body: p.EnrolRequest, request: Request) -> p.EnrolResponse:
        """Exchange a one-time invite code for this device's id and token."""
        return accounts.enrol(engine, body, client_ip(request), config, client=client_app(request))

    @v1.get("/me", response_model=p.MeResponse)
    def me(auth: Me) -> p.MeResponse:
        """Who this device is signed in as."""
        return p.MeResponse(device_id=auth.device_id, device_name=auth.device_name, person=auth.person(), org=auth.org())

    @v1.post("/push", response_model=p.PushResponse, openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushRequest"}}}},
    })
    async def push(request: Request, auth: Me) -> p.PushResponse:
        """Send a batch of changes; each gets its own answer. Body may be gzip (Content-Encoding: gzip)."""
        data = await read_json(request, p.MAX_BATCH_BYTES)
        batch_id, changes = parse_push(data)
        return await run_in_threadpool(records.push, engine, auth, batch_id, changes, client_ip(request), client_app(request))

    @v1.get("/pull", response_model=p.PullResponse)
    def pull(auth: Me, since: Annotated[int, Query(ge=0, le=2**62)] = 0,
             limit: Annotated[int, Query(ge=1, le=p.PULL_MAX_LIMIT)] = p.PULL_DEFAULT_LIMIT) -> p.PullResponse:
        """What this device may see that changed after the cursor, oldest first."""
        return records.pull(engine, auth, since, limit)

    @v1.get("/admin/devices", response_model=p.DevicesResponse)
    def admin_devices(auth: Coordinator) -> p.DevicesResponse:
        """Every device of the organisation, with its person and last sync times."""
        with read(engine) as conn:
            rows = accounts.list_devices(conn, auth.org_id)
        return p.DevicesResponse(devices=[p.DeviceInfo(
            id=r.id, name=r.name, person=p.PersonInfo(id=r.person_id, name=r.person_name, role=r.role),
            created_at=accounts.iso(r.created_at) or "", last_push_at=accounts.iso(r.last_push_at),
            last_pull_at=accounts.iso(r.last_pull_at), revoked_at=accounts.iso(r.revoked_at),
        ) for r in rows])

    @v1.get("/admin/people", response_model=p.PeopleResponse)
    def admin_people(auth: Coordinator) -> p.PeopleResponse:
        """Everyone in the organisation, with whether they are disabled (``champions-hub disable-person``)."""
        with read(engine) as conn:
            rows = conn.execute(sa.select(people).where(people.c.org_id == auth.org_id).order_by(people.c.name)).all()
        return p.PeopleResponse(people=[p.PersonListed(id=r.id, name=r.name, role=r.role, disabled=r.disabled_at is not None)
                                        for r in rows])

    @v1.post("/admin/invites", response_model=p.InviteResponse, responses={404: {"model": p.ErrorBody}})
    def admin_invite(body: p.InviteRequest, request: Request, auth: Coordinator) -> p.InviteResponse:
        """Make a one-time invite code for a new champion or coordinator, or a new device of a person."""
        with write(engine) as conn:
            code, expires, name = accounts.create_invite(
                conn, auth.org_id, role=body.role, name=body.name, person_id=body.person_id, days=body.days,
                created_by=auth.person_id, source=client_ip(request))
            hub_url = public_url(conn) or str(request.base_url).rstrip("/")
            role = conn.execute(sa.select(people.c.role).where(people.c.id == body.person_id)).scalar() if body.person_id else body.role
            assert role is not None
        return p.InviteResponse(code=code, expires_at=accounts.iso(expires) or "", role=role, person_name=name, hub_url=hub_url)

    @v1.post("/admin/devices/{device_id}/revoke", response_model=p.RevokeResponse, responses={404: {"model": p.ErrorBody}})
    def admin_revoke(device_id: Annotated[str, Path(max_length=64, pattern=p.NO_CONTROL)], request: Request, auth: Coordinator) -> p.RevokeResponse:
        """Stop a device from syncing (a lost laptop); its person can be invited again on a new one."""
        with write(engine) as conn:
            when = accounts.revoke_device(conn, device_id, client_ip(request), org_id=auth.org_id, by=auth.person_id)
        return p.RevokeResponse(device_id=device_id, revoked_at=accounts.iso(when) or "")

    @v1.get("/admin/export", response_class=StreamingResponse,
            responses={200: {"content": {"application/x-ndjson": {}}, "description": "One record per line"}})
    def admin_export(request: Request, auth: Coordinator, include_deleted: bool = False) -> StreamingResponse:
        """Every current record of the organisation as JSON Lines, streamed."""
        with write(engine) as conn:
            audit.record(conn, "export", client_ip(request), org_id=auth.org_id, person_id=auth.person_id,
                         device_id=auth.device_id, include_deleted=include_deleted)
        lines: Iterator[str] = records.export_lines(engine, auth.org_id, include_deleted=include_deleted)
        return StreamingResponse(lines, media_type="application/x-ndjson")

    app.include_router(v1)
    _document_push_body(app)
    return app


def public_url(conn: sa.Connection) -> str | None:
    return conn.execute(sa.select(settings_table.c.value).where(settings_table.c.key == "public_url")).scalar()


def _document_push_body(app: FastAPI) -> None:
    """The push body is read by hand (size limit, gzip); put its schema in the OpenAPI document."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        extra = p.PushRequest.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in extra.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components["PushRequest"] = extra
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def openapi_document(app: FastAPI) -> str:
    return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` workers: the database comes from CHAMPIONS_HUB_DATABASE_URL."""
    url = os.environ.get("CHAMPIONS_HUB_DATABASE_URL")
    if not url:
        raise SystemExit("Set CHAMPIONS_HUB_DATABASE_URL, or start the hub with `champions-hub serve`.")
    return create_app(url)
