"""transcript search: the GIN index keyed by the week of the hearing too

The GIN index of 0008 answers "which lines hold these words" for the whole table: a word found
in one line in a hundred yields ten thousand lines at 1M and a hundred thousand at 10M, each
read from the heap before the newest of them can be picked. This index holds the same words
and, as a second key (btree_gin), the week of each line's hearing (the recency copy of
sr_0001), so that one index scan answers "which lines of these weeks hold these words" and
reads from the heap only those: a window of recent weeks costs the same whatever the size of
the table (reception/adapters/db/repositories/transcripts/candidates.py sizes the window).

A query on the words alone uses this index as it used the old one, which it replaces.

Revision ID: sr2_0001_search_weekly_gin
Revises: sr_0001_search_recency
"""
from collections.abc import Sequence

from alembic import op

revision: str = 'sr2_0001_search_weekly_gin'
down_revision: str | tuple[str, ...] | None = 'sr_0001_search_recency'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    # Weeks since the epoch: an epoch is the same instant in every time zone, so the function
    # is immutable (extract() on timestamptz is only stable, for its other fields).
    op.execute(
        "CREATE FUNCTION public.fts_week(timestamptz) RETURNS integer "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
        "AS $$ SELECT floor(extract(epoch FROM $1) / 604800)::integer $$")
    op.execute("CREATE INDEX fts_transcript_segment_weekly ON transcript_segment "
               "USING gin (public.fts_week(fts_heard_at), fts_document)")
    op.execute("DROP INDEX fts_transcript_segment_document")


def downgrade() -> None:
    op.execute("CREATE INDEX fts_transcript_segment_document ON transcript_segment "
               "USING gin (fts_document)")
    op.execute("DROP INDEX fts_transcript_segment_weekly")
    op.execute("DROP FUNCTION public.fts_week(timestamptz)")
