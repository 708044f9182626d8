"""evidence integrity: keyed audit chain, recording chains, integrity checks

- audit_log.keyed: rows written from now on carry an HMAC under AUDIT_KEY (kept outside the
  database); existing rows keep their SHA-256 chain and are marked unkeyed. They are not
  re-keyed here (a migration should not need the key): the first keyed row's HMAC covers the
  last unkeyed row's hash, which seals them (docs/evidence.md).
- hearing_recording: each file's chain (hash per chunk as written), the as-recorded original
  of a repaired file, and the latest verification; a member may have several files of a kind
  (a recorder that died was replaced), so uniqueness moves from (member, kind) to the path.
- integrity_check: each run of the check of recordings, documents and the audit log.

Revision ID: ev_0001_evidence_integrity
Revises: 0008_transcript_search
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'ev_0001_evidence_integrity'
down_revision: str | tuple[str, ...] | None = '0008_transcript_search'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('audit_log', sa.Column('keyed', sa.Boolean(), server_default=sa.false(),
                                         nullable=False))
    op.add_column('hearing_recording', sa.Column('chain', sa.Text(), nullable=True))
    op.add_column('hearing_recording', sa.Column('original_path', sa.String(length=500),
                                                 nullable=True))
    op.add_column('hearing_recording', sa.Column('original_chain', sa.Text(), nullable=True))
    op.add_column('hearing_recording', sa.Column('verified_at', sa.DateTime(timezone=True),
                                                 nullable=True))
    op.add_column('hearing_recording', sa.Column('verified', sa.Boolean(), nullable=True))
    op.add_column('hearing_recording', sa.Column('verify_problem', sa.Text(), nullable=True))
    op.drop_constraint('uq_hearing_recording_member_kind', 'hearing_recording', type_='unique')
    op.create_unique_constraint('uq_hearing_recording_path', 'hearing_recording', ['path'])
    op.create_table(
        'integrity_check',
        sa.Column('id', sa.UUID(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('trigger', sa.String(length=16), nullable=False),
        sa.Column('ok', sa.Boolean(), nullable=False),
        sa.Column('recordings', sa.Integer(), nullable=False),
        sa.Column('documents', sa.Integer(), nullable=False),
        sa.Column('audit_rows', sa.Integer(), nullable=False),
        sa.Column('failures', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.CheckConstraint("trigger IN ('command', 'periodic', 'manual')",
                           name=op.f('ck_integrity_check_trigger_known')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_check')),
    )
    op.create_index(op.f('ix_integrity_check_started_at'), 'integrity_check', ['started_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_integrity_check_started_at'), table_name='integrity_check')
    op.drop_table('integrity_check')
    op.drop_constraint('uq_hearing_recording_path', 'hearing_recording', type_='unique')
    op.create_unique_constraint('uq_hearing_recording_member_kind', 'hearing_recording',
                                ['member_id', 'kind'])
    for column in ('verify_problem', 'verified', 'verified_at', 'original_chain',
                   'original_path', 'chain'):
        op.drop_column('hearing_recording', column)
    op.drop_column('audit_log', 'keyed')
