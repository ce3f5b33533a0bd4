"""A message is an English template (its id, gettext-style) with named parameters.

Raise sites pass the template and the parameters, never a formatted sentence; the text is
rendered in the reader's language only when an answer is written (`render`). A template the
catalog lacks is rendered in English, so a message added elsewhere is never lost, only
untranslated (and `tests/unit/kernel/test_i18n_catalog.py` names it).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dojang.kernel.i18n import ko
from dojang.kernel.i18n.languages import Language

_CATALOGS: dict[Language, Mapping[str, str]] = {"ko": ko.CATALOG, "en": {}}


@dataclass(frozen=True)
class Message:
    """A template and the values of its `{placeholders}`."""

    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, language: Language) -> str:
        """The message as a sentence in `language`."""
        return render(self.template, self.params, language)


def message_to_json(message: Message) -> dict[str, Any]:
    """A message as JSON, to be stored and rendered later in its reader's language."""
    return {
        "template": message.template,
        "params": {
            name: {"message": message_to_json(value)} if isinstance(value, Message) else value
            for name, value in message.params.items()
        },
    }


def message_from_json(stored: Mapping[str, Any]) -> Message:
    """The message `message_to_json` wrote."""
    params: dict[str, object] = {}
    for name, value in dict(stored.get("params") or {}).items():
        nested = value.get("message") if isinstance(value, dict) else None
        params[name] = message_from_json(nested) if isinstance(nested, dict) else value
    return Message(str(stored["template"]), params)


def msg(template: str, **params: object) -> Message:
    """A message from its English template (a literal, so the catalog test finds it)."""
    return Message(template, params)


class MessageError(ValueError):
    """A `ValueError` that carries its message, for validators pydantic runs."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.render("en"))
        self.message = message


def placeholders(template: str) -> set[str]:
    """The names of the `{placeholders}` of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def render(template: str, params: Mapping[str, object], language: Language) -> str:
    """`template` in `language`, its placeholders filled from `params`.

    Text that is no template (a sentence another service already rendered) comes back as it is.
    """
    translated = _CATALOGS[language].get(template, template)
    if not params:
        return translated
    # a value that is itself a message (a status, a kind of leave) speaks the same language
    values = {
        name: value.render(language) if isinstance(value, Message) else value
        for name, value in params.items()
    }
    try:
        return translated.format_map(values)
    except (KeyError, IndexError, ValueError):
        return template.format_map(_Missing(values))


class _Missing(dict[str, object]):
    """Parameters where a missing one shows as its own `{name}` rather than failing."""

    def __init__(self, params: Mapping[str, object]) -> None:
        super().__init__(params)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
