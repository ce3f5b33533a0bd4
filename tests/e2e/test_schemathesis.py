"""Schemathesis against a real `dojang serve --demo`: requests generated from the OpenAPI
document for every operation, sent with a real employee's token and with an
administrator's. Every answer must keep the document's promises: no 5xx, a documented
status, the documented content type (problem+json for errors) and a body of the documented
schema.

Bounded: at most `MAX_EXAMPLES` requests per operation and caller, and the operations not
reached within `BUDGET_SECONDS` are named in the failure (the budget must fit them all).
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx2
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dojang.demo import DEMO_PASSWORD

from .conftest import RunningDojang, start_dojang

pytestmark = pytest.mark.e2e

MAX_EXAMPLES = 12
BUDGET_SECONDS = 150.0
CALLERS = {"employee": "haeun.jung@dojang.example", "admin": "ceo@dojang.example"}
# What the document promises. Not "schema-valid data is accepted": an opaque cursor or an id
# that matches the schema may still name nothing, and 422/404 is then the right answer.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    allow_header_conformance,
]


def exercise_every_operation(
    server: RunningDojang, email: str, checks: list[object]
) -> tuple[list[str], list[int]]:
    """Failures found (one line each) and the statuses seen, as `email`."""
    login = httpx2.post(
        f"{server.base_url}/api/auth/login",
        json={"email": email, "password": DEMO_PASSWORD},
        timeout=10,
    )
    assert login.status_code == 200, login.text
    auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
    schema = schemathesis.openapi.from_url(f"{server.base_url}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40, [op.label for op in operations]
    failures: list[str] = []
    statuses: list[int] = []
    deadline = time.monotonic() + BUDGET_SECONDS
    for operation in operations:
        if time.monotonic() > deadline:
            failures.append(f"{operation.label}: not reached within {BUDGET_SECONDS:.0f} s")
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case: schemathesis.Case) -> None:
            response = case.call(base_url=server.base_url, headers=auth, timeout=10)
            statuses.append(response.status_code)
            case.validate_response(response, checks=checks)  # type: ignore[arg-type]
            if response.status_code >= 400:
                kind = response.headers.get("content-type", [""])[0]
                assert kind.startswith("application/problem+json"), (
                    f"{case.method} {case.formatted_path} -> {response.status_code} {kind}"
                )

        try:
            exercise()
        except (AssertionError, BaseExceptionGroup) as failure:  # a check failed
            failures.append(f"{operation.label}: {' / '.join(str(failure).splitlines()[:6])}")
    return failures, statuses


@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_generated_requests_keep_the_documents_promises(tmp_path: Path, caller: str) -> None:
    with start_dojang(tmp_path) as server:
        failures, statuses = exercise_every_operation(server, CALLERS[caller], list(CHECKS))
    assert failures == [], "\n".join(failures)
    # the checks ran on both kinds of answer
    assert sum(status < 300 for status in statuses) >= 20
    assert sum(status >= 400 for status in statuses) >= 20


def test_a_broken_promise_is_caught(tmp_path: Path) -> None:
    """The harness reports what a check finds: "schema-valid data is accepted" is broken on
    purpose by any opaque cursor, so asking for it must fail."""
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    with start_dojang(tmp_path) as server:
        failures, _ = exercise_every_operation(server, CALLERS["admin"], [positive_data_acceptance])
    assert any("Schema-valid request rejected" in failure for failure in failures), failures
