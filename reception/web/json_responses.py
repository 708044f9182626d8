"""The JSON of every response: orjson, and no second pass over plain values.

A handler returns plain dicts and lists (web/*/shapes.py builds them). Quart's default provider
serialises them with the standard library's encoder, and quart-schema first walks every
returned dict through a pydantic TypeAdapter built for that response — on the case list that is
a tenth of the request's time for no change in the output. Here plain dicts and lists go
straight to orjson; anything else (a pydantic model, a dataclass) still takes quart-schema's
conversion.
"""

from __future__ import annotations

from typing import Any, cast

import orjson
from quart import Quart, Response
from quart.json.provider import DefaultJSONProvider


class OrjsonProvider(DefaultJSONProvider):
    """Same output as Quart's default (keys sorted, compact, UUIDs and dataclasses understood),
    in UTF-8 rather than \\u escapes, and dates in ISO 8601 rather than HTTP's format."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return self._bytes(obj).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        return Response(self._bytes(obj) + b"\n", mimetype=self.mimetype)

    def _bytes(self, obj: Any) -> bytes:
        return orjson.dumps(obj, default=_default,
                            option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


def _default(value: Any) -> Any:
    if hasattr(value, "__html__"):  # markupsafe.Markup and its kind, as Quart's default does
        return str(value.__html__())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def install(app: Quart) -> None:
    """Call after QuartSchema(app): plain values skip its conversion (see the module's doc)."""
    app.json = OrjsonProvider(app)
    converting = app.make_response  # quart-schema's wrapper around Quart's own
    plain = Quart.make_response.__get__(app)

    async def make_response(result: Any) -> Response:
        value = result[0] if isinstance(result, tuple) else result
        made = await (plain if type(value) in (dict, list) else converting)(result)
        return cast(Response, made)  # the app's response_class is Quart's Response

    app.make_response = make_response  # type: ignore[method-assign]

