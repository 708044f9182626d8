"""The one-line text type of every form and JSON body (domain/text.py says what one line is):
`OneLine` refuses a line break, a control character or a bidirectional override with the error
type `one_line`, which web/forms.py shows at the field and web/errors.py answers with 422
naming the field. Fields of several lines (summaries, notes, transcript text) stay `str`."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from reception.domain.text import is_one_line
from reception.i18n_marker import N_

ONE_LINE = "one_line"  # pydantic's error type
ONE_LINE_MESSAGE = N_("Enter this on one line, without line breaks or invisible control "
                      "characters.")
ONE_LINE_FIELD = N_("{field}: this text must be on one line, without line breaks or invisible "
                    "control characters.")


def _one_line(value: str) -> str:
    if not is_one_line(value):
        raise PydanticCustomError(ONE_LINE, "must be one line, without line breaks or control "
                                            "characters")
    return value


OneLine = Annotated[str, AfterValidator(_one_line)]
