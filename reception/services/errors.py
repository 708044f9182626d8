"""Errors services raise; web/errors.py maps each class to an HTTP status and a stable code."""

from __future__ import annotations


class ServiceError(Exception):
    """Base: carries a message a person understands (translated at the edge)."""

    code = "error"

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


class NotFound(ServiceError):
    code = "not_found"


class Conflict(ServiceError):
    code = "conflict"


class Invalid(ServiceError):
    code = "invalid"


class Forbidden(ServiceError):
    code = "forbidden"


class AuthenticationFailed(ServiceError):
    code = "authentication_failed"


class Unavailable(ServiceError):
    """A dependency (the database) cannot be reached right now: 503 with Retry-After."""

    code = "unavailable"
