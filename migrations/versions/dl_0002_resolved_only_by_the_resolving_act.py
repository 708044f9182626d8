"""a case is resolved only by its resolution decision or conclusion

Data only. `case_file.resolved_on` / `resolved_on_time` were set whenever a resolution clock
stopped, and reaching a terminal state stops every clock: a complaint taken to court, terminated
or escalated after its first period ran out, a denunciation terminated or taken over, counted as
resolved (mostly "on time"). Only the resolving act resolves (docs/law.md §2.0: `sign_decision`,
LKN Arts. 28, 31, 37, 40; `conclude`, LTC Art. 35): cases with neither in their history lose
the two columns.

Revision ID: dl_0002_resolved_by_decision
Revises: dl_0001_next_due_is_the_office_s
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'dl_0002_resolved_by_decision'
down_revision: str | tuple[str, ...] | None = 'dl_0001_next_due_is_the_office_s'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESOLVING_ACTS = ["sign_decision", "conclude"]


def upgrade() -> None:
    op.get_bind().execute(sa.text("""
        UPDATE case_file AS c SET resolved_on = NULL, resolved_on_time = NULL
        WHERE c.resolved_on IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM case_event AS e WHERE e.case_id = c.id AND e.action = ANY(:acts))
    """), {"acts": RESOLVING_ACTS})


def downgrade() -> None:
    """Nothing to restore: the columns were wrong."""
