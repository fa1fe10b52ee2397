"""Screening jobs replay the list as it stood on a past day (D1): the job's as_of date.

Jobs created before this revision have no as_of (NULL): they screened against the list of the day they ran.

Revision ID: 963366f928e1
Revises: 3a7c51d0e2b9
Create Date: 2026-11-22 00:25:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '963366f928e1'
down_revision = '3a7c51d0e2b9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('screening_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('as_of', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('screening_jobs', schema=None) as batch_op:
        batch_op.drop_column('as_of')
