"""A case fact may carry the court client's reference for the request that recorded it, unique in the case, so
that a request retried after a lost answer (a timeout) is refused instead of recording a second payment.

Revision ID: 5d2c8e61a7f3
Revises: 7b1e4f2a9c60
Create Date: 2026-11-22 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d2c8e61a7f3'
down_revision = '7b1e4f2a9c60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case_facts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_case_facts_case_id', ['case_id', 'request_id'])


def downgrade():
    with op.batch_alter_table('case_facts', schema=None) as batch_op:
        batch_op.drop_constraint('uq_case_facts_case_id', type_='unique')
        batch_op.drop_column('request_id')
