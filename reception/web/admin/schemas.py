"""Input schemas for agencies and staff, shared by the JSON API and the admin forms."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, EmailStr, Field, field_validator

from reception.domain.organisation import AgencyLevel, StaffRole
from reception.web.text import OneLine


class AgencyIn(BaseModel):
    code: str = Field(pattern=r"^[A-Za-z0-9_.-]{2,32}$")
    name: OneLine = Field(min_length=3, max_length=255)
    level: AgencyLevel
    parent_id: uuid.UUID | None = None


class StaffIn(BaseModel):
    agency_id: uuid.UUID
    login: str = Field(pattern=r"^[A-Za-z0-9_.@-]{3,64}$")
    full_name: OneLine = Field(min_length=2, max_length=255)
    email: EmailStr | None = None
    password: str = Field(min_length=10, max_length=256)
    roles: list[StaffRole] = Field(min_length=1)


class AgencyForm(AgencyIn):
    """HTML forms send an empty string for "no parent"."""

    @field_validator("parent_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return value or None


class StaffForm(StaffIn):
    """HTML forms send an empty string for "no e-mail"."""

    @field_validator("email", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return value or None
