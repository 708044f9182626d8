"""a case's next due day is the office's duty, not a party's window or an effect day

Data only. `case_file.next_due` / `next_rule` were the earliest running clock of any kind, so a
case whose decision was sent counted the complainant's second-complaint window (C-7, D-2) or the
day the decision takes effect (C-8, C-11, D-6) as the office's overdue (docs/law.md §1 "Whose").
From the running clocks already stored in `case_obligation`, each such case gets the earliest
running, unpaused duty instead (none: NULL). The rule ids are those of
reception/domain/law/rules/time_limits.toml marked `party` or `effect` when this was written.

Revision ID: dl_0001_next_due_is_the_office_s
Revises: 0003_cases
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'dl_0001_next_due_is_the_office_s'
down_revision: str | tuple[str, ...] | None = '0003_cases'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_DUTIES = ["R-2b", "R-5", "P-7", "C-1", "C-4", "C-7", "C-8", "C-11", "C-16", "C-17", "D-1",
              "D-2", "D-6", "T-9"]


def upgrade() -> None:
    op.get_bind().execute(sa.text("""
        UPDATE case_file AS c SET next_due = duty.due, next_rule = duty.rule_id
        FROM case_file AS f
        LEFT JOIN LATERAL (
            SELECT o.due, o.rule_id FROM case_obligation AS o
            WHERE o.case_id = f.id AND NOT o.paused AND o.rule_id <> ALL(:not_duties)
            ORDER BY o.due, o.rule_id LIMIT 1) AS duty ON true
        WHERE c.id = f.id AND f.next_rule = ANY(:not_duties)
    """), {"not_duties": NOT_DUTIES})


def downgrade() -> None:
    """Nothing to undo: the next action on each case recomputes the column either way."""
