"""video hearings: hearings, their members and hashed recordings

Revision ID: 0004_hearings
Revises: 0002_booking
Create Date: 2026-11-24 11:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_hearings'
down_revision: str | None = '0002_booking'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('hearing',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('booking_id', sa.UUID(), nullable=False),
    sa.Column('agency_id', sa.UUID(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_by', sa.UUID(), nullable=False),
    sa.Column('recording_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_by', sa.UUID(), nullable=True),
    sa.Column('interrupted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('transcription', sa.String(length=16), nullable=True),
    sa.CheckConstraint("status IN ('open', 'ended', 'interrupted')", name=op.f('ck_hearing_status_known')),
    sa.CheckConstraint("transcription IN ('ready', 'queued', 'transcribed', 'failed')", name=op.f('ck_hearing_transcription_known')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_hearing_agency_id_agency')),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_hearing_booking_id_booking')),
    sa.ForeignKeyConstraint(['ended_by'], ['staff_user.id'], name=op.f('fk_hearing_ended_by_staff_user')),
    sa.ForeignKeyConstraint(['opened_by'], ['staff_user.id'], name=op.f('fk_hearing_opened_by_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing'))
    )
    op.create_index(op.f('ix_hearing_agency_id'), 'hearing', ['agency_id'], unique=False)
    op.create_index(op.f('ix_hearing_booking_id'), 'hearing', ['booking_id'], unique=False)
    op.create_index('uq_hearing_open_per_booking', 'hearing', ['booking_id'], unique=True,
                    postgresql_where=sa.text("status = 'open'"))
    op.create_table('hearing_member',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('hearing_id', sa.UUID(), nullable=False),
    sa.Column('participant_id', sa.UUID(), nullable=True),
    sa.Column('staff_id', sa.UUID(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('display_name', sa.String(length=255), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notice_version', sa.String(length=32), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('admitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('muted', sa.Boolean(), nullable=False),
    sa.Column('receive_only', sa.Boolean(), nullable=False),
    sa.CheckConstraint("role IN ('citizen', 'official', 'third_party', 'observer')", name=op.f('ck_hearing_member_role_known')),
    sa.CheckConstraint('(participant_id IS NULL) <> (staff_id IS NULL)', name=op.f('ck_hearing_member_one_identity')),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id'], name=op.f('fk_hearing_member_hearing_id_hearing'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_hearing_member_participant_id_participant')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_hearing_member_staff_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing_member')),
    sa.UniqueConstraint('hearing_id', 'participant_id', name='uq_hearing_member_participant'),
    sa.UniqueConstraint('hearing_id', 'staff_id', name='uq_hearing_member_staff')
    )
    op.create_index(op.f('ix_hearing_member_hearing_id'), 'hearing_member', ['hearing_id'], unique=False)
    op.create_table('hearing_recording',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('hearing_id', sa.UUID(), nullable=False),
    sa.Column('member_id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_audio_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_video_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration_seconds', sa.Float(), nullable=True),
    sa.Column('video_frames', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('audio', 'evidence')", name=op.f('ck_hearing_recording_kind_known')),
    sa.CheckConstraint("state IN ('closed', 'repaired')", name=op.f('ck_hearing_recording_state_known')),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id'], name=op.f('fk_hearing_recording_hearing_id_hearing'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['hearing_member.id'], name=op.f('fk_hearing_recording_member_id_hearing_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing_recording')),
    sa.UniqueConstraint('member_id', 'kind', name='uq_hearing_recording_member_kind')
    )
    op.create_index(op.f('ix_hearing_recording_hearing_id'), 'hearing_recording', ['hearing_id'], unique=False)


def downgrade() -> None:
    op.drop_table('hearing_recording')
    op.drop_table('hearing_member')
    op.drop_index('uq_hearing_open_per_booking', table_name='hearing',
                  postgresql_where=sa.text("status = 'open'"))
    op.drop_table('hearing')
