"""Who may see and do what: requester, approvers, delegates, cc, outsiders, administrators."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.approval.fakes import stage

from .conftest import Api, assert_problem

ROUTES = [
    ("GET", "/api/approvals"),
    ("POST", "/api/approvals"),
    ("GET", "/api/approvals/x"),
    ("PATCH", "/api/approvals/x"),
    ("POST", "/api/approvals/x/submit"),
    ("POST", "/api/approvals/x/withdraw"),
    ("POST", "/api/approvals/x/resubmit"),
    ("POST", "/api/approvals/x/comments"),
    ("POST", "/api/approvals/x/read"),
    ("GET", "/api/approvals/x/versions"),
    ("GET", "/api/approvals/x/versions/1"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_every_route_needs_a_token(api: Api, method: str, path: str) -> None:
    body: dict[str, Any] | None = {} if method in {"POST", "PATCH"} else None
    answer = await api.call(None, method, path, body)
    assert_problem(answer, 401)
    assert answer.headers["www-authenticate"] == "Bearer"
    assert_problem(
        await api.client.request(method, path, headers={"Authorization": "Bearer x"}), 401
    )


@pytest.fixture
async def document(api: Api) -> dict[str, Any]:
    """staff's document: lead then head; junior in cc."""
    return await api.create(line=[stage("lead"), stage("head")], cc=["junior"])


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("staff", 200),  # requester
        ("lead", 200),  # approver of the active stage
        ("head", 200),  # approver of a later stage
        ("junior", 200),  # cc
        ("admin", 200),  # administrator
        ("outsider", 404),
        ("peer", 404),
    ],
)
async def test_who_may_read_a_document(
    api: Api, document: dict[str, Any], user: str, status: int
) -> None:
    answer = await api.get(user, f"/api/approvals/{document['id']}")
    assert answer.status_code == status
    if status == 404:
        assert_problem(answer, 404)
    versions = await api.get(user, f"/api/approvals/{document['id']}/versions")
    assert versions.status_code == status


async def test_a_delegate_holding_a_task_may_read_it(api: Api, document: dict[str, Any]) -> None:
    path = f"/api/approvals/{document['id']}"
    assert_problem(await api.get("peer", path), 404)
    await api.harness.assign(document["id"], 1, 0, [("lead", "peer")])
    assert (await api.get("peer", path)).status_code == 200


async def test_an_unknown_document_is_not_found(api: Api) -> None:
    assert_problem(await api.get("admin", "/api/approvals/nope"), 404)
    assert_problem(await api.post("staff", "/api/approvals/nope/withdraw"), 404)


@pytest.mark.parametrize(
    ("user", "status"),
    [("lead", 403), ("head", 403), ("junior", 403), ("admin", 403), ("outsider", 404)],
)
async def test_only_the_requester_withdraws(
    api: Api, document: dict[str, Any], user: str, status: int
) -> None:
    assert_problem(await api.post(user, f"/api/approvals/{document['id']}/withdraw"), status)
    assert (await api.document(document["id"]))["status"] == "in_progress"


@pytest.mark.parametrize(("user", "status"), [("lead", 403), ("admin", 403), ("peer", 404)])
async def test_only_the_requester_resubmits(api: Api, user: str, status: int) -> None:
    document = await api.create(line=[stage("lead")])
    await api.post("staff", f"/api/approvals/{document['id']}/withdraw")
    assert_problem(await api.post(user, f"/api/approvals/{document['id']}/resubmit", {}), status)


@pytest.mark.parametrize(
    ("user", "status"),
    [("junior", 200), ("staff", 403), ("lead", 403), ("admin", 403), ("outsider", 404)],
)
async def test_only_cc_members_record_a_read(
    api: Api, document: dict[str, Any], user: str, status: int
) -> None:
    answer = await api.post(user, f"/api/approvals/{document['id']}/read")
    assert answer.status_code == status, answer.text


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("staff", 201),
        ("lead", 201),
        ("head", 201),
        ("junior", 201),
        ("admin", 201),
        ("outsider", 404),
    ],
)
async def test_whoever_may_read_may_comment(
    api: Api, document: dict[str, Any], user: str, status: int
) -> None:
    answer = await api.post(user, f"/api/approvals/{document['id']}/comments", {"body": "의견"})
    assert answer.status_code == status, answer.text


async def test_state_conflicts_are_409(api: Api) -> None:
    document = await api.create(line=[stage("lead")])
    path = f"/api/approvals/{document['id']}"
    assert_problem(await api.post("staff", f"{path}/resubmit", {}), 409)
    assert_problem(await api.post("staff", f"{path}/submit"), 409)
    await api.harness.decide(document["id"], "lead")
    assert_problem(await api.post("staff", f"{path}/withdraw"), 409)
    assert_problem(await api.post("staff", f"{path}/resubmit", {}), 409)
    assert (await api.post("staff", f"{path}/comments", {"body": "감사합니다"})).status_code == 201


async def test_a_withdrawn_document_cannot_be_withdrawn_again(api: Api) -> None:
    document = await api.create(line=[stage("lead")])
    path = f"/api/approvals/{document['id']}/withdraw"
    assert (await api.post("staff", path)).status_code == 200
    assert_problem(await api.post("staff", path), 409)
