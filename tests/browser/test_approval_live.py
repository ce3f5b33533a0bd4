"""Two people at two browsers: what one does reaches the other's screen without a reload."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import People, Person

pytestmark = pytest.mark.browser

# The demo organisation (dojang/demo.py). 개발팀: 정하은, 강지호, 조예린 (사원) under
# 박서연 (과장), under 문가영 (차장), under 이준호 (부장, the head). 영업팀: 서지안 (사원) under
# 임수빈 (차장), under 윤성민 (부장, the head); 한도윤 (대리) is a colleague of 서지안.
# Each test has requesters of its own, so that they share one server in any order.
HAEUN = "haeun.jung@dojang.example"
JIHO = "jiho.kang@dojang.example"
YERIN = "yerin.cho@dojang.example"
SEOYEON = "seoyeon.park@dojang.example"
JIAN = "jian.seo@dojang.example"
SUBIN = "subin.lim@dojang.example"
DOYOON = "doyoon.han@dojang.example"
SEOUL = ZoneInfo("Asia/Seoul")


def submit_document(
    person: Person,
    form: str,
    title: str,
    fill: dict[str, str] | None = None,
    choose: dict[str, str] | None = None,
    *,
    first_approver: str = "박서연",
) -> None:
    """Draft on 기안하기 and submit to the proposed first approver only (the rest removed)."""
    page = person.page
    person.menu("기안하기")
    page.get_by_role("radio", name=form).check()
    page.get_by_label("제목").fill(title)
    for label, value in (fill or {}).items():
        page.get_by_label(label, exact=True).fill(value)
    for label, value in (choose or {}).items():
        page.get_by_label(label, exact=True).select_option(value)
    stages = page.get_by_role("list", name="결재선")
    expect(stages.get_by_role("listitem", name="1단계")).to_contain_text(first_approver)
    while stages.get_by_role("listitem", name="2단계").count():
        page.get_by_role("button", name="2단계 삭제").click()
    expect(page.get_by_text("직접 지정한 결재선으로 상신합니다.")).to_be_visible()
    page.get_by_role("button", name="상신", exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(status_of(page)).to_have_text("진행 중")


def status_of(page: Page) -> Locator:
    """The status shown in the document's header."""
    return page.locator(".doc-header .status")


def open_from_inbox(person: Person, title: str) -> None:
    """See the document arrive in 결재 대기 (the page is not reloaded), then open it."""
    link = person.page.get_by_role("table", name="문서 목록").get_by_role("link", name=title)
    expect(link).to_be_visible()
    link.click()
    expect(person.page.get_by_role("heading", name=title, level=1)).to_be_visible()


def expect_toast(person: Person, text: str) -> None:
    """A live notification that mentions `text` pops up."""
    toasts = person.page.get_by_role("region", name="새 알림")
    expect(toasts.get_by_role("status").filter(has_text=text).first).to_be_visible()


def test_an_expense_is_approved_and_both_screens_follow_live(people: People) -> None:
    approve_an_expense_live(people)


def approve_an_expense_live(people: People) -> None:
    """A staff member submits an expense; the approver sees the toast and the inbox entry
    arrive without reloading and approves; the requester sees the stamp arrive."""
    requester, approver = people.open(HAEUN), people.open(SEOYEON)
    approver.menu("결재함")
    expect(approver.page).to_have_url(re.compile(r"/boxes/inbox$"))
    title = "팀 회식비 정산"
    submit_document(requester, "지출 결의서", title, {"금액": "350000"}, {"분류": "meals"})

    expect_toast(approver, title)
    open_from_inbox(approver, title)
    approver.page.get_by_label("결재 의견").fill("확인했습니다.")
    approver.page.get_by_role("button", name="승인", exact=True).click()
    expect(status_of(approver.page)).to_have_text("승인")

    expect(requester.page.get_by_role("img", name="박서연 승인")).to_be_visible()
    expect(status_of(requester.page)).to_have_text("승인")
    expect_toast(requester, title)


def test_a_rejection_reaches_the_requester_with_its_reason(people: People) -> None:
    requester, approver = people.open(JIHO), people.open(SEOYEON)
    approver.menu("결재함")
    title = "외부 세미나 참석 보고"
    submit_document(requester, "일반 기안", title)

    open_from_inbox(approver, title)
    approver.page.get_by_role("button", name="반려", exact=True).click()
    expect(approver.page.get_by_text("반려 사유를 입력하세요.")).to_be_visible()
    reason = "참석 비용 내역을 함께 첨부해 주세요."
    approver.page.get_by_label("반려 사유").fill(reason)
    approver.page.get_by_role("button", name="반려", exact=True).click()
    expect(status_of(approver.page)).to_have_text("반려")

    expect(status_of(requester.page)).to_have_text("반려")
    expect(requester.page.get_by_role("img", name="박서연 반려")).to_be_visible()
    expect(requester.page.get_by_role("list", name="처리 이력")).to_contain_text(reason)
    expect(requester.page.get_by_role("button", name="재상신")).to_be_visible()


def test_a_withdrawn_document_leaves_the_approvers_inbox(people: People) -> None:
    requester, approver = people.open(HAEUN), people.open(SEOYEON)
    approver.menu("결재함")
    title = "사내 동호회 지원 요청"
    submit_document(requester, "일반 기안", title)
    inbox = approver.page.get_by_role("table", name="문서 목록")
    expect(inbox.get_by_role("link", name=title)).to_be_visible()

    requester.page.get_by_role("button", name="회수", exact=True).click()
    expect(status_of(requester.page)).to_have_text("회수")
    expect(requester.page.get_by_role("button", name="회수", exact=True)).to_have_count(0)

    expect(inbox.get_by_role("link", name=title)).to_have_count(0)


def leave_balance(person: Person) -> dict[str, str]:
    """The figures of 연차 현황 on 근태·연차, opened from the menu (no reload)."""
    person.menu("홈")
    person.menu("근태·연차")
    figures = person.page.get_by_role("definition")
    expect(figures.first).to_be_visible()
    terms = person.page.get_by_label("연차 현황").get_by_role("term").all_inner_texts()
    return dict(zip(terms, figures.all_inner_texts(), strict=True))


def expect_leave_balance(person: Person, **expected: str) -> None:
    """Open 근태·연차 until it shows `expected` (the ledger follows events, so not at once)."""
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while True:
        shown = leave_balance(person)
        if all(shown.get(term) == value for term, value in expected.items()):
            return
        if datetime.now(UTC) > deadline:
            pytest.fail(f"연차 현황 shows {shown}, expected {expected}")
        person.page.wait_for_timeout(300)


def test_a_leave_request_changes_the_balance_shown(people: People) -> None:
    requester, approver = people.open(YERIN), people.open(SEOYEON)
    before = leave_balance(requester)
    assert before["신청 중"] == "0일", before
    granted = before["부여"]
    approver.menu("결재함")
    title = "연말 연차 사용"
    submit_document(
        requester,
        "휴가 신청서",
        title,
        {"시작일": "2026-12-21", "종료일": "2026-12-22", "휴가 일수": "2"},
        {"휴가 종류": "annual"},
    )
    expect_leave_balance(requester, **{"신청 중": "2일", "사용": "0일", "부여": granted})

    open_from_inbox(approver, title)
    approver.page.get_by_role("button", name="승인", exact=True).click()
    expect(status_of(approver.page)).to_have_text("승인")

    expect_leave_balance(requester, **{"신청 중": "0일", "사용": "2일", "부여": granted})


def seoul_minute(at: datetime) -> str:
    """What a datetime-local input takes, in the company's time zone."""
    return at.astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")


def test_under_a_delegation_the_delegate_decides_for_the_approver(people: People) -> None:
    approver = people.open(SUBIN)
    approver.menu("대결 설정")
    approver.page.get_by_label("대결자").fill("한도윤")
    approver.page.get_by_role("button", name="한도윤 선택").click()
    now = datetime.now(UTC)
    approver.page.get_by_label("시작").fill(seoul_minute(now - timedelta(hours=1)))
    approver.page.get_by_label("종료").fill(seoul_minute(now + timedelta(days=1)))
    approver.page.get_by_role("button", name="대결 지정", exact=True).click()
    expect(approver.page.get_by_text("저장했습니다.")).to_be_visible()
    delegations = approver.page.get_by_role("table", name="대결 목록")
    expect(delegations.get_by_role("row").filter(has_text="한도윤")).to_have_count(1)

    requester, delegate = people.open(JIAN), people.open(DOYOON)
    delegate.menu("결재함")
    title = "분기 영업 전략 회의 결과"
    submit_document(requester, "일반 기안", title, first_approver="임수빈")

    expect_toast(delegate, title)
    open_from_inbox(delegate, title)
    delegate.page.get_by_role("button", name="승인", exact=True).click()
    expect(status_of(delegate.page)).to_have_text("승인")

    expect(status_of(requester.page)).to_have_text("승인")
    expect(requester.page.get_by_role("img", name="한도윤 승인 (대결)")).to_be_visible()
    expect(requester.page.get_by_role("list", name="처리 이력")).to_contain_text("임수빈 대신")
