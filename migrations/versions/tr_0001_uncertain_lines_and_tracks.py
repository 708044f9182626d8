"""uncertain transcript lines, their confirmation, per-recording results; every queued hearing
has its job

- transcript_segment: `doubts` (why the machine line may not be what was said), `repeats`
  (a line heard that many times in a row, shown once), `confirmed_at`/`confirmed_by` (the
  official who listened to a doubtful line and confirmed or corrected it);
- transcript_track: each member's recording as transcribed, stored as soon as it is done, so
  a retried job only transcribes the recordings still missing;
- hearings waiting for transcription ("ready", or "queued" without a waiting or running job)
  get their job now: jobs are added with the hearing's state from now on, and workers no
  longer look for hearings without one when they start.

Revision ID: tr_0001_uncertain_lines
Revises: 0008_transcript_search (depends on 0006_job_queue: procrastinate's function)
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'tr_0001_uncertain_lines'
down_revision: str | tuple[str, ...] | None = '0008_transcript_search'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = '0006_job_queue'


def upgrade() -> None:
    op.add_column('transcript_segment', sa.Column(
        'doubts', postgresql.ARRAY(sa.String(length=32)), server_default='{}', nullable=False))
    op.add_column('transcript_segment', sa.Column(
        'repeats', sa.Integer(), server_default='1', nullable=False))
    op.add_column('transcript_segment', sa.Column(
        'confirmed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('transcript_segment', sa.Column('confirmed_by', sa.UUID(), nullable=True))
    op.create_foreign_key(op.f('fk_transcript_segment_confirmed_by_staff_user'),
                          'transcript_segment', 'staff_user', ['confirmed_by'], ['id'])
    op.create_table(
        'transcript_track',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('transcript_id', sa.UUID(), nullable=False),
        sa.Column('member_id', sa.UUID(), nullable=False),
        sa.Column('recording_path', sa.Text(), nullable=False),
        sa.Column('result', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column('problem', sa.Text(), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('(result IS NULL) <> (problem IS NULL)',
                           name=op.f('ck_transcript_track_result_or_problem')),
        sa.ForeignKeyConstraint(['member_id'], ['hearing_member.id'],
                                name=op.f('fk_transcript_track_member_id_hearing_member')),
        sa.ForeignKeyConstraint(['transcript_id'], ['transcript.id'],
                                name=op.f('fk_transcript_track_transcript_id_transcript'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_transcript_track')),
        sa.UniqueConstraint('transcript_id', 'recording_path',
                            name='uq_transcript_track_recording'),
    )
    op.create_index(op.f('ix_transcript_track_transcript_id'), 'transcript_track',
                    ['transcript_id'], unique=False)
    # The job of every hearing left waiting, as the application adds it (one waiting job per
    # hearing: its queueing lock).
    op.execute("""
        SELECT procrastinate_defer_jobs_v1(array_agg(ROW(
            'default', 'transcribe_hearing', 0, 'hearing:' || h.id, 'transcribe:' || h.id,
            jsonb_build_object('hearing_id', h.id::text), NULL)::procrastinate_job_to_defer_v1))
        FROM hearing h
        WHERE h.transcription IN ('ready', 'queued') AND NOT EXISTS (
            SELECT 1 FROM procrastinate_jobs j
            WHERE j.lock = 'hearing:' || h.id AND j.status IN ('todo', 'doing'))
        HAVING count(*) > 0
    """)
    op.execute("UPDATE hearing SET transcription = 'queued' WHERE transcription = 'ready'")


def downgrade() -> None:
    op.drop_index(op.f('ix_transcript_track_transcript_id'), table_name='transcript_track')
    op.drop_table('transcript_track')
    op.drop_constraint(op.f('fk_transcript_segment_confirmed_by_staff_user'),
                       'transcript_segment', type_='foreignkey')
    op.drop_column('transcript_segment', 'confirmed_by')
    op.drop_column('transcript_segment', 'confirmed_at')
    op.drop_column('transcript_segment', 'repeats')
    op.drop_column('transcript_segment', 'doubts')
