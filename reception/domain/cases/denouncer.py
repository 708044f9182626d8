"""A denouncer's identifying data (LTC Art. 23(1)): kept only sealed in the vault."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class DenouncerIdentity:
    full_name: str
    address: str
    id_number: str | None = None
    id_type: str | None = None
    contact: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)
