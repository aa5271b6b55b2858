"""records: index (org_id, kind)

Every push reads the organisation's reference lists to validate against them; without this
index that read scanned every record of the organisation, so pushes slowed as it grew.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_records_org_id_kind', 'records', ['org_id', 'kind'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_records_org_id_kind', table_name='records')
