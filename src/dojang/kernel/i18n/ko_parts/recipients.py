"""Korean for 참조, 후열, 수신/회람 and 대결: notices and the messages of their routes."""

from __future__ import annotations

CATALOG: dict[str, str] = {
    "{requester} submitted a document for your reference: {title}": (
        "{requester} 님이 참조 문서를 상신했습니다: {title}"
    ),
    "{requester} resubmitted a document for your reference: {title}": (
        "{requester} 님이 참조 문서를 다시 상신했습니다: {title}"
    ),
    "Enter a date (YYYY-MM-DD) or a date and time with its offset, "
    "such as 2026-03-02T09:00:00+09:00.": (
        "날짜(YYYY-MM-DD)나 2026-03-02T09:00:00+09:00처럼 오프셋이 있는 날짜와 시각을 입력하세요."
    ),
    "says what the reason is when it is other": "사유가 기타이면 내용을 적어야 합니다.",
    "{decider} approved {requester}'s document in your name: {title}": (
        "{decider} 님이 대결로 {requester} 님의 문서를 승인했습니다: {title}"
    ),
    "{decider} rejected {requester}'s document in your name: {title}": (
        "{decider} 님이 대결로 {requester} 님의 문서를 반려했습니다: {title}"
    ),
}
