"""``champions-hub``: run the hub and administer it from a shell.

Every command takes ``--data-dir`` (SQLite in that folder) or ``--database-url`` (e.g.
``postgresql+psycopg://user@host/db``); either may also come from CHAMPIONS_HUB_DATA_DIR or
CHAMPIONS_HUB_DATABASE_URL. The database is created and migrated on first use (``backup`` and
``restore`` never create or migrate one: they copy files, see ``champions.hub.backup``).
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic.util.exc import CommandError
from sqlalchemy.engine import Engine

from ..domain import as_utc
from . import accounts, audit
from .db import make_engine, migrate, read, url_for_data_dir, write
from .errors import HubError
from .records import export_lines
from .schema import orgs, settings

DEFAULT_PORT = 8765


def database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return args.database_url
    if os.environ.get("CHAMPIONS_HUB_DATABASE_URL") and not args.data_dir:
        return os.environ["CHAMPIONS_HUB_DATABASE_URL"]
    folder = args.data_dir or os.environ.get("CHAMPIONS_HUB_DATA_DIR")
    if not folder:
        import platformdirs

        folder = platformdirs.user_data_path("champions-hub")
    return url_for_data_dir(folder)


#: Engines a command opened; ``main`` closes their pooled connections when the command ends, so
#: a command run in-process (champions.hub.testing.HubCli) leaves no file open behind it: a
#: ``restore`` afterwards would rightly call the database "open in another program".
_opened: list[Engine] = []


def open_engine(args: argparse.Namespace) -> Engine:
    engine = make_engine(database_url(args))
    _opened.append(engine)
    migrate(engine)
    return engine


def _org(conn: sa.Connection, key: str) -> sa.Row:
    row = accounts.find_org(conn, key)
    if row is None:
        raise HubError(404, "not_found", f"No organisation “{key}”. List them with `champions-hub orgs`.")
    return row


def _public_url(conn: sa.Connection, override: str | None) -> str:
    if override:
        return override.rstrip("/")
    stored = conn.execute(sa.select(settings.c.value).where(settings.c.key == "public_url")).scalar()
    return stored or f"http://<this hub's address>:{DEFAULT_PORT} (set it with `champions-hub init --public-url`)"


def _print_invite(org_name: str, name: str, role: str, code: str, hub: str, expires: object) -> None:
    print(f"Invite for {name} ({role}) in {org_name}")
    print(f"  Code:    {code}")
    print(f"  Hub:     {hub}")
    print(f"  Expires: {as_utc(expires).strftime('%Y-%m-%d %H:%M UTC')}")  # type: ignore[arg-type]
    print("Type the hub address and the code into Champions on the laptop. The code works once.")


def cmd_init(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    if args.public_url:
        with write(engine) as conn:
            conn.execute(settings.delete().where(settings.c.key == "public_url"))
            conn.execute(settings.insert().values(key="public_url", value=args.public_url.rstrip("/")))
    print(f"The hub database is ready: {engine.url.render_as_string(hide_password=True)}")
    return 0


def cmd_create_org(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    with write(engine) as conn:
        org_id = accounts.create_org(conn, args.name, audit.cli_source())
    print(f"Created organisation “{args.name}”: {org_id}")
    return 0


def cmd_orgs(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    with read(engine) as conn:
        for row in conn.execute(sa.select(orgs).order_by(orgs.c.name)):
            print(f"{row.id}  {row.name}")
    return 0


def cmd_add_coordinator(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    role = "admin" if args.admin else "coordinator"
    with write(engine) as conn:
        org = _org(conn, args.org)
        person_id = accounts.add_person(conn, org.id, args.name, role, audit.cli_source())
        code, expires, name = accounts.create_invite(conn, org.id, role=role, person_id=person_id, days=args.days, source=audit.cli_source())
        hub = _public_url(conn, args.hub_url)
    print(f"Added {args.name} as {role}: {person_id}")
    _print_invite(org.name, name, role, code, hub, expires)
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    with write(engine) as conn:
        org = _org(conn, args.org)
        code, expires, name = accounts.create_invite(conn, org.id, role=args.role, name=args.name or "", person_id=args.person,
                                                     days=args.days, source=audit.cli_source())
        hub = _public_url(conn, args.hub_url)
    _print_invite(org.name, name, args.role, code, hub, expires)
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    with read(engine) as conn:
        org_id = _org(conn, args.org).id if args.org else None
        rows = accounts.list_devices(conn, org_id)
    for r in rows:
        if args.json:
            print(json.dumps({"id": r.id, "name": r.name, "org": r.org_name, "person_id": r.person_id, "person": r.person_name,
                              "role": r.role, "created_at": accounts.iso(r.created_at), "last_push_at": accounts.iso(r.last_push_at),
                              "last_pull_at": accounts.iso(r.last_pull_at), "revoked_at": accounts.iso(r.revoked_at)}))
        else:
            state = "REVOKED" if r.revoked_at else "active"
            last = accounts.iso(r.last_push_at) or "never pushed"
            print(f"{r.id}  {state:7}  {r.org_name} / {r.person_name} ({r.role}) / {r.name}  last push: {last}")
    if not rows and not args.json:
        print("No devices enrolled yet.")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    with write(engine) as conn:
        when = accounts.revoke_device(conn, args.device_id, audit.cli_source())
    print(f"Device {args.device_id} revoked at {accounts.iso(when)}; it can no longer sync.")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    with write(engine) as conn:
        accounts.set_person_disabled(conn, args.person_id, not args.enable, audit.cli_source())
    print(f"Person {args.person_id} {'enabled' if args.enable else 'disabled: their devices can no longer sync'}.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    with write(engine) as conn:
        org = _org(conn, args.org)
        audit.record(conn, "export", audit.cli_source(), org_id=org.id, output=args.output or "stdout")
    kinds = args.kind or None
    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    count = 0
    try:
        for line in export_lines(engine, org.id, include_deleted=args.include_deleted, kinds=kinds):
            out.write(line)
            count += 1
    finally:
        if args.output:
            out.close()
    print(f"Exported {count} records of {org.name}.", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .importer import import_file

    report = import_file(open_engine(args), Path(args.file), audit.cli_source())
    print(report.summary())
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from .backup import MANIFEST_SUFFIX, backup

    dest, manifest = backup(database_url(args), Path(args.dest), force=args.force)
    print(f"Backed up the hub database to {dest}")
    print("\n".join(manifest.lines()))
    print(f"Manifest: {dest.name}{MANIFEST_SUFFIX} beside it (keep the two together; restore checks the file against it).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .backup import restore

    done = restore(database_url(args), Path(args.src), force=args.force)
    print(f"Restored {Path(args.src).resolve()} as the hub database {done.target}")
    print("\n".join(done.manifest.lines()[:2]))
    for path in done.kept_aside:
        print(f"The previous file is kept as {path} (delete it once the restored hub is working).")
    if done.seq_advanced:
        print(done.seq_advanced)
    print("Changes laptops sent after the backup was taken are not in it: they are on those laptops, which "
          "count them as sent.")
    if not done.revision_is_newest:
        print("The backup has an older schema: the hub upgrades it by itself when it starts.")
    print("Start the hub again (e.g. `systemctl start champions-hub`). Devices keep their tokens and sync as before.")
    return 0


def cmd_openapi(args: argparse.Namespace) -> int:
    from .app import create_app, openapi_document

    sys.stdout.write(openapi_document(create_app("sqlite://")))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    url = database_url(args)
    engine = make_engine(url)
    migrate(engine)
    common = dict(host=args.host, port=args.port, proxy_headers=True, forwarded_allow_ips=args.forwarded_allow_ips,
                  log_level=args.log_level, timeout_graceful_shutdown=10)
    if "timeout_worker_healthcheck" in inspect.signature(uvicorn.run).parameters:
        # uvicorn kills a worker that misses a 5 s ping; a loaded machine starting workers misses it.
        common["timeout_worker_healthcheck"] = 30
    print(f"Champions hub on http://{args.host}:{args.port} using {engine.url.render_as_string(hide_password=True)}", flush=True)
    with _open_while_serving(url):
        if args.workers > 1:
            os.environ["CHAMPIONS_HUB_DATABASE_URL"] = url
            engine.dispose()
            uvicorn.run("champions.hub.app:create_app_from_env", factory=True, workers=args.workers, **common)  # type: ignore[arg-type]
        else:
            from .app import create_app

            uvicorn.run(create_app(url, engine=engine), **common)  # type: ignore[arg-type]
    return 0


@contextmanager
def _open_while_serving(url: str) -> Iterator[None]:
    """Keep one SQLite connection open for the hub's whole life, so ``restore`` sees it is running.

    Workers open theirs only on their first request; this one holds SQLite's shared lock from the
    start, across platforms, and never takes part in a transaction.
    """
    from .backup import sqlite_path

    path = sqlite_path(url) if url.startswith("sqlite") and url not in ("sqlite://", "sqlite:///:memory:") else None
    if path is None:
        yield
        return
    conn = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        yield
    finally:
        conn.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="champions-hub", description="Run and administer the Champions hub.")
    db = argparse.ArgumentParser(add_help=False)
    where = db.add_mutually_exclusive_group()
    where.add_argument("--data-dir", help="folder for the SQLite database (default: the user data folder)")
    where.add_argument("--database-url", help="SQLAlchemy URL, e.g. postgresql+psycopg://champions@dbhost/champions")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("serve", parents=[db], help="run the hub (creates and migrates the database first)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for every interface)")
    s.add_argument("--port", type=int, default=DEFAULT_PORT)
    s.add_argument("--workers", type=int, default=1, help="worker processes (SQLite: 2 suit one organisation; PostgreSQL for more)")
    s.add_argument("--forwarded-allow-ips", default=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
                   help="reverse proxies whose X-Forwarded-For is trusted for the client address")
    s.add_argument("--log-level", default="info")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("init", parents=[db], help="create or migrate the database")
    s.add_argument("--public-url", help="the address devices use to reach the hub, printed with invites")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("create-org", parents=[db], help="add an organisation (with the default reference lists)")
    s.add_argument("name")
    s.set_defaults(func=cmd_create_org)

    s = sub.add_parser("orgs", parents=[db], help="list organisations")
    s.set_defaults(func=cmd_orgs)

    def invite_options(s: argparse.ArgumentParser) -> None:
        s.add_argument("--org", required=True, help="organisation id or name")
        s.add_argument("--days", type=int, default=7, help="days before the code expires (default 7)")
        s.add_argument("--hub-url", help="hub address to print (default: the one given to init --public-url)")

    s = sub.add_parser("add-coordinator", parents=[db], help="add a coordinator and print an invite code for their laptop")
    s.add_argument("--name", required=True)
    s.add_argument("--admin", action="store_true", help="make them an admin rather than a coordinator")
    invite_options(s)
    s.set_defaults(func=cmd_add_coordinator)

    s = sub.add_parser("invite", parents=[db], help="print a one-time invite code for a new person or device")
    who = s.add_mutually_exclusive_group(required=True)
    who.add_argument("--name", help="name of the new person")
    who.add_argument("--person", help="id of an existing person getting a new device")
    s.add_argument("--role", choices=("champion", "coordinator"), default="champion")
    invite_options(s)
    s.set_defaults(func=cmd_invite)

    s = sub.add_parser("devices", parents=[db], help="list enrolled devices")
    s.add_argument("--org", help="only this organisation (id or name)")
    s.add_argument("--json", action="store_true", help="one JSON object per line")
    s.set_defaults(func=cmd_devices)

    s = sub.add_parser("revoke", parents=[db], help="stop a device from syncing (a lost laptop)")
    s.add_argument("device_id")
    s.set_defaults(func=cmd_revoke)

    s = sub.add_parser("disable-person", parents=[db], help="stop all of a person's devices from syncing")
    s.add_argument("person_id")
    s.add_argument("--enable", action="store_true", help="undo: let them sync again")
    s.set_defaults(func=cmd_disable)

    s = sub.add_parser("export", parents=[db], help="write an organisation's records as JSON Lines")
    s.add_argument("--org", required=True, help="organisation id or name")
    s.add_argument("--output", "-o", help="file to write (default: standard output)")
    s.add_argument("--kind", action="append", help="only this kind of record (repeatable)")
    s.add_argument("--include-deleted", action="store_true", help="include deleted records (tombstones)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("import", parents=[db], help="take in a device's “Export for my coordinator” file (safe to repeat)")
    s.add_argument("file", help="the .zip file the app wrote")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("backup", parents=[db], help="copy the SQLite database while the hub runs (PostgreSQL: explains pg_dump)")
    s.add_argument("dest", help="file to write, or an existing folder to put a dated file in")
    s.add_argument("--force", action="store_true", help="replace the file if it already exists")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", parents=[db], help="put a backup in place of the database (stop the hub first)")
    s.add_argument("src", help="a file written by `champions-hub backup`")
    s.add_argument("--force", action="store_true",
                   help="replace an existing database (it is kept aside, renamed); never while a hub has it open")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("openapi", help="print the OpenAPI document of the hub's API")
    s.set_defaults(func=cmd_openapi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except HubError as error:
        print(f"champions-hub: {error.message}", file=sys.stderr)
        return 2
    except sa.exc.OperationalError as error:
        print(f"champions-hub: cannot use the database: {error.orig}", file=sys.stderr)
        return 3
    except CommandError as error:  # alembic: most often a database upgraded by a newer hub
        print(f"champions-hub: cannot bring the database's schema up to date ({error}). If a newer version of "
              f"champions-hub has already upgraded it, this older one cannot use it: install that version or newer, "
              f"or restore a backup made before the upgrade.", file=sys.stderr)
        return 3
    finally:
        while _opened:
            _opened.pop().dispose()


if __name__ == "__main__":
    raise SystemExit(main())
