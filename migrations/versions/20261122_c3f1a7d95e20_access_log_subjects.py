"""The access log's subjects in an indexed table of their own, so "who looked up subject X" (GET /access-log)
is an index lookup on SQLite and PostgreSQL alike, not a scan of every row's JSON list.

Existing rows' JSON lists are moved into the table (each subject once) and the column is dropped; an id that
matches no subject (none should exist: subjects are never deleted) cannot be kept under the foreign key.
Downgrading rebuilds the lists, sorted, from the table.

Revision ID: c3f1a7d95e20
Revises: 5d2c8e61a7f3
Create Date: 2026-11-22 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f1a7d95e20'
down_revision = '5d2c8e61a7f3'
branch_labels = None
depends_on = None

# Each lookup's subjects, one per element of its JSON list, as SQL of each backend.
ELEMENTS = {
    'sqlite': """SELECT a.id AS access_log_id, CAST(j.value AS INTEGER) AS subject_id
        FROM access_log a, json_each(a.subject_ids) j""",
    'postgresql': """SELECT a.id AS access_log_id, CAST(j AS INTEGER) AS subject_id
        FROM access_log a, json_array_elements_text(a.subject_ids) j""",
}
# Each lookup's subjects as a sorted JSON list again, '[]' for none.
LISTS = {
    'sqlite': """UPDATE access_log SET subject_ids = coalesce((SELECT json_group_array(subject_id) FROM
        (SELECT subject_id FROM access_log_subjects s WHERE s.access_log_id = access_log.id
         ORDER BY subject_id)), '[]')""",
    'postgresql': """UPDATE access_log SET subject_ids = coalesce((SELECT json_agg(subject_id ORDER BY subject_id)
        FROM access_log_subjects s WHERE s.access_log_id = access_log.id), '[]'::json)""",
}


def upgrade():
    op.create_table('access_log_subjects',
    sa.Column('access_log_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['access_log_id'], ['access_log.id'], name=op.f('fk_access_log_subjects_access_log_id_access_log'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['subjects.id'], name=op.f('fk_access_log_subjects_subject_id_subjects')),
    sa.PrimaryKeyConstraint('access_log_id', 'subject_id', name=op.f('pk_access_log_subjects'))
    )
    op.create_index('ix_access_log_subjects_subject_id_access_log_id', 'access_log_subjects', ['subject_id', 'access_log_id'], unique=False)
    op.execute(
        f"""INSERT INTO access_log_subjects (access_log_id, subject_id)
        SELECT DISTINCT access_log_id, subject_id FROM ({ELEMENTS[op.get_bind().dialect.name]}) AS e
        WHERE subject_id IN (SELECT id FROM subjects)"""
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_column('subject_ids')


def downgrade():
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_ids', sa.JSON(), server_default='[]', nullable=False))
    op.execute(LISTS[op.get_bind().dialect.name])
    with op.batch_alter_table('access_log', schema=None) as batch_op:  # as the column was: no server default
        batch_op.alter_column('subject_ids', server_default=None)
    op.drop_index('ix_access_log_subjects_subject_id_access_log_id', table_name='access_log_subjects')
    op.drop_table('access_log_subjects')
