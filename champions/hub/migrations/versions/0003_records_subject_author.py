"""records: subject_author_id, so a champion pulls the reviews of their own records

A review is written by a coordinator (its author_id) about a champion's record; the champion
must pull it too, and no other champion may. The column holds the reviewed record's author,
set by the hub on push, with an index for the champion's pull. No backfill: no hub held
reviews before this revision.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('records', sa.Column('subject_author_id', sa.String(64), nullable=True))
    op.create_index('ix_records_org_id_subject_author_id_seq', 'records', ['org_id', 'subject_author_id', 'seq'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_records_org_id_subject_author_id_seq', table_name='records')
    with op.batch_alter_table('records') as batch:
        batch.drop_column('subject_author_id')
