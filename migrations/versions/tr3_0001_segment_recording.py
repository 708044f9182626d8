"""which recording each transcript line was transcribed from

- transcript_segment.recording_path: the recording (its path, as recording.path and
  transcript_track.recording_path) a line was transcribed from. After a recorder restart a
  member has several recordings (`<id>-2.*`); the review page plays each line from its own
  file at its own offset, where it played every line of a member from their first file.
- Lines stored before keep NULL: which file they came from was not recorded. The review page
  plays them from the speaker's recording that had started by the line's time (the latest),
  which is the one it came from unless two of that speaker's recordings overlap.

Revision ID: tr3_0001_segment_recording
Revises: tr2_0001_unreadable_recordings
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'tr3_0001_segment_recording'
down_revision: str | tuple[str, ...] | None = 'tr2_0001_unreadable_recordings'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('transcript_segment', sa.Column('recording_path', sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column('transcript_segment', 'recording_path')
