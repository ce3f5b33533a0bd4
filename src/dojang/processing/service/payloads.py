"""Reading the data of a consumed event: its schema, and the key it must be about."""

from __future__ import annotations

from operator import attrgetter
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from dojang.kernel.bus.envelope import Event


class UnusableEvent(ValueError):
    """An event whose payload cannot be applied (it goes to the dead letters)."""


_Payload = TypeVar("_Payload", bound=BaseModel)


def parse(model: type[_Payload], event: Event, *, key_field: str = "approval_id") -> _Payload:
    """The event's data as `model`; `UnusableEvent` if it does not fit or is about another key.

    `key_field` names the field the event is keyed by, dotted if nested (`employee.id`).
    """
    try:
        payload = model.model_validate(event.data)
    except ValidationError as exc:
        raise UnusableEvent(f"{event.type} with an unusable payload: {exc}") from exc
    about = attrgetter(key_field)(payload)
    if about != event.aggregate_id:
        raise UnusableEvent(f"{event.type} keyed {event.aggregate_id} is about {about}")
    return payload
