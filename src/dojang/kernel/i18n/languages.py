"""Which language an answer speaks: `Accept-Language` (RFC 9110) against Korean and English."""

from __future__ import annotations

from typing import Literal, get_args

Language = Literal["ko", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "ko"


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def negotiate(accept_language: str | None, default: Language = DEFAULT_LANGUAGE) -> Language:
    """The supported language the header prefers most; `default` when it names none of them.

    `en`, `en-US`, ... mean English and `ko`, `ko-KR`, ... Korean; a range of quality 0 is
    refused; `*` and unknown languages leave the choice to `default`. Among equal qualities
    the first listed wins.
    """
    best: tuple[float, Language] | None = None
    for entry in (accept_language or "").split(","):
        tag, *parameters = entry.split(";")
        primary = tag.strip().lower().split("-")[0]
        quality = _quality(parameters)
        if primary not in LANGUAGES or quality <= 0:
            continue
        language: Language = "en" if primary == "en" else "ko"
        if best is None or quality > best[0]:
            best = (quality, language)
    return default if best is None else best[1]
