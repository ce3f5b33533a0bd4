"""Who is told what: the rules from `approval-events` to notices."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dojang.notification.domain.notifications import Notice, NotificationType
from dojang.notification.domain.rules import (
    MAX_QUOTE_LENGTH,
    MAX_TITLE_LENGTH,
    UnusableApprovalEvent,
    notices_for,
)

from .approval_events import CHOI, HAN, KIM, LEE, PARK, approval_event


def notices(event_type: str, **extra: Any) -> list[Notice]:
    event = approval_event(event_type, **extra)
    return notices_for(event.type, event.data, occurred_at=event.occurred_at)


def told(found: list[Notice]) -> list[tuple[str, NotificationType]]:
    return [(n.recipient_id, n.type) for n in found]


def test_your_turn_tells_each_recipient_and_nobody_else() -> None:
    found = notices(
        "approval.your_turn", stage_index=1, kind="approval", recipients=[LEE["id"], PARK["id"]]
    )
    assert told(found) == [
        (LEE["id"], NotificationType.YOUR_TURN),
        (PARK["id"], NotificationType.YOUR_TURN),
    ]
    assert {n.approval_id for n in found} == {"apr-1"}
    assert {n.title for n in found} == {"Q3 travel expenses"}
    assert found[0].message.render("en") == "Kim Dojang asked for your approval: Q3 travel expenses"


def test_your_turn_for_an_agreement_stage_asks_for_agreement() -> None:
    found = notices("approval.your_turn", stage_index=0, kind="agreement", recipients=["emp-lee"])
    assert found[0].message.render("en") == (
        "Kim Dojang asked for your agreement: Q3 travel expenses"
    )
    assert (
        found[0].message.render("ko") == "Kim Dojang 님이 합의를 요청했습니다: Q3 travel expenses"
    )


def test_your_turn_without_recipients_tells_nobody() -> None:
    assert notices("approval.your_turn", stage_index=0, kind="approval", recipients=[]) == []


@pytest.mark.parametrize(
    ("waiting_since", "waited"),
    [
        ("2026-03-01T09:00:00+00:00", "24 hours"),  # the event is of 2026-03-02 09:00 UTC
        ("2026-03-02T08:00:00+00:00", "1 hour"),
        ("2026-03-02T08:30:00+00:00", "less than an hour"),
        ("2026-02-28T10:00:00+00:00", "47 hours"),
        ("2026-02-27T18:00:00+09:00", "3 days"),
    ],
)
def test_a_reminder_tells_each_recipient_how_long_the_document_waited(
    waiting_since: str, waited: str
) -> None:
    found = notices(
        "approval.reminder",
        stage_index=0,
        kind="approval",
        recipients=[LEE["id"], PARK["id"]],
        waiting_since=waiting_since,
    )
    assert told(found) == [
        (LEE["id"], NotificationType.REMINDER),
        (PARK["id"], NotificationType.REMINDER),
    ]
    assert found[0].message.render("en") == (
        f"Reminder: Kim Dojang has waited {waited} for your approval: Q3 travel expenses"
    )


def test_a_reminder_for_an_agreement_stage_asks_for_agreement() -> None:
    found = notices(
        "approval.reminder",
        stage_index=0,
        kind="agreement",
        recipients=[LEE["id"]],
        waiting_since="2026-03-01T09:00:00+00:00",
    )
    assert found[0].message.render("en").endswith("for your agreement: Q3 travel expenses")


def test_approval_tells_the_requester_and_copies_cc_members() -> None:
    found = notices(
        "approval.approved",
        number="EXPENSE-2026-000042",
        cc=[CHOI["id"], HAN["id"]],
        completed_at="2026-03-02T10:00:00+00:00",
    )
    assert told(found) == [
        (KIM["id"], NotificationType.APPROVED),
        (CHOI["id"], NotificationType.CC),
        (HAN["id"], NotificationType.CC),
    ]
    assert found[0].message.render("en") == (
        "Your document was approved: Q3 travel expenses (EXPENSE-2026-000042)"
    )
    assert found[1].message.render("en") == "Kim Dojang's document was approved: Q3 travel expenses"


def test_rejection_tells_the_requester_with_the_reason_and_copies_cc_members() -> None:
    found = notices(
        "approval.rejected",
        decided_by=LEE["id"],
        on_behalf_of=None,
        reason="Receipts are missing",
        cc=[CHOI["id"]],
        completed_at="2026-03-02T10:00:00+00:00",
    )
    assert told(found) == [
        (KIM["id"], NotificationType.REJECTED),
        (CHOI["id"], NotificationType.CC),
    ]
    assert found[0].message.render("en") == (
        "Your document was rejected: Q3 travel expenses. Reason: Receipts are missing"
    )
    assert found[1].message.render("en") == "Kim Dojang's document was rejected: Q3 travel expenses"


def test_a_decider_is_not_told_of_the_outcome_unless_named() -> None:
    found = notices(
        "approval.rejected",
        decided_by=LEE["id"],
        on_behalf_of=PARK["id"],
        reason="No",
        cc=[],
        completed_at="2026-03-02T10:00:00+00:00",
    )
    assert told(found) == [(KIM["id"], NotificationType.REJECTED)]


def test_withdrawal_tells_the_requester_and_the_released_task_holders() -> None:
    found = notices("approval.withdrawn", released=[LEE["id"], PARK["id"]])
    assert told(found) == [
        (KIM["id"], NotificationType.WITHDRAWN),
        (LEE["id"], NotificationType.WITHDRAWN),
        (PARK["id"], NotificationType.WITHDRAWN),
    ]
    assert found[0].message.render("en") == "You withdrew your document: Q3 travel expenses"
    assert found[1].message.render("en") == (
        "Kim Dojang withdrew a document that was waiting for you: Q3 travel expenses"
    )


def test_a_take_back_tells_the_requester_and_the_released_task_holders() -> None:
    found = notices(
        "approval.taken_back", taken_by=LEE, approver_id=LEE["id"], released=[PARK["id"]]
    )
    assert told(found) == [
        (KIM["id"], NotificationType.TAKEN_BACK),
        (PARK["id"], NotificationType.TAKEN_BACK),
    ]
    assert found[0].message.render("ko").startswith(LEE["name"])
    assert found[1].message.render("en").endswith("no longer waits for you: Q3 travel expenses")


def test_a_comment_tells_the_requester_who_wrote_it() -> None:
    found = notices(
        "approval.commented", comment_id="c-1", author=LEE, body="Please attach the receipts."
    )
    assert told(found) == [(KIM["id"], NotificationType.COMMENTED)]
    assert found[0].message.render("en") == (
        "Lee Seoyeon commented on your document: Q3 travel expenses"
        " \N{EM DASH} \N{LEFT DOUBLE QUOTATION MARK}Please attach the receipts."
        "\N{RIGHT DOUBLE QUOTATION MARK}"
    )


def test_the_requesters_own_comment_tells_nobody() -> None:
    assert notices("approval.commented", comment_id="c-1", author=KIM, body="Updated") == []


@pytest.mark.parametrize(
    "event_type",
    ["approval.stage_activated", "approval.renamed", "approval.decided"],
)
def test_types_without_a_rule_tell_nobody(event_type: str) -> None:
    assert notices(event_type, cc=[CHOI["id"]], recipients=[LEE["id"]], released=[PARK["id"]]) == []


@pytest.mark.parametrize(
    ("event_type", "english", "korean"),
    [
        (
            "approval.submitted",
            "Kim Dojang submitted a document for your reference: Q3 travel expenses",
            "Kim Dojang 님이 참조 문서를 상신했습니다: Q3 travel expenses",
        ),
        (
            "approval.resubmitted",
            "Kim Dojang resubmitted a document for your reference: Q3 travel expenses",
            "Kim Dojang 님이 참조 문서를 다시 상신했습니다: Q3 travel expenses",
        ),
    ],
)
def test_a_submission_tells_the_cc_members_but_not_the_requester(
    event_type: str, english: str, korean: str
) -> None:
    found = notices(event_type, cc=[CHOI["id"], KIM["id"], HAN["id"], CHOI["id"]])
    assert told(found) == [
        (CHOI["id"], NotificationType.CC),
        (HAN["id"], NotificationType.CC),
    ]
    assert found[0].message.render("en") == english
    assert found[0].message.render("ko") == korean


def test_a_submission_without_cc_tells_nobody() -> None:
    assert notices("approval.submitted", cc=[]) == []


@pytest.mark.parametrize(
    ("decision", "english", "korean"),
    [
        (
            "approved",
            "Park Jiho approved Kim Dojang's document in your name: Q3 travel expenses",
            "Park Jiho 님이 대결로 Kim Dojang 님의 문서를 승인했습니다: Q3 travel expenses",
        ),
        (
            "rejected",
            "Park Jiho rejected Kim Dojang's document in your name: Q3 travel expenses",
            "Park Jiho 님이 대결로 Kim Dojang 님의 문서를 반려했습니다: Q3 travel expenses",
        ),
    ],
)
def test_the_approver_is_told_of_a_decision_taken_in_their_name(
    decision: str, english: str, korean: str
) -> None:
    found = notices(
        "approval.decided_for_you", approver_id=LEE["id"], decided_by=PARK, decision=decision
    )
    assert told(found) == [(LEE["id"], NotificationType.DECIDED_FOR_YOU)]
    assert found[0].message.render("en") == english
    assert found[0].message.render("ko") == korean


def test_nobody_is_told_twice_about_one_event() -> None:
    found = notices(
        "approval.approved",
        number="EXPENSE-2026-000042",
        cc=[CHOI["id"], KIM["id"], CHOI["id"]],
        completed_at="2026-03-02T10:00:00+00:00",
    )
    assert told(found) == [
        (KIM["id"], NotificationType.APPROVED),
        (CHOI["id"], NotificationType.CC),
    ]


@pytest.mark.parametrize(
    ("event_type", "extra"),
    [
        ("approval.your_turn", {"recipients": [LEE["id"]]}),
        ("approval.submitted", {"cc": [CHOI["id"]]}),
        ("approval.approved", {"cc": [CHOI["id"]], "number": "N-1"}),
        ("approval.rejected", {"cc": [CHOI["id"]], "reason": "no"}),
        ("approval.withdrawn", {"released": [LEE["id"]]}),
        ("approval.taken_back", {"taken_by": LEE, "approver_id": LEE["id"], "released": []}),
        ("approval.commented", {"author": LEE, "body": "hi"}),
    ],
)
def test_only_the_people_an_event_names_are_ever_told(
    event_type: str, extra: dict[str, Any]
) -> None:
    named = {KIM["id"], LEE["id"], CHOI["id"]}
    recipients = {n.recipient_id for n in notices(event_type, **extra)}
    assert recipients
    assert recipients <= named
    assert PARK["id"] not in recipients
    assert HAN["id"] not in recipients


def test_long_titles_and_quotes_are_shortened() -> None:
    found = notices(
        "approval.commented",
        title="T" * (MAX_TITLE_LENGTH + 50),
        author=LEE,
        body="word " * 100,
    )
    assert len(found[0].title) == MAX_TITLE_LENGTH
    assert found[0].title.endswith("\N{HORIZONTAL ELLIPSIS}")
    quoted = found[0].message.render("en").split("\N{LEFT DOUBLE QUOTATION MARK}", 1)[1]
    assert len(quoted.rstrip("\N{RIGHT DOUBLE QUOTATION MARK}")) <= MAX_QUOTE_LENGTH


@pytest.mark.parametrize(
    ("event_type", "extra"),
    [
        ("approval.your_turn", {"recipients": "emp-lee"}),
        ("approval.your_turn", {"recipients": [None]}),
        ("approval.reminder", {"recipients": ["emp-lee"]}),
        ("approval.reminder", {"recipients": ["emp-lee"], "waiting_since": "yesterday"}),
        ("approval.reminder", {"recipients": ["emp-lee"], "waiting_since": "2026-03-01T09:00"}),
        ("approval.approved", {"cc": [1, 2]}),
        ("approval.submitted", {"cc": "emp-choi"}),
        ("approval.decided_for_you", {"decision": "returned"}),
        ("approval.decided_for_you", {"decided_by": "emp-park", "decision": "approved"}),
        ("approval.withdrawn", {"released": [""]}),
        ("approval.commented", {"author": "emp-lee", "body": "hi"}),
        ("approval.approved", {"requester": {"id": "emp-kim"}}),
        ("approval.approved", {"title": ""}),
        ("approval.rejected", {"reason": 42}),
    ],
)
def test_data_that_breaks_the_schema_is_refused(event_type: str, extra: dict[str, Any]) -> None:
    with pytest.raises(UnusableApprovalEvent):
        notices(event_type, **extra)


def test_an_event_without_an_approval_id_is_refused() -> None:
    event = approval_event("approval.your_turn", recipients=[LEE["id"]])
    data = {k: v for k, v in event.data.items() if k != "approval_id"}
    with pytest.raises(UnusableApprovalEvent):
        notices_for(event.type, data, occurred_at=event.occurred_at)


@pytest.mark.parametrize(
    ("waiting_since", "waited"),
    [
        ("2026-03-01T09:00:00+00:00", "24시간"),
        ("2026-03-02T08:30:00+00:00", "1시간 미만"),
        ("2026-02-27T18:00:00+09:00", "3일"),
    ],
)
def test_a_reminder_reads_in_korean_with_its_duration_in_korean(
    waiting_since: str, waited: str
) -> None:
    found = notices(
        "approval.reminder",
        stage_index=0,
        kind="approval",
        recipients=[LEE["id"]],
        waiting_since=waiting_since,
    )
    assert found[0].message.render("ko") == (
        f"미결재 알림: Kim Dojang 님이 {waited} 동안 결재를 기다리고 있습니다: Q3 travel expenses"
    )


_EVERY_NOTICE = [
    ("approval.submitted", {"cc": [CHOI["id"]]}),
    ("approval.resubmitted", {"cc": [CHOI["id"]]}),
    ("approval.your_turn", {"recipients": [LEE["id"]]}),
    ("approval.your_turn", {"recipients": [LEE["id"]], "kind": "agreement"}),
    (
        "approval.reminder",
        {"recipients": [LEE["id"]], "stage_index": 0, "waiting_since": "2026-03-01T09:00:00Z"},
    ),
    ("approval.approved", {"cc": [CHOI["id"]], "number": "EXPENSE-2026-000042"}),
    ("approval.approved", {"cc": []}),
    ("approval.rejected", {"cc": [CHOI["id"]], "reason": "Receipts are missing"}),
    ("approval.withdrawn", {"released": [LEE["id"]]}),
    ("approval.taken_back", {"taken_by": LEE, "approver_id": LEE["id"], "released": []}),
    ("approval.commented", {"author": LEE, "body": "Please attach the receipts."}),
    ("approval.decided_for_you", {"decision": "approved"}),
    ("approval.decided_for_you", {"decision": "rejected"}),
]


@pytest.mark.parametrize(("event_type", "extra"), _EVERY_NOTICE)
def test_every_notice_reads_in_korean_and_in_english(
    event_type: str, extra: dict[str, Any]
) -> None:
    found = notices(event_type, **extra)
    assert found
    hangul = re.compile(r"[\uac00-\ud7a3]")
    for notice in found:
        korean, english = notice.message.render("ko"), notice.message.render("en")
        assert hangul.search(korean), korean
        assert not hangul.search(english), english
        assert "{" not in korean
        assert "{" not in english
    kinds = {notice.type for notice in found}
    assert kinds <= set(NotificationType)


def test_the_walk_covers_every_notification_type() -> None:
    kinds = {n.type for event_type, extra in _EVERY_NOTICE for n in notices(event_type, **extra)}
    assert kinds == set(NotificationType)
