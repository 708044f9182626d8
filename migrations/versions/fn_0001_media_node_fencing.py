"""media node fencing: each registration of a media node has a generation

- media_node.generation: a number the database hands out (sequence media_node_generation)
  each time a node registers; a node that re-registers under the same name gets a new one.
  Adopting a dead node's hearings deletes its row, ending its generation.
- hearing.media_generation: the generation the hearing is pinned to, with hearing.media_node.
  A node writes about a hearing (recordings, interruption, transcription job) only while the
  hearing is pinned to its live generation (docs/deployment.md "Media nodes").

Revision ID: fn_0001_media_node_fencing
Revises: mp_0001_media_nodes
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'fn_0001_media_node_fencing'
down_revision: str | tuple[str, ...] | None = 'mp_0001_media_nodes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE SEQUENCE media_node_generation")
    op.add_column('media_node', sa.Column(
        'generation', sa.BigInteger(), nullable=False,
        server_default=sa.text("nextval('media_node_generation')")))
    op.create_unique_constraint('uq_media_node_generation', 'media_node', ['generation'])
    op.add_column('hearing', sa.Column('media_generation', sa.BigInteger(), nullable=True))
    # Hearings pinned to a node running now keep it, at the generation just given to it.
    op.execute("UPDATE hearing SET media_generation = media_node.generation FROM media_node "
               "WHERE hearing.media_node = media_node.name")


def downgrade() -> None:
    op.drop_column('hearing', 'media_generation')
    op.drop_constraint('uq_media_node_generation', 'media_node')
    op.drop_column('media_node', 'generation')
    op.execute("DROP SEQUENCE media_node_generation")
