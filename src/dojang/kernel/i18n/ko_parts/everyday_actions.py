"""Korean for taking back an approval (결재 취소) and the other everyday actions."""

from __future__ import annotations

CATALOG: dict[str, str] = {
    "You have no approval to take back on this document.": "이 문서에서 취소할 결재가 없습니다.",
    "You approved for several people on this document; name one with on_behalf_of.": (
        "이 문서에서 여러 사람 대신 결재했습니다. on_behalf_of로 한 사람을 지정하세요."
    ),
    "The next approver has already acted, so the approval can no longer be taken back.": (
        "다음 결재자가 이미 처리하여 결재를 취소할 수 없습니다."
    ),
    "{approver} took back their approval of your document: {title}": (
        "{approver} 님이 문서의 결재를 취소했습니다: {title}"
    ),
    "{approver} took back the approval before yours; the document no longer waits "
    "for you: {title}": (
        "{approver} 님이 앞 단계의 결재를 취소하여 문서가 더 이상 결재를 기다리지 않습니다: {title}"
    ),
}
