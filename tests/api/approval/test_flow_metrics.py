"""Approval flow metrics: transitions by status, and the time to decision per form."""

from __future__ import annotations

from datetime import datetime

from prometheus_client import REGISTRY

from tests.unit.approval.fakes import stage

from .conftest import Api


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _transitions(status: str) -> float:
    return _value("dojang_approval_transitions_total", form="general", status=status)


def _decisions(outcome: str) -> tuple[float, float]:
    labels = {"form": "general", "outcome": outcome}
    return (
        _value("dojang_approval_time_to_decision_seconds_count", **labels),
        _value("dojang_approval_time_to_decision_seconds_sum", **labels),
    )


async def test_submission_approval_and_rejection_are_counted(api: Api) -> None:
    submitted, approved, rejected = (
        _transitions(s) for s in ("in_progress", "approved", "rejected")
    )
    approved_count, approved_sum = _decisions("approved")
    first = await api.create(line=[stage("lead"), stage("head")])
    second = await api.create(line=[stage("lead")])
    assert _transitions("in_progress") == submitted + 2

    await api.harness.decide(first["id"], "lead")
    assert _transitions("approved") == approved  # one stage of two: no outcome yet
    assert _decisions("approved")[0] == approved_count
    api.harness.clock.advance(hours=3)
    await api.harness.decide(first["id"], "head")
    assert _transitions("approved") == approved + 1
    document = await api.document(first["id"])
    waited = (_parse(document["completed_at"]) - _parse(document["submitted_at"])).total_seconds()
    count, total = _decisions("approved")
    assert (count, total) == (approved_count + 1, approved_sum + waited)
    assert waited == 3 * 3600

    await api.harness.decide(second["id"], "lead", "rejected", comment="다시")
    assert _transitions("rejected") == rejected + 1


def _parse(instant: str) -> datetime:
    return datetime.fromisoformat(instant)
