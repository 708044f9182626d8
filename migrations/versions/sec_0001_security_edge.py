"""security edge: server-side staff sessions, rate-limit counters, hearing officials, and the
database refusing a denouncer's identity outside the vault

The trigger is the last line behind the repository (adapters/db/repositories/cases/cases.py): any
writer — a future import, a hand-written fix — gets an error instead of an unsealed denouncer.

Revision ID: sec_0001_security_edge
Revises: 0008_transcript_search
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'sec_0001_security_edge'
down_revision: str | tuple[str, ...] | None = '0008_transcript_search'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEALED_PARTY = """
CREATE FUNCTION case_party_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.role = 'denouncer' OR (
       NEW.role IN ('petitioner', 'complainant', 'group_member', 'representative')
       AND EXISTS (SELECT 1 FROM case_file WHERE id = NEW.case_id AND kind = 'denunciation')) THEN
    IF NEW.vault_id IS NULL OR NEW.address IS NOT NULL OR NEW.id_type IS NOT NULL
       OR NEW.id_number IS NOT NULL OR NEW.contact IS NOT NULL OR NEW.organisation IS NOT NULL THEN
      RAISE EXCEPTION 'a denouncer''s identity is kept only in the vault (LTC Art. 47)'
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$
"""
SEALED_PARTY_TRIGGER = ("CREATE TRIGGER case_party_sealed BEFORE INSERT OR UPDATE ON case_party "
                        "FOR EACH ROW EXECUTE FUNCTION case_party_sealed()")


def upgrade() -> None:
    op.create_table(
        'staff_session',
        sa.Column('id', postgresql.UUID(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('staff_id', postgresql.UUID(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_agent', sa.String(length=255), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('end_reason', sa.String(length=32), nullable=True),
        sa.Column('once_key', sa.String(length=64), nullable=True),
        sa.Column('once_value', sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'],
                                name=op.f('fk_staff_session_staff_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_session')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_staff_session_token_hash')),
    )
    op.create_index(op.f('ix_staff_session_staff_id'), 'staff_session', ['staff_id'])
    op.create_table(
        'rate_limit_counter',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('hits', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', 'window_start', name=op.f('pk_rate_limit_counter')),
    )
    op.create_index('ix_rate_limit_counter_expires_at', 'rate_limit_counter', ['expires_at'])
    op.create_table(
        'hearing_official',
        sa.Column('hearing_id', postgresql.UUID(), nullable=False),
        sa.Column('staff_id', postgresql.UUID(), nullable=False),
        sa.Column('added_by', postgresql.UUID(), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
                  nullable=False),
        sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id'],
                                name=op.f('fk_hearing_official_hearing_id_hearing')),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'],
                                name=op.f('fk_hearing_official_staff_id_staff_user')),
        sa.ForeignKeyConstraint(['added_by'], ['staff_user.id'],
                                name=op.f('fk_hearing_official_added_by_staff_user')),
        sa.PrimaryKeyConstraint('hearing_id', 'staff_id', name=op.f('pk_hearing_official')),
    )
    op.execute(SEALED_PARTY)
    op.execute(SEALED_PARTY_TRIGGER)
    op.create_check_constraint('denunciation_principal_sealed', 'case_file',
                               "kind <> 'denunciation' OR principal_id_number IS NULL")


def downgrade() -> None:
    op.drop_constraint(op.f('ck_case_file_denunciation_principal_sealed'), 'case_file')
    op.execute("DROP TRIGGER case_party_sealed ON case_party")
    op.execute("DROP FUNCTION case_party_sealed()")
    op.drop_table('hearing_official')
    op.drop_index('ix_rate_limit_counter_expires_at', table_name='rate_limit_counter')
    op.drop_table('rate_limit_counter')
    op.drop_index(op.f('ix_staff_session_staff_id'), table_name='staff_session')
    op.drop_table('staff_session')
