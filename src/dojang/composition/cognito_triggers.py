"""AWS Cognito's triggers for a user pool that issues Dojang's tokens (deploy/terraform).

A person is who HR registered, never what a sign-up form says:

- **Pre sign-up**: a sign-up is refused unless the address belongs to an active employee
  of the employee service; a client that writes `custom:employee_id` itself is refused.
- **Pre token generation (V2)**: every access and ID token gets the claim `employee_id`
  of the employee whose address the user *verified*, which the services read as the
  caller (`DOJANG_OIDC_SUBJECT_CLAIM=employee_id`); a user whose address is unverified, or
  no longer an active employee's, gets no token.

The employee is found through the employee service's signed internal port, from the same
image as every service (`dojang.composition.cognito_triggers.handler`), with
`DOJANG_EMPLOYEE_URL` and `DOJANG_SECRET_KEY` (from the secret `DOJANG_SECRETS_ARN`).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import SecretStr

from dojang.composition.remote import ServiceClient
from dojang.kernel.web.internal import CallSigner

CLAIM = "employee_id"


class SignUpRefused(Exception):
    """Cognito shows a trigger's exception message to the person signing up."""


@dataclass(frozen=True)
class DirectoryEntry:
    employee_id: str | None
    active: bool


class EmployeeDirectory(Protocol):
    async def by_email(self, email: str) -> DirectoryEntry: ...


class RemoteEmployeeDirectory:
    """The employee service's `/internal/employee/by-email`, signed."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def by_email(self, email: str) -> DirectoryEntry:
        answer = (await self._client.call("/employee/by-email", {"email": email})).json()
        return DirectoryEntry(answer["employee_id"], bool(answer["active"]))


async def _active_employee(directory: EmployeeDirectory, email: Any) -> str:
    if not isinstance(email, str) or not email:
        raise SignUpRefused("An e-mail address is needed.")
    entry = await directory.by_email(email)
    if entry.employee_id is None or not entry.active:
        raise SignUpRefused("This address is not an employee's: ask HR to register you first.")
    return entry.employee_id


async def on_event(event: dict[str, Any], directory: EmployeeDirectory) -> dict[str, Any]:
    """Answer one trigger event (the event with its `response` filled in)."""
    source = str(event.get("triggerSource", ""))
    request: Mapping[str, Any] = event.get("request") or {}
    attributes: Mapping[str, Any] = request.get("userAttributes") or {}
    if source.startswith("PreSignUp_"):
        if "custom:employee_id" in attributes:
            raise SignUpRefused("The employee id is set by HR, not by the sign-up.")
        await _active_employee(directory, attributes.get("email"))
        return event
    if source.startswith("TokenGeneration_"):
        if str(attributes.get("email_verified", "")).lower() != "true":
            raise SignUpRefused("Verify your e-mail address first.")
        employee_id = await _active_employee(directory, attributes.get("email"))
        claims = {CLAIM: employee_id}
        event["response"] = {
            "claimsAndScopeOverrideDetails": {
                "idTokenGeneration": {"claimsToAddOrOverride": claims},
                "accessTokenGeneration": {"claimsToAddOrOverride": claims},
            }
        }
        return event
    return event  # a trigger this function does not handle: unchanged


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The Lambda entry point for the user pool's pre sign-up and pre token generation."""
    from dojang.composition.aws_lambda import load_secret_settings

    load_secret_settings(os.environ)

    async def answer() -> dict[str, Any]:
        client = ServiceClient(
            os.environ["DOJANG_EMPLOYEE_URL"],
            CallSigner(SecretStr(os.environ["DOJANG_SECRET_KEY"])),
            timeout=float(os.environ.get("DOJANG_PORT_TIMEOUT_SECONDS", "3")),
        )
        try:
            return await on_event(event, RemoteEmployeeDirectory(client))
        finally:
            await client.close()

    return asyncio.run(answer())
