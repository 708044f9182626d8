"""transcripts and evidence links

Revision ID: 0005_transcripts
Revises: 0003_cases, 0004_hearings (merges the two branches)
Create Date: 2026-11-24 11:47:31.721820
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_transcripts'
down_revision: str | tuple[str, ...] | None = ('0003_cases', '0004_hearings')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('agency', sa.Column('transcription_language', sa.String(length=8),
                                      server_default='vi', nullable=False))
    op.create_check_constraint(op.f('ck_agency_language_known'), 'agency',
                               "transcription_language IN ('vi', 'en', 'auto')")
    op.create_table('transcript',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('hearing_id', sa.UUID(), nullable=False),
    sa.Column('agency_id', sa.UUID(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('model', sa.String(length=255), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.UUID(), nullable=True),
    sa.Column('approved_hash', sa.String(length=64), nullable=True),
    sa.Column('citizen_ack_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_transcript_status_known')),
    sa.CheckConstraint('progress >= 0 AND progress <= 1', name=op.f('ck_transcript_progress_share')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_transcript_agency_id_agency')),
    sa.ForeignKeyConstraint(['approved_by'], ['staff_user.id'], name=op.f('fk_transcript_approved_by_staff_user')),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id'], name=op.f('fk_transcript_hearing_id_hearing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcript')),
    sa.UniqueConstraint('hearing_id', name=op.f('uq_transcript_hearing_id'))
    )
    op.create_index(op.f('ix_transcript_agency_id'), 'transcript', ['agency_id'], unique=False)
    op.create_table('evidence_link',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('case_id', sa.UUID(), nullable=False),
    sa.Column('hearing_id', sa.UUID(), nullable=False),
    sa.Column('start_ms', sa.Integer(), nullable=False),
    sa.Column('end_ms', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.UUID(), nullable=True),
    sa.Column('item', sa.String(length=32), nullable=False),
    sa.Column('item_ref', sa.String(length=255), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("item IN ('claim', 'finding', 'dialogue_point')", name=op.f('ck_evidence_link_item_known')),
    sa.CheckConstraint('start_ms >= 0 AND end_ms > start_ms', name=op.f('ck_evidence_link_times_ordered')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_evidence_link_case_id_case_file')),
    sa.ForeignKeyConstraint(['created_by'], ['staff_user.id'], name=op.f('fk_evidence_link_created_by_staff_user')),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id'], name=op.f('fk_evidence_link_hearing_id_hearing')),
    sa.ForeignKeyConstraint(['member_id'], ['hearing_member.id'], name=op.f('fk_evidence_link_member_id_hearing_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_link'))
    )
    op.create_index(op.f('ix_evidence_link_case_id'), 'evidence_link', ['case_id'], unique=False)
    op.create_index(op.f('ix_evidence_link_hearing_id'), 'evidence_link', ['hearing_id'], unique=False)
    op.create_table('transcript_segment',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('transcript_id', sa.UUID(), nullable=False),
    sa.Column('member_id', sa.UUID(), nullable=False),
    sa.Column('speaker', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('start_ms', sa.Integer(), nullable=False),
    sa.Column('end_ms', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('machine_text', sa.Text(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('start_ms >= 0 AND end_ms >= start_ms', name=op.f('ck_transcript_segment_times_ordered')),
    sa.ForeignKeyConstraint(['member_id'], ['hearing_member.id'], name=op.f('fk_transcript_segment_member_id_hearing_member')),
    sa.ForeignKeyConstraint(['transcript_id'], ['transcript.id'], name=op.f('fk_transcript_segment_transcript_id_transcript'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcript_segment'))
    )
    op.create_index('ix_transcript_segment_order', 'transcript_segment', ['transcript_id', 'start_ms'], unique=False)
    op.create_table('transcript_segment_edit',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('segment_id', sa.UUID(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.UUID(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['staff_user.id'], name=op.f('fk_transcript_segment_edit_author_id_staff_user')),
    sa.ForeignKeyConstraint(['segment_id'], ['transcript_segment.id'], name=op.f('fk_transcript_segment_edit_segment_id_transcript_segment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcript_segment_edit')),
    sa.UniqueConstraint('segment_id', 'version', name='uq_segment_edit_version')
    )


def downgrade() -> None:
    op.drop_constraint(op.f('ck_agency_language_known'), 'agency', type_='check')
    op.drop_column('agency', 'transcription_language')
    op.drop_table('transcript_segment_edit')
    op.drop_index('ix_transcript_segment_order', table_name='transcript_segment')
    op.drop_table('transcript_segment')
    op.drop_index(op.f('ix_evidence_link_hearing_id'), table_name='evidence_link')
    op.drop_index(op.f('ix_evidence_link_case_id'), table_name='evidence_link')
    op.drop_table('evidence_link')
    op.drop_index(op.f('ix_transcript_agency_id'), table_name='transcript')
    op.drop_table('transcript')
