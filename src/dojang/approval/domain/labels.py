"""What the API's choice values are called, for people: statuses, kinds of leave, categories.

The values stay machine values (clients branch on them); each label is an English message
whose Korean comes from the catalog, so `labelled` answers both beside the value.
"""

from __future__ import annotations

from collections.abc import Mapping

from dojang.kernel.i18n import LANGUAGES, Message, msg

STATUSES: Mapping[str, Message] = {
    "draft": msg("draft"),
    "in_progress": msg("in progress"),
    "approved": msg("approved"),
    "rejected": msg("rejected"),
    "withdrawn": msg("withdrawn"),
}
STAGE_STATUSES: Mapping[str, Message] = {
    "waiting": msg("waiting"),
    "active": msg("in progress"),
    "approved": msg("approved"),
    "rejected": msg("rejected"),
    "skipped": msg("skipped"),
}
LEAVE_TYPES: Mapping[str, Message] = {
    "annual": msg("Annual leave"),
    "half_day_am": msg("Half day (morning)"),
    "half_day_pm": msg("Half day (afternoon)"),
    "sick": msg("Sick leave"),
    "family_event": msg("Family event leave"),
    "other": msg("Other leave"),
}
EXPENSE_CATEGORIES: Mapping[str, Message] = {
    "travel": msg("Travel"),
    "meals": msg("Meals"),
    "supplies": msg("Supplies"),
    "equipment": msg("Equipment"),
    "training": msg("Training"),
    "other": msg("Other"),
}


def status_label(status: str) -> Message:
    """A document or line status as people say it."""
    return STATUSES.get(status) or STAGE_STATUSES.get(status) or Message(status)


def labelled(labels: Mapping[str, Message], value: str) -> dict[str, str]:
    """`{"value": ..., "label_ko": ..., "label_en": ...}` for one choice."""
    label = labels.get(value, Message(value))
    return {"value": value, **{f"label_{lang}": label.render(lang) for lang in LANGUAGES}}
