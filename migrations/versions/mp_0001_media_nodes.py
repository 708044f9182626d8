"""media nodes: hearings pinned to media processes, signalling tickets in the database

- media_node: each running media process (embedded in a web process, or `reception media`)
  with the address of its internal API and a heartbeat kept by the database's own clock.
- hearing.media_node: the node a hearing is pinned to (chosen when it opens); every web
  process sends that hearing's media work there.
- hearing_ticket: single-use signalling tickets (a hash of each), so any web process can
  redeem a ticket another one issued.

Revision ID: mp_0001_media_nodes
Revises: ev_0001_evidence_integrity
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'mp_0001_media_nodes'
down_revision: str | tuple[str, ...] | None = 'ev_0001_evidence_integrity'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'media_node',
        sa.Column('name', sa.String(length=200), primary_key=True),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('host', sa.String(length=200), nullable=False),
        sa.Column('pid', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column('heartbeat_at', sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
    )
    op.add_column('hearing', sa.Column('media_node', sa.String(length=200), nullable=True))
    op.create_index('ix_hearing_media_node', 'hearing', ['media_node'])
    op.create_table(
        'hearing_ticket',
        sa.Column('digest', sa.String(length=64), primary_key=True),
        sa.Column('hearing_id', postgresql.UUID(), sa.ForeignKey('hearing.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('member_id', postgresql.UUID(),
                  sa.ForeignKey('hearing_member.id', ondelete='CASCADE'), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table('hearing_ticket')
    op.drop_index('ix_hearing_media_node', table_name='hearing')
    op.drop_column('hearing', 'media_node')
    op.drop_table('media_node')
