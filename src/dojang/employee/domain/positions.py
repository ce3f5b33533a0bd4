"""Positions (직급), ordered from the lowest to the highest."""

from __future__ import annotations

from enum import StrEnum


class Position(StrEnum):
    """An employee's rank; members are declared lowest first."""

    STAFF = "staff"
    SENIOR = "senior"
    MANAGER = "manager"
    DEPUTY_GENERAL_MANAGER = "deputy_general_manager"
    GENERAL_MANAGER = "general_manager"
    DIRECTOR = "director"
    CEO = "ceo"

    @property
    def label(self) -> str:
        """The Korean title, e.g. 과장."""
        return _KOREAN_LABELS[self]

    @property
    def rank(self) -> int:
        """0 for the lowest position, growing upwards."""
        return _RANKS[self]

    def outranks(self, other: Position) -> bool:
        """Whether this position is higher than `other`."""
        return self.rank > other.rank


_KOREAN_LABELS = {
    Position.STAFF: "사원",
    Position.SENIOR: "대리",
    Position.MANAGER: "과장",
    Position.DEPUTY_GENERAL_MANAGER: "차장",
    Position.GENERAL_MANAGER: "부장",
    Position.DIRECTOR: "이사",
    Position.CEO: "대표",
}
_RANKS = {position: rank for rank, position in enumerate(Position)}
