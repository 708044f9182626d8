"""job queue: procrastinate's schema (tables, types, functions, triggers)

Revision ID: 0006_job_queue
Revises: 0005_transcripts
Create Date: 2026-11-24 14:00:00
"""
from collections.abc import Sequence

from alembic import op
from sqlalchemy.util import await_only

from reception.adapters.jobs.schema import queue_schema_sql

revision: str = '0006_job_queue'
down_revision: str | tuple[str, ...] | None = '0005_transcripts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _run_script(sql: str) -> None:
    # A script of many statements and $$-bodies: asyncpg runs it as one simple query, which
    # SQLAlchemy's prepared-statement path cannot. Same connection, same transaction.
    driver = op.get_bind().connection.dbapi_connection.driver_connection  # type: ignore[union-attr]
    await_only(driver.execute(sql))


def upgrade() -> None:
    _run_script(queue_schema_sql())


def downgrade() -> None:
    _run_script("""
        DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers,
            procrastinate_jobs, procrastinate_workers CASCADE;
        DO $$
        DECLARE f record;
        BEGIN
            FOR f IN SELECT oid::regprocedure AS signature FROM pg_proc
                     WHERE proname LIKE 'procrastinate\\_%' LOOP
                EXECUTE 'DROP FUNCTION ' || f.signature || ' CASCADE';
            END LOOP;
        END $$;
        DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type,
            procrastinate_job_status CASCADE;
    """)
