"""What every event contract is made of: the model base and the shapes topics share."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer

from dojang.kernel.bus.envelope import Event


def _rfc3339(instant: datetime) -> str:
    return instant.isoformat()


Id = Annotated[str, Field(min_length=1)]
"""An employee, document, task or other id."""
Text = Annotated[str, Field(pattern=r"\S")]
"""A name, title or body: never blank."""
Index = Annotated[int, Field(ge=0)]
"""A position from zero, such as a stage of the line."""
DocumentVersion = Annotated[int, Field(ge=1)]
"""A document's version: 1 at submission, one more at each resubmission."""
Instant = Annotated[AwareDatetime, PlainSerializer(_rfc3339, return_type=str, when_used="json")]
"""A time with its offset, written as `datetime.isoformat` writes it."""
StageKind = Literal["approval", "agreement"]
"""What a stage of the line asks its approvers for: approval (결재) or agreement (합의)."""


class Person(BaseModel):
    """An employee as documents show them: `{id, name}`."""

    model_config = ConfigDict(frozen=True)

    id: Id
    name: Text


class EventData(BaseModel):
    """The `data` of one event type; `type` names it in the envelope.

    Fields a consumer does not know are ignored, so a producer may add one without
    breaking anyone.
    """

    model_config = ConfigDict(frozen=True)

    type: ClassVar[str]

    def to_event(self, aggregate_id: str, *, at: datetime) -> Event:
        """The envelope carrying this data, keyed by `aggregate_id`."""
        return Event(
            type=self.type,
            aggregate_id=aggregate_id,
            data=self.model_dump(mode="json"),
            occurred_at=at,
        )


def by_type(*models: type[EventData]) -> Mapping[str, type[EventData]]:
    """The models of one topic, by the event type each carries."""
    return {model.type: model for model in models}
