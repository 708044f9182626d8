"""case files: parties, events, obligations, documents, dispatch and publication logs, vault

Revision ID: 0003_cases
Revises: 0001
Create Date: 2026-11-24 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0003_cases'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('denouncer_vault',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_denouncer_vault'))
    )
    op.create_table('case_counter',
    sa.Column('agency_id', sa.UUID(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('prefix', sa.String(length=8), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_case_counter_agency_id_agency')),
    sa.PrimaryKeyConstraint('agency_id', 'year', 'prefix', name=op.f('pk_case_counter'))
    )
    op.create_table('case_file',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('agency_id', sa.UUID(), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('instance', sa.SmallInteger(), nullable=False),
    sa.Column('parent_id', sa.UUID(), nullable=True),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('content_type', sa.String(length=16), nullable=True),
    sa.Column('contested_number', sa.String(length=64), nullable=True),
    sa.Column('contested_date', sa.Date(), nullable=True),
    sa.Column('contested_issuer', sa.String(length=255), nullable=True),
    sa.Column('principal_name', sa.String(length=255), nullable=False),
    sa.Column('name_key', sa.String(length=255), nullable=False),
    sa.Column('principal_id_number', sa.String(length=16), nullable=True),
    sa.Column('assignee_id', sa.UUID(), nullable=True),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('next_rule', sa.String(length=16), nullable=True),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('resolved_on_time', sa.Boolean(), nullable=True),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("channel IN ('visit', 'post', 'online', 'forwarded', 'box')", name=op.f('ck_case_file_channel_known')),
    sa.CheckConstraint("kind IN ('complaint', 'denunciation', 'petition', 'recommendation')", name=op.f('ck_case_file_kind_known')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_case_file_agency_id_agency')),
    sa.ForeignKeyConstraint(['assignee_id'], ['staff_user.id'], name=op.f('fk_case_file_assignee_id_staff_user')),
    sa.ForeignKeyConstraint(['parent_id'], ['case_file.id'], name=op.f('fk_case_file_parent_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_file')),
    sa.UniqueConstraint('agency_id', 'reference', name=op.f('uq_case_file_agency_id'))
    )
    op.create_index('ix_case_file_open_assignee', 'case_file', ['agency_id', 'assignee_id', 'next_due'], unique=False, postgresql_where=sa.text('NOT closed'))
    op.create_index('ix_case_file_agency_name', 'case_file', ['agency_id', 'name_key'], unique=False, postgresql_ops={'name_key': 'varchar_pattern_ops'})
    op.create_index('ix_case_file_agency_opened', 'case_file', ['agency_id', 'opened_on'], unique=False)
    op.create_index('ix_case_file_open_state', 'case_file', ['agency_id', 'kind', 'state'], unique=False, postgresql_where=sa.text('NOT closed'))
    op.create_index('ix_case_file_open_due', 'case_file', ['agency_id', 'next_due'], unique=False, postgresql_where=sa.text('NOT closed'))
    op.create_index(op.f('ix_case_file_parent_id'), 'case_file', ['parent_id'], unique=False)
    op.create_index(op.f('ix_case_file_principal_id_number'), 'case_file', ['principal_id_number'], unique=False)
    op.create_index(op.f('ix_case_file_reference'), 'case_file', ['reference'], unique=False)
    op.create_index('ix_case_file_resolved', 'case_file', ['agency_id', 'resolved_on', 'resolved_on_time'], unique=False, postgresql_where=sa.text('resolved_on IS NOT NULL'))
    op.create_table('case_assignment',
    sa.Column('case_id', sa.UUID(), nullable=False),
    sa.Column('staff_id', sa.UUID(), nullable=False),
    sa.Column('lead', sa.Boolean(), nullable=False),
    sa.Column('assigned_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_assignment_case_id_case_file')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_case_assignment_staff_id_staff_user')),
    sa.PrimaryKeyConstraint('case_id', 'staff_id', name=op.f('pk_case_assignment'))
    )
    op.create_index(op.f('ix_case_assignment_staff_id'), 'case_assignment', ['staff_id'], unique=False)
    op.create_table('case_document',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('case_id', sa.UUID(), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('form_key', sa.String(length=64), nullable=True),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.UUID(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_document_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_document'))
    )
    op.create_index(op.f('ix_case_document_case_id'), 'case_document', ['case_id'], unique=False)
    op.create_table('case_event',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.UUID(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.UUID(), nullable=True),
    sa.Column('actor_label', sa.String(length=255), nullable=False),
    sa.Column('actor_role', sa.String(length=8), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('from_state', sa.String(length=40), nullable=False),
    sa.Column('to_state', sa.String(length=40), nullable=False),
    sa.Column('legal_basis', sa.String(length=255), nullable=False),
    sa.Column('facts', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_event_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event')),
    sa.UniqueConstraint('case_id', 'seq', name=op.f('uq_case_event_case_id'))
    )
    op.create_table('case_obligation',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.UUID(), nullable=False),
    sa.Column('rule_id', sa.String(length=16), nullable=False),
    sa.Column('article', sa.String(length=255), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_obligation_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_obligation'))
    )
    op.create_index(op.f('ix_case_obligation_case_id'), 'case_obligation', ['case_id'], unique=False)
    op.create_table('case_party',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('case_id', sa.UUID(), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('display_name', sa.String(length=255), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('id_type', sa.String(length=16), nullable=True),
    sa.Column('id_number', sa.String(length=16), nullable=True),
    sa.Column('contact', sa.String(length=255), nullable=True),
    sa.Column('organisation', sa.String(length=255), nullable=True),
    sa.Column('vault_id', sa.UUID(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_party_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_party'))
    )
    op.create_index(op.f('ix_case_party_case_id'), 'case_party', ['case_id'], unique=False)
    op.create_table('case_dispatch',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('case_id', sa.UUID(), nullable=False),
    sa.Column('document_id', sa.UUID(), nullable=True),
    sa.Column('recipient', sa.String(length=255), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_dispatch_case_id_case_file')),
    sa.ForeignKeyConstraint(['document_id'], ['case_document.id'], name=op.f('fk_case_dispatch_document_id_case_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_dispatch'))
    )
    op.create_index(op.f('ix_case_dispatch_case_id'), 'case_dispatch', ['case_id'], unique=False)
    op.create_table('case_publication',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('case_id', sa.UUID(), nullable=False),
    sa.Column('document_id', sa.UUID(), nullable=True),
    sa.Column('medium', sa.String(length=32), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_publication_case_id_case_file')),
    sa.ForeignKeyConstraint(['document_id'], ['case_document.id'], name=op.f('fk_case_publication_document_id_case_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_publication'))
    )
    op.create_index(op.f('ix_case_publication_case_id'), 'case_publication', ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_table('case_publication')
    op.drop_table('case_dispatch')
    op.drop_table('case_party')
    op.drop_table('case_obligation')
    op.drop_table('case_event')
    op.drop_table('case_document')
    op.drop_table('case_assignment')
    op.drop_table('case_file')
    op.drop_table('case_counter')
    op.drop_table('denouncer_vault')
