"""Korean for 참조, 후열, 수신/회람 and 대결: notices and the messages of their routes."""

from __future__ import annotations

CATALOG: dict[str, str] = {
    "{requester} submitted a document for your reference: {title}": (
        "{requester} 님이 참조 문서를 상신했습니다: {title}"
    ),
    "{requester} resubmitted a document for your reference: {title}": (
        "{requester} 님이 참조 문서를 다시 상신했습니다: {title}"
    ),
}
