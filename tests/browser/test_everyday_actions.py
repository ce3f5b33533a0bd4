"""The everyday actions at the browser: an approver takes back an approval (결재 취소)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import People
from .test_approval_live import open_from_inbox, status_of

pytestmark = pytest.mark.browser

# The demo organisation (dojang/demo.py): 한도윤 (대리, 영업팀) under 임수빈 (차장), under
# 윤성민 (부장, the head).
DOYOON = "doyoon.han@dojang.example"
SUBIN = "subin.lim@dojang.example"


def test_an_approver_takes_back_an_approval_before_the_next_one_acts(people: People) -> None:
    requester, approver = people.open(DOYOON), people.open(SUBIN)
    approver.menu("결재함")
    title = "거래처 방문 일정 보고"
    page = requester.page
    requester.menu("기안하기")
    page.get_by_role("radio", name="일반 기안").check()
    page.get_by_label("제목").fill(title)
    stages = page.get_by_role("list", name="결재선")
    expect(stages.get_by_role("listitem", name="1단계")).to_contain_text("임수빈")
    expect(stages.get_by_role("listitem", name="2단계")).to_be_visible()
    page.get_by_role("button", name="상신", exact=True).click()
    expect(status_of(page)).to_have_text("진행 중")

    open_from_inbox(approver, title)
    mine = approver.page
    mine.get_by_role("button", name="승인", exact=True).click()
    expect(mine.get_by_role("img", name="임수빈 승인")).to_be_visible()
    expect(mine.get_by_role("button", name="승인", exact=True)).to_have_count(0)

    mine.get_by_role("button", name="결재 취소", exact=True).click()

    expect(mine.get_by_role("button", name="승인", exact=True)).to_be_visible()
    expect(mine.get_by_role("button", name="결재 취소", exact=True)).to_have_count(0)
    expect(mine.get_by_role("list", name="처리 이력")).to_contain_text("결재 취소")
    expect(mine.get_by_role("img", name="임수빈 승인")).to_have_count(0)
    expect(status_of(mine)).to_have_text("진행 중")
    # no lifecycle event announces a take-back yet, so the requester reloads to see it
    requester.page.reload()
    expect(requester.page.get_by_role("list", name="처리 이력")).to_contain_text("결재 취소")
