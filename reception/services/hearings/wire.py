"""What crosses between a web process and a media node, as JSON: the media effects of a use
case, the answer to an offer, and the room's view. The effect types come from the lifecycle's
own `Effect` union, so a new media effect cannot be left out of the wire by mistake."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, get_args

from pydantic import TypeAdapter

from reception.domain.hearings.lifecycle import Effect, Publish, QueueTranscription
from reception.services.hearings.ports import Answer, MediaFlags, RoomView

# Effects a node performs; Publish goes to the room events and QueueTranscription commits with
# the state, both on the side that decided.
MEDIA_EFFECTS: dict[str, type[Any]] = {
    kind.__name__: kind for kind in get_args(Effect) if kind not in (Publish, QueueTranscription)}
_ADAPTERS = {name: TypeAdapter(kind) for name, kind in MEDIA_EFFECTS.items()}
ANSWER, FLAGS, VIEW = TypeAdapter(Answer), TypeAdapter(MediaFlags), TypeAdapter(RoomView)


class WireError(ValueError):
    """A message that does not describe media effects, an answer or a view."""


def effects_out(effects: Sequence[Effect]) -> list[dict[str, Any]]:
    return [{"effect": type(e).__name__, **_ADAPTERS[type(e).__name__].dump_python(e, mode="json")}
            for e in effects]


def effects_in(data: object) -> list[Effect]:
    if not isinstance(data, list):
        raise WireError("effects must be a list")
    effects = []
    for item in data:
        if not isinstance(item, dict) or item.get("effect") not in _ADAPTERS:
            raise WireError(f"unknown effect: {item!r}"[:200])
        fields = {k: v for k, v in item.items() if k != "effect"}
        try:
            effects.append(_ADAPTERS[item["effect"]].validate_python(fields))
        except ValueError as error:
            raise WireError(str(error)) from None
    return effects
