"""The organisation the simulated services read: one place to build it.

Each service keeps its own copy of the organisation from `employee-events`, and its
bootstrap takes a fake in its place; the simulation gives both the approval tests'
in-memory `FakeOrg`, so that every run starts from the same company without a round of
employee events. To run the simulation on the services' own copies, this is the one
function to change: publish the company as `employee.created` events instead.
"""

from __future__ import annotations

from tests.unit.approval.fakes import FakeOrg

# Who drafts documents, and who may stand in approval lines. Requesters never approve their
# own document (the line refuses it), so the two groups are kept apart; everyone may try
# to decide, delegate and receive a delegation.
REQUESTERS = ("staff", "peer")
APPROVERS = ("lead", "head", "director", "ceo", "junior")
OUTSIDER = "outsider"
EVERYONE = (*REQUESTERS, *APPROVERS, OUTSIDER)


def organisation() -> FakeOrg:
    """A small company: a chain of managers and a few staff, everyone active."""
    org = FakeOrg()
    org.hire("ceo", "대표 최", position="ceo", department="hq")
    org.hire("director", "이사 정", position="director", department="hq", manager="ceo")
    org.hire("head", "부장 박", position="general_manager", manager="director")
    org.hire("lead", "과장 이", position="manager", manager="head")
    org.hire("junior", "사원 한", manager="lead")
    org.hire("staff", "사원 김", manager="lead")
    org.hire("peer", "사원 윤", manager="lead")
    org.hire(OUTSIDER, "영업 강", department="sales", manager="ceo")
    org.heads.update({"hq": "ceo", "eng": "head"})
    return org
