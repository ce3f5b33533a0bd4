"""Positions are ordered lowest first and carry their Korean titles."""

from __future__ import annotations

from dojang.employee.domain.positions import Position


def test_positions_are_ordered_from_staff_to_ceo() -> None:
    assert [p.value for p in sorted(Position, key=lambda p: p.rank)] == [
        "staff",
        "senior",
        "manager",
        "deputy_general_manager",
        "general_manager",
        "director",
        "ceo",
    ]


def test_a_higher_position_outranks_a_lower_one() -> None:
    assert Position.DIRECTOR.outranks(Position.MANAGER)
    assert not Position.STAFF.outranks(Position.SENIOR)
    assert not Position.MANAGER.outranks(Position.MANAGER)


def test_every_position_has_its_korean_title() -> None:
    assert [p.label for p in Position] == ["사원", "대리", "과장", "차장", "부장", "이사", "대표"]
