"""Errors services raise; web/errors.py maps each class to an HTTP status and a stable code."""

from __future__ import annotations

from reception.i18n_marker import N_

FILE_ALTERED = N_("This file no longer matches the fingerprint recorded when it was stored: it "
                  "was changed since, so it is not given out. The administrator has been told.")


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


class FileAltered(Conflict):
    """A stored file's bytes no longer hash to the SHA-256 it was stored under (content
    addressing): it was changed on disk. The stores refuse to return it, so that an altered file
    is never served nor copied into a case file (docs/evidence.md)."""

    code = "file_altered"

    def __init__(self, sha256: str) -> None:
        super().__init__(FILE_ALTERED)
        self.sha256 = sha256
