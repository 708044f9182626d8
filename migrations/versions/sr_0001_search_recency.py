"""transcript search in recency order: each line carries its agency and its hearing's start

A GIN index finds the lines containing some words but in no useful order, so ranking or
sorting every match costs time in proportion to the matches. These two columns let a btree
walk one agency's lines newest first (hearing start, then position in the hearing), so the
newest matches of a frequent term are found after a few thousand lines, whatever the size of
the table (reception/adapters/db/repositories/transcripts/candidates.py chooses the walk or the
GIN index).

The columns are copies (a generated column may not read another table), kept by triggers in
the database so that every way of writing a line (the worker, a re-transcription, a restore,
COPY) fills them: on INSERT from the line's transcript and hearing, and again whenever a
transcript's agency or a hearing's start changes. The search still checks the transcript's own
agency before it shows a line, so a stale copy could hide a line but never show one to
another agency.

Named `fts_*` like the tsvector of 0008: the models do not declare them and the
models-versus-database comparison leaves them out.

Revision ID: sr_0001_search_recency
Revises: 0008_transcript_search
"""
from collections.abc import Sequence

from alembic import op

revision: str = 'sr_0001_search_recency'
down_revision: str | tuple[str, ...] | None = '0008_transcript_search'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The hearing's start as the search shows it (recording start, else opening).
HEARD_AT = "coalesce(h.recording_started_at, h.opened_at)"


def upgrade() -> None:
    op.execute("ALTER TABLE transcript_segment ADD COLUMN fts_agency_id uuid, "
               "ADD COLUMN fts_heard_at timestamptz")
    # The lines written before this migration (the triggers below keep new ones).
    op.execute(f"""
        UPDATE transcript_segment s SET fts_agency_id = t.agency_id, fts_heard_at = {HEARD_AT}
        FROM transcript t JOIN hearing h ON h.id = t.hearing_id WHERE t.id = s.transcript_id""")
    op.execute("ALTER TABLE transcript_segment ALTER COLUMN fts_agency_id SET NOT NULL, "
               "ALTER COLUMN fts_heard_at SET NOT NULL")
    op.execute(f"""
        CREATE FUNCTION public.fts_segment_keys() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            SELECT t.agency_id, {HEARD_AT} INTO NEW.fts_agency_id, NEW.fts_heard_at
            FROM public.transcript t JOIN public.hearing h ON h.id = t.hearing_id
            WHERE t.id = NEW.transcript_id;
            RETURN NEW;
        END $$""")
    op.execute("CREATE TRIGGER fts_segment_keys BEFORE INSERT OR UPDATE OF transcript_id, "
               "fts_agency_id, fts_heard_at ON transcript_segment "
               "FOR EACH ROW EXECUTE FUNCTION public.fts_segment_keys()")
    # A change upstream rewrites the copies (the row trigger above recomputes them).
    op.execute("""
        CREATE FUNCTION public.fts_transcript_moved() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE public.transcript_segment SET fts_agency_id = NULL WHERE transcript_id = NEW.id;
            RETURN NULL;
        END $$""")
    op.execute("CREATE TRIGGER fts_transcript_moved AFTER UPDATE OF agency_id ON transcript "
               "FOR EACH ROW WHEN (OLD.agency_id IS DISTINCT FROM NEW.agency_id) "
               "EXECUTE FUNCTION public.fts_transcript_moved()")
    op.execute("""
        CREATE FUNCTION public.fts_hearing_moved() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE public.transcript_segment s SET fts_heard_at = NULL
            FROM public.transcript t WHERE t.hearing_id = NEW.id AND s.transcript_id = t.id;
            RETURN NULL;
        END $$""")
    op.execute("CREATE TRIGGER fts_hearing_moved AFTER UPDATE OF recording_started_at, opened_at "
               "ON hearing FOR EACH ROW WHEN (coalesce(OLD.recording_started_at, OLD.opened_at) "
               "IS DISTINCT FROM coalesce(NEW.recording_started_at, NEW.opened_at)) "
               "EXECUTE FUNCTION public.fts_hearing_moved()")
    # One agency's lines, newest hearing first, then by position (id: a total order).
    op.execute("CREATE INDEX fts_transcript_segment_recent ON transcript_segment "
               "(fts_agency_id, fts_heard_at, start_ms, id)")


def downgrade() -> None:
    op.execute("DROP INDEX fts_transcript_segment_recent")
    op.execute("DROP TRIGGER fts_hearing_moved ON hearing")
    op.execute("DROP FUNCTION public.fts_hearing_moved()")
    op.execute("DROP TRIGGER fts_transcript_moved ON transcript")
    op.execute("DROP FUNCTION public.fts_transcript_moved()")
    op.execute("DROP TRIGGER fts_segment_keys ON transcript_segment")
    op.execute("DROP FUNCTION public.fts_segment_keys()")
    op.execute("ALTER TABLE transcript_segment DROP COLUMN fts_agency_id, DROP COLUMN fts_heard_at")
