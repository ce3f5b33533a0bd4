"""Korean full-text search of approval documents: the words of a query, the text of a
document, how well it matches and where (docs/search.md).

Korean glues particles (조사) to the word before them: "출장비를" is "출장비" + "를". A query
word loses one trailing particle when at least three characters stay, so that it still
reaches a trigram index; the stores match every word as a substring of the document's text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from dojang.approval.domain.document import ApprovalDocument

# longest first, so "에서" goes before "서" could (there is no "서"; the order still matters
# for "으로" against "로")
PARTICLES = (
    "에서부터",
    "으로부터",
    "에게서",
    "한테서",
    "이라도",
    "에서",
    "에게",
    "한테",
    "으로",
    "까지",
    "부터",
    "보다",
    "처럼",
    "이나",
    "이랑",
    "라도",
    "마저",
    "조차",
    "하고",
    "을",
    "를",
    "이",
    "가",
    "은",
    "는",
    "에",
    "의",
    "로",
    "와",
    "과",
    "도",
    "만",
)
TRIGRAM = 3  # the shortest word a trigram index finds without reading everything
MAX_TERMS = 8
RANKED_WINDOW = 200  # `sort=relevance` scores this many of the newest matches
SNIPPET_RADIUS = 40
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


def query_terms(text: str) -> list[str]:
    """The words to look for, lower-cased, each without a trailing particle."""
    terms: list[str] = []
    for word in text.lower().split():
        for particle in PARTICLES:
            if word.endswith(particle) and len(word) - len(particle) >= TRIGRAM:
                word = word[: -len(particle)]
                break
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


@dataclass(frozen=True)
class SearchableText:
    """The parts of a document a search looks in."""

    title: str
    number: str
    content: str
    fields: str

    @classmethod
    def of(cls, document: ApprovalDocument) -> SearchableText:
        """The searchable text of the document's current version."""
        values = " ".join(
            str(value) for value in document.fields.values() if isinstance(value, str | int | float)
        )
        return cls(document.title, document.number or "", document.content, values)

    def all(self) -> str:
        """Every part, one after another."""
        return "\n".join((self.title, self.number, self.content, self.fields))


def trigrams(text: str) -> set[str]:
    """Every three-character piece of each word of `text`, lower-cased (a word shorter
    than three characters is its own piece)."""
    found: set[str] = set()
    for word in text.lower().split():
        if len(word) < TRIGRAM:
            found.add(word)
        found.update(word[i : i + TRIGRAM] for i in range(len(word) - TRIGRAM + 1))
    return found


@dataclass(frozen=True)
class Match:
    """How a document matched a query: a score (higher first) and the highlighted parts."""

    score: float
    title: str  # the title, HTML-escaped, with <mark> around each match
    snippet: str  # some text around the first match in the content or fields, likewise


# a word in the title or number counts more than one in the body
_WEIGHTS = {"title": 5.0, "number": 5.0, "content": 1.0, "fields": 2.0}


def match_of(document: ApprovalDocument, terms: list[str]) -> Match:
    """The score and highlights of `document` for `terms`."""
    text = SearchableText.of(document)
    score = 0.0
    for part, weight in _WEIGHTS.items():
        haystack = getattr(text, part).lower()
        length = max(len(haystack), 1)
        for term in terms:
            found = haystack.count(term)
            if found:
                # more hits count, with diminishing returns; a short part counts more
                score += weight * (1 + found / (found + 1)) * (1 + 1 / (1 + length / 200))
    body = text.content if _finds(text.content, terms) else text.fields
    return Match(round(score, 4), highlight(text.title, terms), snippet(body, terms))


def _finds(text: str, terms: list[str]) -> bool:
    lowered = text.lower()
    return any(term in lowered for term in terms)


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternatives = sorted((re.escape(term) for term in terms), key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def highlight(text: str, terms: list[str]) -> str:
    """`text`, HTML-escaped, with every match of `terms` marked."""
    pattern = _pattern(terms)
    if pattern is None:
        return html.escape(text)
    pieces: list[str] = []
    last = 0
    for found in pattern.finditer(text):
        pieces.append(html.escape(text[last : found.start()]))
        pieces.append(f"{MARK_OPEN}{html.escape(found.group())}{MARK_CLOSE}")
        last = found.end()
    pieces.append(html.escape(text[last:]))
    return "".join(pieces)


def snippet(text: str, terms: list[str]) -> str:
    """Some text around the first match of `terms`, highlighted ("" when none matches)."""
    pattern = _pattern(terms)
    found = None if pattern is None else pattern.search(text)
    if found is None:
        return ""
    start = max(found.start() - SNIPPET_RADIUS, 0)
    end = min(found.end() + SNIPPET_RADIUS, len(text))
    cut = " ".join(text[start:end].split())
    return ("…" if start else "") + highlight(cut, terms) + ("…" if end < len(text) else "")
