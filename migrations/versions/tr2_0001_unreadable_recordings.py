"""why a member's recording could not be transcribed, as data

- transcript_track.unreadable: "missing", "empty" or "undecodable" beside the technical
  `problem` text, on every recording that could not be read. The review page, the approval
  (which asks the official to acknowledge that these speakers' words are not in the
  transcript) and the signed hearing record name each such recording; until now only the
  transcript's free-text `error` said so, and only while the transcript had failed.
- Recordings already stored with a problem get their reason from the problem's text (the
  pipeline wrote "... could not be read (no such file)." / "(file is empty)." / the decoder's
  error).

Revision ID: tr2_0001_unreadable_recordings
Revises: tr_0001_uncertain_lines
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'tr2_0001_unreadable_recordings'
down_revision: str | tuple[str, ...] | None = 'tr_0001_uncertain_lines'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('transcript_track', sa.Column('unreadable', sa.String(length=16), nullable=True))
    op.execute("""
        UPDATE transcript_track SET unreadable = CASE
            WHEN problem LIKE '%(no such file).' THEN 'missing'
            WHEN problem LIKE '%(file is empty).' THEN 'empty'
            ELSE 'undecodable' END
        WHERE problem IS NOT NULL
    """)
    op.create_check_constraint(op.f('ck_transcript_track_unreadable_known'), 'transcript_track',
                               "unreadable IN ('missing', 'empty', 'undecodable')")
    op.create_check_constraint(op.f('ck_transcript_track_problem_has_reason'),
                               'transcript_track', '(problem IS NULL) = (unreadable IS NULL)')


def downgrade() -> None:
    op.drop_constraint(op.f('ck_transcript_track_problem_has_reason'), 'transcript_track',
                       type_='check')
    op.drop_constraint(op.f('ck_transcript_track_unreadable_known'), 'transcript_track',
                       type_='check')
    op.drop_column('transcript_track', 'unreadable')
