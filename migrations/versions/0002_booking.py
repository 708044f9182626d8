"""reception scheduling: sessions, bookings, participants, documents, e-mail outbox

Revision ID: 0002_booking
Revises: 0001
Create Date: 2026-11-24 11:18:45.804820
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0002_booking'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Booking numbers feed the human reference TD-<year>-<number>.
    op.execute(sa.schema.CreateSequence(sa.Sequence('booking_number_seq')))
    op.create_table('reception_session',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('agency_id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('official_id', sa.UUID(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('regular', 'periodic', 'ad_hoc')", name=op.f('ck_reception_session_kind_known')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_reception_session_ends_after_start')),
    sa.CheckConstraint('slot_minutes BETWEEN 5 AND 240', name=op.f('ck_reception_session_slot_length')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_reception_session_agency_id_agency')),
    sa.ForeignKeyConstraint(['official_id'], ['staff_user.id'], name=op.f('fk_reception_session_official_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reception_session'))
    )
    op.create_index(op.f('ix_reception_session_agency_id'), 'reception_session', ['agency_id'], unique=False)
    op.create_index(op.f('ix_reception_session_official_id'), 'reception_session', ['official_id'], unique=False)
    op.create_index(op.f('ix_reception_session_starts_at'), 'reception_session', ['starts_at'], unique=False)
    op.create_table('booking',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('number', sa.BigInteger(), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('agency_id', sa.UUID(), nullable=False),
    sa.Column('session_id', sa.UUID(), nullable=False),
    sa.Column('official_id', sa.UUID(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('full_name', sa.String(length=255), nullable=False),
    sa.Column('id_number', sa.String(length=12), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('group_size', sa.Integer(), nullable=False),
    sa.Column('representatives', postgresql.ARRAY(sa.String(length=255)), nullable=False),
    sa.Column('identity_protection_waived', sa.Boolean(), nullable=False),
    sa.Column('online_ground', sa.String(length=32), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hearing_opened_at', sa.DateTime(timezone=True), nullable=True),
    postgresql.ExcludeConstraint((sa.text('official_id'), '='), (sa.text('tstzrange(starts_at, ends_at)'), '&&'), where=sa.text("status IN ('admitted', 'booked', 'completed', 'opened')"), using='gist', name='official_not_double_booked'),
    sa.CheckConstraint("channel IN ('online', 'walk_in', 'phone')", name=op.f('ck_booking_channel_known')),
    sa.CheckConstraint("status IN ('booked', 'opened', 'admitted', 'completed', 'cancelled', 'no_show')", name=op.f('ck_booking_status_known')),
    sa.CheckConstraint("subject IN ('complaint', 'denunciation', 'petition', 'reflection')", name=op.f('ck_booking_subject_known')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_booking_ends_after_start')),
    sa.CheckConstraint('group_size >= 1', name=op.f('ck_booking_group_size_positive')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_booking_agency_id_agency')),
    sa.ForeignKeyConstraint(['official_id'], ['staff_user.id'], name=op.f('fk_booking_official_id_staff_user')),
    sa.ForeignKeyConstraint(['session_id'], ['reception_session.id'], name=op.f('fk_booking_session_id_reception_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking')),
    sa.UniqueConstraint('number', name=op.f('uq_booking_number')),
    sa.UniqueConstraint('reference', name=op.f('uq_booking_reference'))
    )
    op.create_index(op.f('ix_booking_agency_id'), 'booking', ['agency_id'], unique=False)
    op.create_index(op.f('ix_booking_official_id'), 'booking', ['official_id'], unique=False)
    op.create_index(op.f('ix_booking_session_id'), 'booking', ['session_id'], unique=False)
    op.create_index(op.f('ix_booking_starts_at'), 'booking', ['starts_at'], unique=False)
    op.create_table('booking_document',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('booking_id', sa.UUID(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_booking_document_booking_id_booking'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_document'))
    )
    op.create_index(op.f('ix_booking_document_booking_id'), 'booking_document', ['booking_id'], unique=False)
    op.create_table('outbox_message',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('dedupe_key', sa.String(length=128), nullable=False),
    sa.Column('booking_id', sa.UUID(), nullable=True),
    sa.Column('to_address', sa.String(length=255), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('ics', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('send_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_outbox_message_booking_id_booking'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_message_dedupe_key'))
    )
    op.create_index(op.f('ix_outbox_message_booking_id'), 'outbox_message', ['booking_id'], unique=False)
    op.create_index(op.f('ix_outbox_message_send_after'), 'outbox_message', ['send_after'], unique=False)
    op.create_table('participant',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('booking_id', sa.UUID(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('display_name', sa.String(length=255), nullable=False),
    sa.Column('staff_id', sa.UUID(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('token_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('device_checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consent_given_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consent_refused_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consent_text_version', sa.String(length=32), nullable=True),
    sa.Column('waiting_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('asked_to_wait_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('admitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('citizen', 'official', 'third_party')", name=op.f('ck_participant_role_known')),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_participant_booking_id_booking'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_participant_staff_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_participant_token_hash'))
    )
    op.create_index(op.f('ix_participant_booking_id'), 'participant', ['booking_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_participant_booking_id'), table_name='participant')
    op.drop_table('participant')
    op.drop_index(op.f('ix_outbox_message_send_after'), table_name='outbox_message')
    op.drop_index(op.f('ix_outbox_message_booking_id'), table_name='outbox_message')
    op.drop_table('outbox_message')
    op.drop_index(op.f('ix_booking_document_booking_id'), table_name='booking_document')
    op.drop_table('booking_document')
    op.drop_index(op.f('ix_booking_starts_at'), table_name='booking')
    op.drop_index(op.f('ix_booking_session_id'), table_name='booking')
    op.drop_index(op.f('ix_booking_official_id'), table_name='booking')
    op.drop_index(op.f('ix_booking_agency_id'), table_name='booking')
    op.drop_table('booking')
    op.drop_index(op.f('ix_reception_session_starts_at'), table_name='reception_session')
    op.drop_index(op.f('ix_reception_session_official_id'), table_name='reception_session')
    op.drop_index(op.f('ix_reception_session_agency_id'), table_name='reception_session')
    op.drop_table('reception_session')
    op.execute(sa.schema.DropSequence(sa.Sequence('booking_number_seq')))
