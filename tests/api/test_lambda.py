"""The employee API on AWS Lambda: API Gateway HTTP API (v2) events carrying the claims its
JWT authorizer verified go through the Lambda handler to the employee service's own app."""

from __future__ import annotations

import asyncio
import base64
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dojang.composition.app import create_service_app
from dojang.composition.aws_lambda import create_handler, load_secret_settings
from dojang.composition.settings import ServiceName
from tests.conftest import test_overrides

POOL = "https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_Dojang"
CLIENT = "4example0app0client"


def _settings(data_dir: Path) -> dict[str, Any]:
    return {
        **test_overrides(data_dir),
        "identity_url": "http://127.0.0.1:9",
        "oidc_issuer": POOL,
        "oidc_client_id": CLIENT,
        "oidc_groups_claim": "cognito:groups",
    }


def _claims(sub: str, groups: str, **changed: str) -> dict[str, str]:
    # an HTTP API hands every claim over as a string, arrays as "[a b]"
    claims = {
        "sub": sub,
        "iss": POOL,
        "client_id": CLIENT,
        "token_use": "access",
        "cognito:groups": groups,
        "exp": "4102444800",
    }
    return {**claims, **changed}


def _event(
    method: str, path: str, *, claims: dict[str, str] | None, body: Any = None
) -> dict[str, Any]:
    headers = {
        "host": "abc123.execute-api.ap-northeast-2.amazonaws.com",
        "accept": "application/json",
        # the authorizer checked this token; the function must not need to
        "authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmVk",
    }
    if body is not None:
        headers["content-type"] = "application/json"
    context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "abc123",
        "domainName": "abc123.execute-api.ap-northeast-2.amazonaws.com",
        "domainPrefix": "abc123",
        "http": {
            "method": method,
            "path": path,
            "protocol": "HTTP/1.1",
            "sourceIp": "203.0.113.7",
            "userAgent": "pytest",
        },
        "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        "routeKey": f"ANY {path}",
        "stage": "$default",
        "time": "03/Dec/2026:09:00:00 +0000",
        "timeEpoch": 1796288400000,
    }
    if claims is not None:
        context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return {
        "version": "2.0",
        "routeKey": f"ANY {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": context,
        "body": None if body is None else json.dumps(body, ensure_ascii=False),
        "isBase64Encoded": False,
    }


@pytest.fixture
def invocation_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """The loop a Lambda execution environment keeps for its life (Mangum runs each
    invocation on the current loop), closed with the test."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(None)
    loop.close()


@pytest.fixture
def data_dir(tmp_path: Path, invocation_loop: asyncio.AbstractEventLoop) -> Path:
    """A data dir whose employee database the worker has migrated, as it does on EKS."""
    data = tmp_path / "data"

    async def migrate() -> None:
        worker = create_service_app(ServiceName.EMPLOYEE, **_settings(data))
        async with worker.router.lifespan_context(worker):
            pass

    invocation_loop.run_until_complete(migrate())
    return data


def _body(answer: dict[str, Any]) -> Any:
    body = answer["body"]
    return json.loads(base64.b64decode(body) if answer["isBase64Encoded"] else body)


def test_an_admin_named_by_the_verified_claims_creates_a_department(data_dir: Path) -> None:
    handler = create_handler(**_settings(data_dir))
    admin = _claims("admin-1", "[staff admin]")
    created = handler(
        _event("POST", "/api/departments", claims=admin, body={"name": "재무팀"}), None
    )
    assert created["statusCode"] == 201, created["body"]
    listed = handler(_event("GET", "/api/departments", claims=_claims("e-2", "[staff]")), None)
    assert listed["statusCode"] == 200
    assert [d["name"] for d in _body(listed)["items"]] == ["재무팀"]
    # the worker publishes it: the request wrote the event to the service's outbox
    with sqlite3.connect(data_dir / "employee.db") as db:
        queued = [json.loads(row[0]) for row in db.execute("SELECT payload FROM outbox")]
    assert [event["type"] for event in queued] == ["department.created"], queued
    assert "재무팀" in json.dumps(queued, ensure_ascii=False)


def test_the_roles_come_from_the_claims_not_from_the_token(data_dir: Path) -> None:
    handler = create_handler(**_settings(data_dir))
    staff = _claims("e-2", "[staff]")
    refused = handler(_event("POST", "/api/departments", claims=staff, body={"name": "X"}), None)
    assert refused["statusCode"] == 403
    assert refused["headers"]["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "claims",
    [
        None,  # invoked without the authorizer (a direct invocation, a misrouted API)
        _claims("admin-1", "[admin]", iss="https://evil.example"),
        _claims("admin-1", "[admin]", client_id="another-client"),
        _claims("admin-1", "[admin]", token_use="refresh"),
    ],
    ids=["no-authorizer", "other-issuer", "other-client", "not-an-access-token"],
)
def test_without_claims_meant_for_dojang_the_caller_is_refused(
    data_dir: Path, claims: dict[str, str] | None
) -> None:
    handler = create_handler(**_settings(data_dir))
    answer = handler(_event("POST", "/api/departments", claims=claims, body={"name": "X"}), None)
    assert answer["statusCode"] == 401, answer["body"]
    assert _body(answer)["status"] == 401


class _Secrets:
    def __init__(self, value: object) -> None:
        self.value = value
        self.asked: list[str] = []

    def get_secret_value(self, *, SecretId: str) -> dict[str, Any]:  # noqa: N803
        self.asked.append(SecretId)
        return {"SecretString": json.dumps(self.value)}


def test_secrets_come_from_the_secret_the_function_names_and_never_override_its_variables() -> None:
    environ = {"DOJANG_SECRETS_ARN": "arn:aws:secretsmanager:…:secret:dojang", "DOJANG_X": "set"}
    secrets = _Secrets(
        {"DOJANG_SECRET_KEY": "k" * 40, "DOJANG_X": "from the secret", "PATH": "/evil"}
    )
    loaded = load_secret_settings(environ, secrets)
    assert loaded == ["DOJANG_SECRET_KEY"]
    assert environ["DOJANG_SECRET_KEY"] == "k" * 40
    assert environ["DOJANG_X"] == "set"
    assert "PATH" not in environ
    assert secrets.asked == ["arn:aws:secretsmanager:…:secret:dojang"]
    assert load_secret_settings({}, _Secrets({})) == []  # no ARN: nothing is asked
    with pytest.raises(ValueError, match="not a JSON object"):
        load_secret_settings({"DOJANG_SECRETS_ARN": "arn"}, _Secrets(["x"]))
