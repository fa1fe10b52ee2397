"""Restriction orders keep their written justification and the refusals it overrode.

2019 Opinion §16(a) (the applicant's request to hold off measures) and §16(c) (campus loans) refuse an order
unless the court gives written reasons; the reasons are stored and counted, as they are on listings. Orders
issued before this revision did not keep their reasons: their justification stays empty, but an order issued
directly on a campus-loan case can only have been issued over that refusal, so it is marked as such.

Revision ID: 3a7c51d0e2b9
Revises: b0248248c34a
Create Date: 2026-11-22 09:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3a7c51d0e2b9'
down_revision = 'b0248248c34a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('restrictions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('justification', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('overrides', sa.JSON(), server_default='[]', nullable=False))
    op.execute(
        """UPDATE restrictions SET overrides = '["campus_loan_with_justification"]'
        WHERE listing_id IS NULL AND case_id IN (SELECT id FROM cases WHERE campus_loan)"""
    )


def downgrade():
    with op.batch_alter_table('restrictions', schema=None) as batch_op:
        batch_op.drop_column('overrides')
        batch_op.drop_column('justification')
