"""Cognito's pre sign-up and pre token generation triggers, against the employee service's
signed internal port on a started embedded app: a person is who HR registered."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from dojang.app import Embedded
from dojang.composition.cognito_triggers import (
    RemoteEmployeeDirectory,
    SignUpRefused,
    on_event,
)
from dojang.composition.remote import ServiceClient
from dojang.employee.api.internal import internal_employee_router
from dojang.kernel.auth.principal import Principal
from dojang.kernel.web.internal import CallSigner
from dojang.kernel.web.problems import install_problem_handlers
from tests.conftest import TEST_SECRET


def _owner(embedded: Embedded, signer: CallSigner) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(
        internal_employee_router(
            embedded.employee.leave_ledger, embedded.employee.use_cases.employees, signer
        )
    )
    return app


@pytest.fixture
async def directory(embedded: Embedded) -> AsyncIterator[RemoteEmployeeDirectory]:
    signer = CallSigner(SecretStr(TEST_SECRET))
    client = ServiceClient(
        "http://employee.test",
        signer,
        timeout=5,
        transport=httpx2.ASGITransport(app=_owner(embedded, signer)),
    )
    try:
        yield RemoteEmployeeDirectory(client)
    finally:
        await client.close()


def _event(source: str, **attributes: str) -> dict[str, Any]:
    return {
        "version": "2",
        "triggerSource": source,
        "userPoolId": "ap-northeast-2_Dojang",
        "userName": "b1f2c3d4-0000-4000-8000-000000000001",
        "request": {"userAttributes": attributes},
        "response": {},
    }


@pytest.fixture
async def hired(embedded: Embedded) -> str:
    view = await embedded.employee.add_user(
        email="Minji.Kim@dojang.example", name="김민지", password="minji-long-password-1"
    )
    return view.id


async def test_an_employee_signs_up_and_her_tokens_name_her_employee_id(
    directory: RemoteEmployeeDirectory, hired: str
) -> None:
    signed_up = await on_event(
        _event("PreSignUp_SignUp", email="minji.kim@dojang.example"), directory
    )
    assert signed_up["response"] == {}  # accepted, and nothing is confirmed for her
    token = await on_event(
        _event(
            "TokenGeneration_Authentication",
            email="minji.kim@dojang.example",
            email_verified="true",
        ),
        directory,
    )
    details = token["response"]["claimsAndScopeOverrideDetails"]
    assert details["accessTokenGeneration"]["claimsToAddOrOverride"] == {"employee_id": hired}
    assert details["idTokenGeneration"]["claimsToAddOrOverride"] == {"employee_id": hired}


@pytest.mark.parametrize(
    ("source", "attributes"),
    [
        ("PreSignUp_SignUp", {"email": "stranger@dojang.example"}),
        (
            "PreSignUp_SignUp",
            {"email": "minji.kim@dojang.example", "custom:employee_id": "someone-else"},
        ),
        ("TokenGeneration_Authentication", {"email": "minji.kim@dojang.example"}),
        (
            "TokenGeneration_RefreshTokens",
            {"email": "stranger@dojang.example", "email_verified": "true"},
        ),
    ],
    ids=["unknown-address", "self-written-employee-id", "unverified-address", "not-an-employee"],
)
async def test_anyone_else_gets_no_account_and_no_token(
    directory: RemoteEmployeeDirectory, hired: str, source: str, attributes: dict[str, str]
) -> None:
    with pytest.raises(SignUpRefused):
        await on_event(_event(source, **attributes), directory)


async def test_a_departed_employee_gets_no_new_token(
    embedded: Embedded, directory: RemoteEmployeeDirectory, hired: str
) -> None:
    hr = Principal(user_id="hr-admin", roles=frozenset({"admin"}))
    await embedded.employee.use_cases.employees.deactivate(hr, hired)
    with pytest.raises(SignUpRefused):
        await on_event(
            _event(
                "TokenGeneration_RefreshTokens",
                email="minji.kim@dojang.example",
                email_verified="true",
            ),
            directory,
        )


async def test_the_port_refuses_a_call_not_signed_with_the_shared_secret(
    embedded: Embedded, hired: str
) -> None:
    owner = _owner(embedded, CallSigner(SecretStr(TEST_SECRET)))
    client = ServiceClient(
        "http://employee.test",
        CallSigner(SecretStr("another-secret-" * 4)),
        timeout=5,
        transport=httpx2.ASGITransport(app=owner),
    )
    try:
        with pytest.raises(ConnectionError):
            await RemoteEmployeeDirectory(client).by_email("minji.kim@dojang.example")
    finally:
        await client.close()
