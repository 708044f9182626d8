"""a denunciation's citizen is sealed in the vault from the booking on

- booking.sealed_identity: the vault entry holding the citizen of a denunciation; the booking's
  own name, ID number, address, phone and e-mail are then the pseudonym and blanks, which the
  constraint `denouncer_sealed` enforces;
- outbox_message.sealed_recipient: a message to a denouncer names the vault entry its address
  is read from when sent, instead of the address.

The constraint is added NOT VALID: bookings made before it are sealed by `reception migrate`
right after this revision (it needs VAULT_KEY, which migrations do not have), then validated.

Revision ID: vault_0001_sealed_bookings
Revises: sig_0001_signed_documents (depends on 0003_cases: the vault)
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'vault_0001_sealed_bookings'
down_revision: str | tuple[str, ...] | None = 'sig_0001_signed_documents'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = '0003_cases'

SEALED_ROW = ("sealed_identity IS NOT NULL AND id_number = '' AND address = '' "
              "AND phone IS NULL AND email IS NULL")


def upgrade() -> None:
    op.add_column('booking', sa.Column('sealed_identity', postgresql.UUID(), nullable=True))
    op.create_foreign_key(op.f('fk_booking_sealed_identity_denouncer_vault'), 'booking',
                          'denouncer_vault', ['sealed_identity'], ['id'])
    op.create_check_constraint(op.f('ck_booking_denouncer_sealed'), 'booking',
                               f"subject <> 'denunciation' OR ({SEALED_ROW})",
                               postgresql_not_valid=True)
    # With no denunciation booked yet (a new installation) the constraint holds at once;
    # otherwise `reception migrate` validates it once it has sealed them.
    if not op.get_bind().scalar(sa.text("SELECT count(*) FROM booking "
                                        "WHERE subject = 'denunciation'")):
        op.execute("ALTER TABLE booking VALIDATE CONSTRAINT ck_booking_denouncer_sealed")
    op.add_column('outbox_message', sa.Column('sealed_recipient', postgresql.UUID(),
                                              nullable=True))
    op.create_foreign_key(op.f('fk_outbox_message_sealed_recipient_denouncer_vault'),
                          'outbox_message', 'denouncer_vault', ['sealed_recipient'], ['id'])


def downgrade() -> None:
    op.drop_constraint(op.f('fk_outbox_message_sealed_recipient_denouncer_vault'), 'outbox_message')
    op.drop_column('outbox_message', 'sealed_recipient')
    op.drop_constraint(op.f('ck_booking_denouncer_sealed'), 'booking')
    op.drop_constraint(op.f('fk_booking_sealed_identity_denouncer_vault'), 'booking')
    op.drop_column('booking', 'sealed_identity')
