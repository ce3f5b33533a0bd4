"""The department tree: names, parents, cycles and paths."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dojang.employee.domain.errors import DepartmentCycle, DuplicateDepartmentName
from dojang.employee.domain.organisation import Department, DepartmentTree
from dojang.kernel.errors import InvalidInput

AT = datetime(2026, 3, 2, tzinfo=UTC)


def department(department_id: str, name: str, parent_id: str | None = None) -> Department:
    return Department(id=department_id, name=name, parent_id=parent_id, head_id=None, created_at=AT)


@pytest.fixture
def tree() -> DepartmentTree:
    return DepartmentTree(
        [
            department("hq", "본사"),
            department("eng", "개발본부", "hq"),
            department("platform", "플랫폼팀", "eng"),
            department("sales", "영업본부", "hq"),
        ]
    )


def test_the_path_runs_from_the_top_department_down(tree: DepartmentTree) -> None:
    assert tree.path("platform") == "본사 / 개발본부 / 플랫폼팀"
    assert tree.path("hq") == "본사"


def test_a_new_department_goes_under_an_existing_parent(tree: DepartmentTree) -> None:
    data = tree.found(department_id="data", name=" 데이터팀 ", parent_id="eng", head_id=None, at=AT)
    assert data.name == "데이터팀"
    assert tree.path("data") == "본사 / 개발본부 / 데이터팀"


def test_a_new_department_under_an_unknown_parent_is_refused_on_parent_id(
    tree: DepartmentTree,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        tree.found(department_id="x", name="X", parent_id="nowhere", head_id=None, at=AT)
    assert [e.field for e in refused.value.errors] == ["parent_id"]
    assert tree.get("x") is None


def test_department_names_are_unique_regardless_of_case() -> None:
    tree = DepartmentTree([department("eng", "Engineering")])
    with pytest.raises(DuplicateDepartmentName):
        tree.found(department_id="x", name="ENGINEERING", parent_id=None, head_id=None, at=AT)


def test_renaming_to_its_own_name_is_not_a_duplicate(tree: DepartmentTree) -> None:
    platform = tree.require("platform", "id")
    tree.rename(platform, "플랫폼팀")
    with pytest.raises(DuplicateDepartmentName):
        tree.rename(platform, "영업본부")
    assert platform.name == "플랫폼팀"


def test_a_department_cannot_be_its_own_parent(tree: DepartmentTree) -> None:
    eng = tree.require("eng", "id")
    with pytest.raises(DepartmentCycle) as refused:
        tree.move(eng, "eng")
    assert [e.field for e in refused.value.errors] == ["parent_id"]


def test_a_department_cannot_move_below_its_own_descendant(tree: DepartmentTree) -> None:
    hq = tree.require("hq", "id")
    with pytest.raises(DepartmentCycle):
        tree.move(hq, "platform")
    assert hq.parent_id is None


def test_a_department_can_move_to_another_branch_or_to_the_top(tree: DepartmentTree) -> None:
    platform = tree.require("platform", "id")
    tree.move(platform, "sales")
    assert tree.path("platform") == "본사 / 영업본부 / 플랫폼팀"
    tree.move(platform, None)
    assert tree.path("platform") == "플랫폼팀"


def test_a_department_is_found_by_its_exact_name(tree: DepartmentTree) -> None:
    found = tree.named("개발본부")
    assert found is not None
    assert found.id == "eng"
    assert tree.named("개발") is None
