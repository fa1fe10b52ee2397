"""Screening jobs survive a restart: the attempt that owns a job, its heartbeat, and the attempt whose result
file holds the rows committed.

Jobs created before this revision are their first attempt, last heard of when created, and a finished one's
result is the first attempt's file; their submitted rows were never kept, so one still queued or running is
failed when next read (it cannot be resumed).

Revision ID: 7b1e4f2a9c60
Revises: 963366f928e1
Create Date: 2026-11-22 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b1e4f2a9c60'
down_revision = '963366f928e1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('screening_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('result_attempt', sa.Integer(), nullable=True))
    op.execute('UPDATE screening_jobs SET heartbeat_at = created_at, result_attempt = 1')
    with op.batch_alter_table('screening_jobs', schema=None) as batch_op:
        batch_op.alter_column('heartbeat_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('screening_jobs', schema=None) as batch_op:
        batch_op.drop_column('result_attempt')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('attempts')
