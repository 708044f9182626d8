"""the register of signed official documents (PAdES)

Revision ID: sig_0001_signed_documents
Revises: 0008_transcript_search
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'sig_0001_signed_documents'
down_revision: str | tuple[str, ...] | None = '0008_transcript_search'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('signed_document',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('agency_id', sa.UUID(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('digest', sa.String(length=128), nullable=False),
    sa.Column('signer_id', sa.UUID(), nullable=False),
    sa.Column('signer_name', sa.String(length=255), nullable=False),
    sa.Column('signer_role', sa.String(length=64), nullable=False),
    sa.Column('certificate_subject', sa.Text(), nullable=False),
    sa.Column('certificate_serial', sa.String(length=64), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timestamped', sa.Boolean(), nullable=False),
    sa.Column('ltv', sa.Boolean(), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('sealed', sa.Boolean(), nullable=False),
    sa.Column('case_id', sa.UUID(), nullable=True),
    sa.Column('document_id', sa.UUID(), nullable=True),
    sa.Column('hearing_id', sa.UUID(), nullable=True),
    sa.Column('countersigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('countersigned_by', sa.String(length=64), nullable=True),
    sa.CheckConstraint("kind IN ('case_form', 'hearing_record')",
                       name=op.f('ck_signed_document_kind_known')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'],
                            name=op.f('fk_signed_document_agency_id_agency')),
    sa.ForeignKeyConstraint(['signer_id'], ['staff_user.id'],
                            name=op.f('fk_signed_document_signer_id_staff_user')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'],
                            name=op.f('fk_signed_document_case_id_case_file')),
    sa.ForeignKeyConstraint(['document_id'], ['case_document.id'],
                            name=op.f('fk_signed_document_document_id_case_document')),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id'],
                            name=op.f('fk_signed_document_hearing_id_hearing')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signed_document')),
    sa.UniqueConstraint('code', name=op.f('uq_signed_document_code')),
    sa.UniqueConstraint('digest', name=op.f('uq_signed_document_digest')),
    sa.UniqueConstraint('document_id', name=op.f('uq_signed_document_document_id')),
    sa.UniqueConstraint('hearing_id', name=op.f('uq_signed_document_hearing_id')),
    )
    op.create_index(op.f('ix_signed_document_case_id'), 'signed_document', ['case_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_signed_document_case_id'), table_name='signed_document')
    op.drop_table('signed_document')
