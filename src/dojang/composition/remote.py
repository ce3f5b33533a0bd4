"""The synchronous ports of another service's process, called over HTTP.

Each adapter answers as the in-process one does: the owner's problem answers become the
same `DojangError`s (a 422 with its field errors is an `InvalidInput`), and a call that
times out, cannot connect or meets a server error raises `TimeoutError` or
`ConnectionError`, which the caller's `within` turns into its own 503.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import structlog

from dojang.kernel.errors import (
    Conflict,
    DojangError,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
)
from dojang.kernel.i18n import DEFAULT_LANGUAGE
from dojang.kernel.i18n.context import current_language
from dojang.kernel.ports import LeaveHold, LeaveReservation
from dojang.kernel.web.internal import INTERNAL_PREFIX, SIGNATURE_HEADER, CallSigner

log = structlog.get_logger(__name__)

_ERRORS: dict[int, type[DojangError]] = {
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: InvalidInput,
}


def _problem_error(answer: httpx2.Response) -> DojangError:
    try:
        body: dict[str, Any] = answer.json()
    except ValueError:
        body = {}
    errors = [
        FieldError(str(e.get("field", "")), str(e.get("message", "")))
        for e in body.get("errors", [])
        if isinstance(e, dict)
    ]
    kind = _ERRORS.get(answer.status_code, DojangError)
    return kind(str(body.get("detail") or answer.reason_phrase), errors=errors)


class ServiceClient:
    """Signed JSON calls to one other service's `/internal` routes."""

    def __init__(
        self,
        base_url: str,
        signer: CallSigner,
        *,
        timeout: float,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._signer = signer
        self._http = httpx2.AsyncClient(
            base_url=self.base_url,
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
        )

    async def call(self, path: str, payload: dict[str, Any] | None = None) -> httpx2.Response:
        """POST `payload` to `/internal` + `path`; a 2xx answer, or the owner's error."""
        full_path = INTERNAL_PREFIX + path
        body = json.dumps(payload or {}).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: self._signer.sign("POST", full_path, body),
            # the other service's refusal is passed on as it is written: in the caller's language
            "Accept-Language": current_language() or DEFAULT_LANGUAGE,
        }
        try:
            answer = await self._http.post(full_path, content=body, headers=headers)
        except httpx2.TimeoutException as exc:
            raise TimeoutError(f"{self.base_url} did not answer {path} in time") from exc
        except httpx2.TransportError as exc:
            raise ConnectionError(f"{self.base_url} could not be reached: {exc}") from exc
        if answer.is_success:
            return answer
        if answer.status_code in _ERRORS:
            raise _problem_error(answer)
        # a refused signature or a failure of the other side: unavailable to the caller
        log.warning("port_call_failed", url=self.base_url + full_path, status=answer.status_code)
        raise ConnectionError(f"{self.base_url} answered {answer.status_code} to {path}")

    async def healthy(self) -> None:
        """Raise unless the other service answers its `/healthz`."""
        try:
            answer = await self._http.get("/healthz")
        except httpx2.TransportError as exc:
            raise ConnectionError(f"{self.base_url} could not be reached: {exc}") from exc
        answer.raise_for_status()

    async def close(self) -> None:
        """Close the connections."""
        await self._http.aclose()


class RemoteLeaveLedger:
    """`LeaveLedger` of the employee service in another process."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def reserve(self, hold: LeaveHold) -> LeaveReservation:
        """Hold the days if the year still has them; the same hold again answers the same."""
        answer = await self._client.call(
            "/employee/leave-reservations", hold.model_dump(mode="json")
        )
        return LeaveReservation.model_validate_json(answer.content)

    async def release(self, reservation_id: str) -> None:
        """Let go of a hold that no submitted document confirmed (a failed submission)."""
        await self._client.call(f"/employee/leave-reservations/{reservation_id}/release")


class RemoteAccountProvisioner:
    """`AccountProvisioner` of the identity service in another process."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    def check_password(self, password: str) -> None:
        """Nothing here: the policy lives in identity, and `prepare_login` applies it.

        A hiring calls `prepare_login` before it commits, so a password identity refuses
        still rolls the hiring back with the same `InvalidInput` on `password`; only the
        early answer, before any other check, is lost across processes.
        """

    async def prepare_login(self, user_id: str, email: str, password: str) -> None:
        """Keep the password of the login identity creates once employee `user_id` exists."""
        await self._client.call(
            "/identity/pending-logins",
            {"user_id": user_id, "email": email, "password": password},
        )
