"""Korean full-text search of the boxes: particles, visibility, highlights and ranking."""

from __future__ import annotations

from tests.approval_stores import ApprovalStore
from tests.unit.approval.fakes import stage

from .conftest import Api, assert_problem


def searches_content(store: ApprovalStore) -> bool:
    """Whether the store indexes the body text (SQLite FTS5, MongoDB trigrams; not MariaDB)."""
    return store.is_mongo or "approval_database_url" not in store.overrides


async def test_a_word_with_its_particle_finds_the_word(api: Api) -> None:
    trip = await api.create(title="3월 출장비 정산", line=[stage("lead")])
    await api.create(title="주간 회의록", line=[stage("lead")])
    assert await api.box("staff", q="출장비를") == [trip["id"]]
    assert await api.box("staff", q="출장비") == [trip["id"]]
    assert await api.box("lead", q="출장비는") == [trip["id"]]
    assert await api.box("staff", q="출장비 정산") == [trip["id"]]
    assert await api.box("staff", q="출장비 휴가") == []


async def test_search_shows_only_what_the_caller_may_see(api: Api) -> None:
    await api.create(title="3월 출장비 정산", line=[stage("lead")])
    assert await api.box("junior", q="출장비") == []
    assert await api.box("staff", "drafts", q="출장비") == []


async def test_matches_are_highlighted(api: Api) -> None:
    await api.create(title="3월 <출장비> 정산", line=[stage("lead")])
    answer = await api.get("staff", "/api/approvals", q="출장비를")
    (item,) = answer.json()["items"]
    assert item["match"]["title"] == "3월 &lt;<mark>출장비</mark>&gt; 정산"
    assert item["match"]["score"] > 0
    plain = await api.get("staff", "/api/approvals")
    assert plain.json()["items"][0]["match"] is None


async def test_the_content_is_searched_too(api: Api, approval_store: ApprovalStore) -> None:
    if not searches_content(approval_store):
        return  # MariaDB compares the title and number only (docs/search.md)
    visit = await api.create(
        title="거래처 방문", content="부산 거래처 방문에 쓴 숙박비와 교통비", line=[stage("lead")]
    )
    assert await api.box("staff", q="숙박비를") == [visit["id"]]
    answer = await api.get("staff", "/api/approvals", q="숙박비")
    assert "<mark>숙박비</mark>" in answer.json()["items"][0]["match"]["snippet"]


async def test_relevance_puts_the_best_match_first_and_pages(
    api: Api, approval_store: ApprovalStore
) -> None:
    titled = await api.create(title="출장비 정산", line=[stage("lead")])
    older = await api.create(title="출장비 청구", line=[stage("lead")])
    mentioned = await api.create(
        title="월간 보고", content="이번 달 출장비 요약", line=[stage("lead")]
    )
    expected = [older["id"], titled["id"]]
    if searches_content(approval_store):
        expected.append(mentioned["id"])
    first = await api.get("staff", "/api/approvals", q="출장비", sort="relevance", limit=1)
    page = first.json()
    assert [item["id"] for item in page["items"]] in ([older["id"]], [titled["id"]])
    seen = [item["id"] for item in page["items"]]
    cursor = page["next_cursor"]
    while cursor is not None:
        more = await api.get(
            "staff", "/api/approvals", q="출장비", sort="relevance", limit=1, cursor=cursor
        )
        seen.extend(item["id"] for item in more.json()["items"])
        cursor = more.json()["next_cursor"]
    assert sorted(seen[:2]) == sorted(expected[:2])  # both title matches before the body one
    assert seen == [*seen[:2], *expected[2:]]
    bad = await api.get("staff", "/api/approvals", q="출장비", sort="relevance", cursor="x")
    assert_problem(bad, 422, "cursor")
    assert_problem(await api.get("staff", "/api/approvals", sort="best"), 422, "sort")
