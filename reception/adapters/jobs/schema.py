"""The job queue's own schema: procrastinate's SQL, applied by our Alembic migration 0006 and
kept out of the models-versus-migrations comparison (it is not in our SQLAlchemy metadata)."""

from __future__ import annotations

from importlib import resources

import procrastinate

PREFIX = "procrastinate_"
# The schema SQL migration 0006 applied; a later procrastinate release needs a new migration
# that applies its files under procrastinate/sql/migrations/ (see docs of procrastinate).
SCHEMA_VERSION = "3.10.0"


def queue_schema_sql() -> str:
    """procrastinate's schema.sql of the pinned release."""
    if procrastinate.__version__ != SCHEMA_VERSION:
        raise RuntimeError(f"procrastinate {procrastinate.__version__} is installed but the "
                           f"migrations apply the schema of {SCHEMA_VERSION}: add a migration")
    return (resources.files("procrastinate.sql") / "schema.sql").read_text(encoding="utf-8")


def is_queue_object(name: str | None) -> bool:
    return bool(name) and str(name).startswith(PREFIX)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic `include_name` hook: the queue's tables are the library's, not our models."""
    return not (type_ == "table" and is_queue_object(name))
