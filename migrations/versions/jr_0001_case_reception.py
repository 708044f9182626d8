"""case files opened from a reception: the link between a case and its booking

Revision ID: jr_0001_case_reception
Revises: 0008_transcript_search
Create Date: 2026-12-04 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'jr_0001_case_reception'
down_revision: str | tuple[str, ...] | None = '0008_transcript_search'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('case_reception',
    sa.Column('case_id', sa.UUID(), nullable=False),
    sa.Column('booking_id', sa.UUID(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('linked_by', sa.UUID(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_case_reception_booking_id_booking')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_reception_case_id_case_file')),
    sa.ForeignKeyConstraint(['linked_by'], ['staff_user.id'], name=op.f('fk_case_reception_linked_by_staff_user')),
    sa.PrimaryKeyConstraint('case_id', 'booking_id', name=op.f('pk_case_reception'))
    )
    op.create_index(op.f('ix_case_reception_booking_id'), 'case_reception', ['booking_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_case_reception_booking_id'), table_name='case_reception')
    op.drop_table('case_reception')
