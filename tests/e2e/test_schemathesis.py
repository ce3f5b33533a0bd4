"""Schemathesis against a real `dojang serve --demo`: requests generated from the OpenAPI
document for the organisation, attendance, leave and administration API, sent with a real
administrator's token. A 5xx, or an error that is not problem+json, fails the test.

Bounded: at most `MAX_EXAMPLES` requests per operation, and the operations not reached
within `BUDGET_SECONDS` are named in the failure (the budget must fit them all).
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx2
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from dojang.demo import DEMO_PASSWORD

from .conftest import start_dojang

pytestmark = pytest.mark.e2e

OPERATIONS = r"^/api/(employees|departments|attendance|leave|admin)"
MAX_EXAMPLES = 15
BUDGET_SECONDS = 60.0
ADMIN = "ceo@dojang.example"


def test_generated_requests_get_no_5xx_and_every_error_is_problem_json(tmp_path: Path) -> None:
    with start_dojang(tmp_path) as server:
        login = httpx2.post(
            f"{server.base_url}/api/auth/login",
            json={"email": ADMIN, "password": DEMO_PASSWORD},
            timeout=10,
        )
        assert login.status_code == 200, login.text
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        schema = schemathesis.openapi.from_url(f"{server.base_url}/api/openapi.json").include(
            path_regex=OPERATIONS
        )
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 10, [op.label for op in operations]
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
                sent = f"{case.method} {case.formatted_path} {case.query or ''} {case.body!r}"
                assert response.status_code < 500, f"{sent} -> {response.status_code}"
                if response.status_code >= 400:
                    kind = response.headers.get("content-type", [""])[0]
                    assert kind.startswith("application/problem+json"), (
                        f"{sent} -> {response.status_code} {kind}: {response.text[:200]}"
                    )

            try:
                exercise()
            except AssertionError as failure:
                failures.append(f"{operation.label}: {str(failure).splitlines()[0]}")
        assert failures == []
        # the checks ran on both kinds of answer
        assert any(status < 300 for status in statuses)
        assert sum(status >= 400 for status in statuses) >= 10
