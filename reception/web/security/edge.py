"""Input checked at the edge, once, for every route: the request class itself cleans what a
handler can read. Text is NFC-normalised (a name typed as decomposed Vietnamese is the same
name); control characters are refused with the field's name (PostgreSQL cannot store NUL, and
no form of ours needs any); a JSON body must be UTF-8, at most `MAX_JSON_BYTES`, nested at
most `MAX_JSON_DEPTH` deep. Handlers and pydantic schemas therefore only ever see clean text,
whichever engineer wrote them and whether or not they remembered to ask."""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import Any

from quart import Quart, Request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property

MAX_JSON_DEPTH = 32
MAX_JSON_BYTES = 1024 * 1024
# C0 controls but tab, line feed and carriage return (text of several lines needs them; a
# one-line field refuses them as well, web/text.py); DEL; C1 controls.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]")


class InvalidText(Exception):
    """kind: "control" (422, names the field), "utf8" or "depth" (400)."""

    def __init__(self, kind: str, field: str = "") -> None:
        super().__init__(f"{kind}: {field}")
        self.kind, self.field = kind, field


def clean_text(value: str, field: str) -> str:
    if CONTROL.search(value):
        raise InvalidText("control", field)
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def clean_json(value: Any, path: str = "") -> Any:
    if isinstance(value, str):
        return clean_text(value, path or "body")
    if isinstance(value, list):
        return [clean_json(v, f"{path}.{i}" if path else str(i)) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {clean_text(k, path or "body"): clean_json(v, f"{path}.{k}" if path else k)
                for k, v in value.items()}
    return value


def json_depth(text: str) -> int:
    """Nesting depth of a JSON text, without parsing it (strings removed, brackets counted)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return 0
    brackets = _NOT_BRACKET.sub("", _STRINGS.sub("", text))
    steps = (1 if c in "[{" else -1 for c in brackets)
    return max(itertools.accumulate(steps), default=0)


def clean_pairs(data: MultiDict[str, str], cls: type[MultiDict[str, str]]) -> MultiDict[str, str]:
    return cls([(clean_text(k, k), clean_text(v, k)) for k, v in data.items(multi=True)])


class EdgeRequest(Request):
    _form_clean = False

    @cached_property
    def args(self) -> MultiDict[str, str]:
        raw = super().args
        return clean_pairs(raw, type(raw))

    async def _load_form_data(self) -> None:
        await super()._load_form_data()
        if not self._form_clean and self._form is not None:
            self._form = clean_pairs(self._form, type(self._form))
            self._form_clean = True

    async def get_json(self, force: bool = False, silent: bool = False,
                       cache: bool = True) -> Any:
        if cache and self._cached_json[silent] is not Ellipsis:
            return self._cached_json[silent]
        if not (force or self.is_json):
            return None
        raw: bytes = await self.get_data(cache, False, False)
        if len(raw) > MAX_JSON_BYTES:
            raise RequestEntityTooLarge()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidText("utf8") from None
        if json_depth(text) > MAX_JSON_DEPTH:
            raise InvalidText("depth")
        try:
            result = clean_json(self.json_module.loads(text))
        except (ValueError, RecursionError) as error:
            result = None if silent else self.on_json_loading_failed(error)
        if cache:
            self._cached_json[silent] = result
        return result


TEXT_TYPES = ("application/x-www-form-urlencoded", "text/plain")


async def check_body_encoding() -> None:
    """before_request: a text body (a form, plain text) must be UTF-8."""
    from quart import request

    # The method first: parsing the Content-Type is the dearer test, and GETs carry no body.
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.mimetype in TEXT_TYPES:
        try:
            body: bytes = await request.get_data(True, False, False)
            body.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidText("utf8") from None


def install(app: Quart) -> None:
    app.request_class = EdgeRequest
    app.before_request(check_body_encoding)
