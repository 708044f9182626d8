"""Validate HTML form input with pydantic models and report errors per field, translated."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from reception.i18n_marker import N_
from reception.web.days import DAY_MESSAGE, OUT_OF_RANGE
from reception.web.i18n import gettext
from reception.web.text import ONE_LINE, ONE_LINE_MESSAGE

M = TypeVar("M", bound=BaseModel)


def parse_form(model: type[M], form: Mapping[str, object],
               messages: Mapping[str, str]) -> tuple[M | None, dict[str, str]]:
    """The validated model, or None and {field: human message}.

    `messages` maps a field to the msgid shown when it is invalid (pydantic's own messages are
    English and technical).
    """
    try:
        return model.model_validate(dict(form)), {}
    except ValidationError as error:
        errors: dict[str, str] = {}
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "__all__"
            if item["type"] == OUT_OF_RANGE:  # a real day, but not one we can take: say which
                errors.setdefault(field, gettext(DAY_MESSAGE).format(**item.get("ctx", {})))
            if item["type"] == ONE_LINE:  # a line break in a name: say so, not "enter a name"
                errors.setdefault(field, gettext(ONE_LINE_MESSAGE))
            errors.setdefault(field, gettext(messages.get(field, N_("Check this value."))))
        return None, errors
