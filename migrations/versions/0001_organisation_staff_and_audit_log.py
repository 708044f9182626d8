"""organisation, staff and audit log

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 11:07:21.074333
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # btree_gist: exclusion constraints over time ranges; unaccent: diacritic-blind search.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.create_table('agency',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.UUID(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("level IN ('central', 'province', 'department', 'commune')", name=op.f('ck_agency_level_known')),
    sa.ForeignKeyConstraint(['parent_id'], ['agency.id'], name=op.f('fk_agency_parent_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency')),
    sa.UniqueConstraint('code', name=op.f('uq_agency_code'))
    )
    op.create_index(op.f('ix_agency_parent_id'), 'agency', ['parent_id'], unique=False)
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('actor_id', sa.UUID(), nullable=True),
    sa.Column('actor_label', sa.String(length=255), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=64), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('agency_id', sa.UUID(), nullable=True),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index(op.f('ix_audit_log_action'), 'audit_log', ['action'], unique=False)
    op.create_index(op.f('ix_audit_log_agency_id'), 'audit_log', ['agency_id'], unique=False)
    op.create_table('staff_user',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('agency_id', sa.UUID(), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=255), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('password_hash', sa.Text(), nullable=False),
    sa.Column('roles', postgresql.ARRAY(sa.String(length=32)), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("roles <@ ARRAY['receptionist', 'inspector', 'case_manager', 'head', 'administrator']::varchar[]", name=op.f('ck_staff_user_roles_known')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_staff_user_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_user')),
    sa.UniqueConstraint('login', name=op.f('uq_staff_user_login'))
    )
    op.create_index(op.f('ix_staff_user_agency_id'), 'staff_user', ['agency_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_staff_user_agency_id'), table_name='staff_user')
    op.drop_table('staff_user')
    op.drop_index(op.f('ix_audit_log_agency_id'), table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_action'), table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_index(op.f('ix_agency_parent_id'), table_name='agency')
    op.drop_table('agency')
