"""Two people at two browsers: what one does reaches the other's screen without a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import People, Person

pytestmark = pytest.mark.browser

# The demo organisation (dojang/demo.py): 정하은 and 강지호 are staff of Engineering under
# 박서연 (과장), whose manager is 문가영 (차장); 이준호 (부장) heads Engineering.
HAEUN = "haeun.jung@dojang.example"
JIHO = "jiho.kang@dojang.example"
YERIN = "yerin.cho@dojang.example"
SEOYEON = "seoyeon.park@dojang.example"
MINJUN = "minjun.choi@dojang.example"


def submit_document(
    person: Person, form: str, title: str, fill: dict[str, str], choose: dict[str, str]
) -> None:
    """Draft on 기안하기 and submit to the proposed first approver only (the rest removed)."""
    page = person.page
    person.menu("기안하기")
    page.get_by_role("radio", name=form).check()
    page.get_by_label("제목").fill(title)
    for label, value in fill.items():
        page.get_by_label(label, exact=True).fill(value)
    for label, value in choose.items():
        page.get_by_label(label, exact=True).select_option(value)
    stages = page.get_by_role("list", name="결재선")
    expect(stages.get_by_role("listitem", name="1단계")).to_contain_text("박서연")
    while stages.get_by_role("listitem", name="2단계").count():
        page.get_by_role("button", name="2단계 삭제").click()
    expect(page.get_by_text("직접 지정한 결재선으로 상신합니다.")).to_be_visible()
    page.get_by_role("button", name="상신", exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(status_of(page)).to_have_text("진행 중")


def status_of(page: Page):  # type: ignore[no-untyped-def]
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
