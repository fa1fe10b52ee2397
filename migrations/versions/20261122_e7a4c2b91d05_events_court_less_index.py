"""Index the court-less events by the key that recorded them, so that a court's read of the log (its own events
and the court-less ones its keys recorded, GET /events/) is an index search, not a walk through every later event.

Revision ID: e7a4c2b91d05
Revises: c3f1a7d95e20
Create Date: 2026-11-22 10:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7a4c2b91d05'
down_revision = 'c3f1a7d95e20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_events_court_less_principal_id_seq',
        'events',
        ['principal_id', 'seq'],
        unique=False,
        sqlite_where=sa.text('court_id IS NULL'),
        postgresql_where=sa.text('court_id IS NULL'),
    )


def downgrade():
    op.drop_index('ix_events_court_less_principal_id_seq', table_name='events')
