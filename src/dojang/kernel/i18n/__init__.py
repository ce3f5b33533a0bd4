"""The API's user-facing text in Korean (the default) and English; see `docs/i18n.md`."""

from dojang.kernel.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, Language, negotiate
from dojang.kernel.i18n.messages import Message, MessageError, msg, render

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Language",
    "Message",
    "MessageError",
    "msg",
    "negotiate",
    "render",
]
