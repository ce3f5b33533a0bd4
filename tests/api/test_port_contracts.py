"""The synchronous ports answer the same in process and over HTTP.

Each test runs twice: once against the owner's own object (the embedded wiring), once
through the HTTP adapter of `composition.remote`, signed, to the owner's `/internal` routes
on an ASGI app around the same started service.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from dojang.app import Embedded
from dojang.composition.remote import (
    RemoteAccountProvisioner,
    RemoteLeaveLedger,
    ServiceClient,
)
from dojang.employee.api.internal import internal_employee_router
from dojang.identity.api.internal import internal_identity_router
from dojang.kernel.calls import PortUnavailable, within
from dojang.kernel.errors import Conflict, InvalidInput, NotFound
from dojang.kernel.ports import AccountProvisioner, LeaveHold, LeaveLedger
from dojang.kernel.web.internal import CallSigner
from dojang.kernel.web.problems import install_problem_handlers
from tests.conftest import TEST_SECRET


@dataclass
class Ports:
    leave: LeaveLedger
    accounts: AccountProvisioner
    embedded: Embedded


def _owners(embedded: Embedded, signer: CallSigner) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(internal_identity_router(embedded.identity.accounts, signer))
    app.include_router(
        internal_employee_router(
            embedded.employee.leave_ledger, embedded.employee.use_cases.employees, signer
        )
    )
    return app


@pytest.fixture(params=["in-process", "http"])
async def ports(request: pytest.FixtureRequest, embedded: Embedded) -> AsyncIterator[Ports]:
    if request.param == "in-process":
        yield Ports(
            embedded.employee.leave_ledger,
            embedded.identity.accounts,
            embedded,
        )
        return
    signer = CallSigner(SecretStr(TEST_SECRET))
    client = ServiceClient(
        "http://owner.test",
        signer,
        timeout=5,
        transport=httpx2.ASGITransport(app=_owners(embedded, signer)),
    )
    try:
        yield Ports(
            RemoteLeaveLedger(client),
            RemoteAccountProvisioner(client),
            embedded,
        )
    finally:
        await client.close()


async def _employee(embedded: Embedded) -> str:
    hired = await embedded.employee.add_user(
        email="kim@dojang.example", name="Kim", password="kim-long-password-1"
    )
    return hired.id


def _hold(
    employee_id: str,
    days: float,
    *,
    document: str = "doc-1",
    version: int = 1,
    dates: tuple[str, str] = ("2026-03-02", "2026-03-06"),
) -> LeaveHold:
    return LeaveHold(
        reservation_id=f"{document}.v{version}",
        employee_id=employee_id,
        year=2026,
        days=days,
        document_id=document,
        version=version,
        start_date=date.fromisoformat(dates[0]),
        end_date=date.fromisoformat(dates[1]),
    )


async def test_a_hold_within_the_balance_is_accepted_once_even_when_repeated(
    ports: Ports,
) -> None:
    kim = await _employee(ports.embedded)
    first = await ports.leave.reserve(_hold(kim, 3))
    again = await ports.leave.reserve(_hold(kim, 3))
    assert first.accepted
    assert again.accepted
    assert first.figures.pending == 3
    assert again.figures.pending == 3
    assert again.figures.available == first.figures.granted - 3


async def test_a_hold_beyond_the_balance_is_refused_with_the_figures(ports: Ports) -> None:
    kim = await _employee(ports.embedded)
    refused = await ports.leave.reserve(_hold(kim, 40))
    assert not refused.accepted
    assert refused.figures.pending == 0


async def test_a_released_hold_frees_its_days(ports: Ports) -> None:
    kim = await _employee(ports.embedded)
    await ports.leave.reserve(_hold(kim, 10))
    await ports.leave.release("doc-1.v1")
    after = await ports.leave.reserve(_hold(kim, 15, document="doc-2"))
    assert after.accepted
    assert after.figures.pending == 15


async def test_a_hold_sharing_a_day_with_another_documents_is_refused(ports: Ports) -> None:
    kim = await _employee(ports.embedded)
    assert (await ports.leave.reserve(_hold(kim, 3))).accepted
    refused = await ports.leave.reserve(
        _hold(kim, 1, document="doc-2", dates=("2026-03-06", "2026-03-06"))
    )
    assert not refused.accepted
    assert refused.overlapping_document_id == "doc-1"
    assert refused.figures.pending == 3
    beside = await ports.leave.reserve(
        _hold(kim, 1, document="doc-3", dates=("2026-03-09", "2026-03-09"))
    )
    assert beside.accepted
    assert beside.overlapping_document_id is None


async def test_a_new_version_of_the_same_document_may_keep_its_days(ports: Ports) -> None:
    kim = await _employee(ports.embedded)
    assert (await ports.leave.reserve(_hold(kim, 3))).accepted
    assert (await ports.leave.reserve(_hold(kim, 3, version=2))).accepted


async def test_a_hold_for_nobody_is_not_found(ports: Ports) -> None:
    with pytest.raises(NotFound):
        await ports.leave.reserve(_hold("nobody", 1))


async def test_one_reservation_id_holding_other_days_is_a_conflict(ports: Ports) -> None:
    kim = await _employee(ports.embedded)
    await ports.leave.reserve(_hold(kim, 2))
    with pytest.raises(Conflict):
        await ports.leave.reserve(_hold(kim, 4))


async def test_half_days_are_the_smallest_hold(ports: Ports) -> None:
    kim = await _employee(ports.embedded)
    with pytest.raises(InvalidInput) as refused:
        await ports.leave.reserve(_hold(kim, 0.3))
    assert [e.field for e in refused.value.errors] == ["days"]


async def test_a_weak_password_is_refused_on_its_field(ports: Ports) -> None:
    with pytest.raises(InvalidInput) as refused:
        await ports.accounts.prepare_login("someone", "someone@dojang.example", "short")
    assert [e.field for e in refused.value.errors] == ["password"]


async def test_a_login_needs_an_employee_id(ports: Ports) -> None:
    with pytest.raises(InvalidInput) as refused:
        await ports.accounts.prepare_login("", "someone@dojang.example", "long-enough-pass-1")
    assert [e.field for e in refused.value.errors] == ["user_id"]


async def test_a_kept_password_waits_for_its_employee_in_identity(ports: Ports) -> None:
    await ports.accounts.prepare_login("hire-1", "hire@dojang.example", "hire-long-password")
    async with ports.embedded.identity.sessions._uow() as uow:  # identity's own record
        kept = await uow.pending_logins.take("hire-1")
    assert kept is not None
    assert kept != "hire-long-password"  # a hash, not the password


# --- over a real socket: the other side silent, gone, or refusing the signature ----------


@pytest.fixture
async def silent_server() -> AsyncIterator[str]:
    """A loopback server that accepts connections and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


def _hold_anyone() -> LeaveHold:
    return _hold("kim", 1)


async def test_a_silent_owner_is_a_timeout_the_caller_turns_into_503(silent_server: str) -> None:
    client = ServiceClient(silent_server, CallSigner(SecretStr(TEST_SECRET)), timeout=0.2)
    try:
        with pytest.raises(PortUnavailable):
            await within(
                5, RemoteLeaveLedger(client).reserve(_hold_anyone()), unavailable="no answer"
            )
    finally:
        await client.close()


async def test_an_owner_that_is_gone_is_a_connection_error() -> None:
    client = ServiceClient("http://127.0.0.1:9", CallSigner(SecretStr(TEST_SECRET)), timeout=1)
    try:
        with pytest.raises(ConnectionError):
            await RemoteLeaveLedger(client).reserve(_hold_anyone())
    finally:
        await client.close()


async def test_a_caller_with_another_secret_is_refused_and_told_unavailable(
    embedded: Embedded,
) -> None:
    owner = _owners(embedded, CallSigner(SecretStr(TEST_SECRET)))
    impostor = CallSigner(SecretStr("another-secret-that-is-long-enough-0123456789"))
    client = ServiceClient(
        "http://owner.test", impostor, timeout=5, transport=httpx2.ASGITransport(app=owner)
    )
    kim = await _employee(embedded)
    try:
        with pytest.raises(ConnectionError):
            await RemoteLeaveLedger(client).reserve(_hold(kim, 1))
    finally:
        await client.close()
    figures: Any = await embedded.employee.leave_ledger.reserve(_hold(kim, 15, document="x"))
    assert figures.accepted  # the refused call held nothing
