"""The hub's tables (SQLAlchemy Core), the single source for the Alembic migrations.

Records are kept twice: ``record_revisions`` holds every accepted (id, rev) under a unique key,
which is what makes pushes idempotent; ``records`` holds each record's current version with the
org's sequence number of its last change, which is what pull pages through. Versions that lost a
conflict go to ``conflicts`` so nothing sent is ever silently dropped.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = sa.String(64)
When = sa.DateTime(timezone=True)

orgs = sa.Table(
    "orgs", metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", When, nullable=False),
    # The org's change counter: bumped under this row's lock, so seq order == commit order.
    sa.Column("last_seq", sa.BigInteger, nullable=False, server_default="0"),
)

people = sa.Table(
    "people", metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("org_id", Id, sa.ForeignKey("orgs.id"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("created_at", When, nullable=False),
    sa.Column("disabled_at", When, nullable=True),
)

devices = sa.Table(
    "devices", metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("org_id", Id, sa.ForeignKey("orgs.id"), nullable=False, index=True),
    sa.Column("person_id", Id, sa.ForeignKey("people.id"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", When, nullable=False),
    sa.Column("enrolled_from", sa.String(100), nullable=True),
    sa.Column("last_push_at", When, nullable=True),
    sa.Column("last_pull_at", When, nullable=True),
    sa.Column("revoked_at", When, nullable=True),
)

invites = sa.Table(
    "invites", metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("org_id", Id, sa.ForeignKey("orgs.id"), nullable=False, index=True),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("person_id", Id, sa.ForeignKey("people.id"), nullable=True),
    sa.Column("person_name", sa.String(200), nullable=False),
    sa.Column("created_by", Id, nullable=True),
    sa.Column("created_at", When, nullable=False),
    sa.Column("expires_at", When, nullable=False),
    sa.Column("used_at", When, nullable=True),
    sa.Column("device_id", Id, nullable=True),
)

enrol_failures = sa.Table(
    "enrol_failures", metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("ip", sa.String(100), nullable=False),
    sa.Column("at", When, nullable=False, index=True),
    sa.Index("ix_enrol_failures_ip_at", "ip", "at"),
)

records = sa.Table(
    "records", metadata,
    sa.Column("org_id", Id, sa.ForeignKey("orgs.id"), primary_key=True),
    sa.Column("id", Id, primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("rev", sa.Integer, nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("author_id", Id, nullable=True),
    sa.Column("device_id", Id, nullable=True, doc="The device that wrote the current version"),
    # A review's champion (the reviewed record's author), who pulls it besides the coordinators.
    sa.Column("subject_author_id", Id, nullable=True),
    # Shared records (reference items, non-proposed assets) go to every device of the org.
    sa.Column("shared", sa.Boolean, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("updated_at", When, nullable=False),
    sa.UniqueConstraint("org_id", "seq"),
    sa.Index("ix_records_org_id_author_id_seq", "org_id", "author_id", "seq"),
    # Each push reads the org's reference lists (kind = 'reference_item') to validate against.
    sa.Index("ix_records_org_id_kind", "org_id", "kind"),
    sa.Index("ix_records_org_id_subject_author_id_seq", "org_id", "subject_author_id", "seq"),
)

record_revisions = sa.Table(
    "record_revisions", metadata,
    sa.Column("pk", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("org_id", Id, sa.ForeignKey("orgs.id"), nullable=False),
    sa.Column("record_id", Id, nullable=False),
    sa.Column("rev", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("device_id", Id, nullable=True),
    sa.Column("person_id", Id, nullable=True),
    sa.Column("batch_id", sa.String(64), nullable=True),
    sa.Column("received_at", When, nullable=False),
    # The idempotency key: a retried or doubled push can never make a second row.
    sa.UniqueConstraint("org_id", "record_id", "rev"),
)

conflicts = sa.Table(
    "conflicts", metadata,
    sa.Column("pk", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("org_id", Id, sa.ForeignKey("orgs.id"), nullable=False),
    sa.Column("record_id", Id, nullable=False),
    sa.Column("rev", sa.Integer, nullable=False),
    sa.Column("base_rev", sa.Integer, nullable=True),
    sa.Column("hub_rev", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("device_id", Id, nullable=True),
    sa.Column("person_id", Id, nullable=True),
    sa.Column("batch_id", sa.String(64), nullable=True),
    sa.Column("received_at", When, nullable=False),
    sa.Column("resolved_at", When, nullable=True),
    sa.UniqueConstraint("org_id", "record_id", "rev", "content_hash"),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("pk", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("at", When, nullable=False),
    sa.Column("org_id", Id, nullable=True, index=True),
    sa.Column("person_id", Id, nullable=True),
    sa.Column("device_id", Id, nullable=True),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("source", sa.String(200), nullable=False, doc="IP address, or 'cli:<user>'"),
    sa.Column("detail", sa.Text, nullable=False, server_default="{}"),
)

settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
