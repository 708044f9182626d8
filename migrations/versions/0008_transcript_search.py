"""full-text search over transcript segments

An IMMUTABLE wrapper around unaccent (the extension's own function is only STABLE, because its
dictionary could change, so it may not appear in an index or a generated column), a stored
tsvector column generated from each segment's current text, and a GIN index over it.

The column and the index are named `fts_*`: the models do not declare them (the worker and the
review editor never write them; PostgreSQL keeps them current on every INSERT/UPDATE of
`text`), so migrations/env.py and tests/integration/test_database.py leave `fts_*` names out
of the models-versus-database comparison.

Revision ID: 0008_transcript_search
Revises: 0005_transcripts
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0008_transcript_search'
down_revision: str | tuple[str, ...] | None = '0005_transcripts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Schema-qualified so the function works whatever the caller's search_path.
    op.execute(
        "CREATE FUNCTION public.immutable_unaccent(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
        "AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$")
    # 'simple': no stemming or stop words (PostgreSQL has no Vietnamese dictionary, and every
    # syllable of Vietnamese is a word of its own); lower() before unaccent so 'Đ' becomes 'd'.
    op.execute(
        "ALTER TABLE transcript_segment ADD COLUMN fts_document tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', public.immutable_unaccent(lower(text)))) "
        "STORED")
    op.execute("CREATE INDEX fts_transcript_segment_document ON transcript_segment "
               "USING gin (fts_document)")
    # For ts_headline only: it re-parses the original text, so it needs a configuration that
    # strips diacritics itself to find the words the unaccented query matched.
    op.execute("CREATE TEXT SEARCH CONFIGURATION public.fts_unaccent (COPY = pg_catalog.simple)")
    op.execute("ALTER TEXT SEARCH CONFIGURATION public.fts_unaccent "
               "ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, simple")


def downgrade() -> None:
    op.execute("DROP TEXT SEARCH CONFIGURATION public.fts_unaccent")
    op.execute("DROP INDEX fts_transcript_segment_document")
    op.execute("ALTER TABLE transcript_segment DROP COLUMN fts_document")
    op.execute("DROP FUNCTION public.immutable_unaccent(text)")
