"""SQLAlchemy table mappings, one module per capability: the single source of truth for
Alembic's autogenerate. Importing the package registers every table in `Base.metadata`."""

from reception.adapters.db.tables import (
    booking,
    cases,
    hearings,
    integrity,
    media_nodes,
    organisation,
    security,
    signing,
    transcripts,
)
from reception.adapters.db.tables.base import Base

__all__ = ["Base", "booking", "cases", "hearings", "integrity", "media_nodes", "organisation", "security",
           "signing",
           "transcripts"]
