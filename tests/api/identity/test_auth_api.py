"""`/api/auth/*` over HTTP: login, throttling, refresh rotation, me, WebSocket tickets."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import httpx2
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from dojang.identity.adapters.tables import accounts
from dojang.kernel.auth.principal import Principal
from tests.conftest import login

from .conftest import PASSWORD, bearer, hire, log_in

if TYPE_CHECKING:
    from dojang.app import Embedded

PROBLEM = "application/problem+json"


async def account_deactivated(embedded: Embedded, user_id: str, timeout: float = 5.0) -> None:
    """Wait until the `employee.deactivated` event has reached the identity account."""
    database = embedded.identity.module.database
    assert database is not None
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        async with database.engine.connect() as conn:
            active = await conn.scalar(select(accounts.c.active).where(accounts.c.id == user_id))
        if active is False:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"account {user_id} is still active")


async def test_login_answers_a_bearer_token_pair(
    client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    await hire(embedded)
    answer = await log_in(client)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert answer.headers["cache-control"] == "no-store"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["token_use"] == "access"
    assert claims["aud"] == "dojang"
    assert claims["iss"] == embedded.settings.issuer
    assert jwt.get_unverified_header(body["access_token"])["alg"] == "RS256"


async def test_wrong_password_and_unknown_email_get_identical_answers(
    client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    await hire(embedded)
    wrong_password = await log_in(client, password="not the password at all")
    unknown_email = await log_in(client, email="nobody@dojang.example")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.headers["content-type"] == PROBLEM
    assert wrong_password.json() == unknown_email.json()
    assert wrong_password.json()["detail"] == "The email or password is incorrect."
    assert wrong_password.headers["www-authenticate"] == unknown_email.headers["www-authenticate"]


async def test_repeated_failures_are_answered_429_with_retry_after(
    client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    await hire(embedded)
    for _ in range(5):
        assert (await log_in(client, password="guess guess guess")).status_code == 401
    throttled = await log_in(client)  # even the right password
    assert throttled.status_code == 429
    assert throttled.headers["content-type"] == PROBLEM
    assert 1 <= int(throttled.headers["retry-after"]) <= 300
    assert throttled.json()["status"] == 429


async def test_malformed_login_is_a_validation_problem(client: httpx2.AsyncClient) -> None:
    answer = await client.post("/api/auth/login", json={"email": "kim@dojang.example"})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "password", "message": "This field is required."}]


async def test_refresh_answers_a_new_pair(client: httpx2.AsyncClient, embedded: Embedded) -> None:
    await hire(embedded)
    first = (await log_in(client)).json()
    answer = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert answer.status_code == 200, answer.text
    second = answer.json()
    assert set(second) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert second["refresh_token"] != first["refresh_token"]
    me = await client.get("/api/auth/me", headers=bearer(second["access_token"]))
    assert me.status_code == 200


async def test_old_refresh_token_is_refused_after_rotation(
    client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    await hire(embedded)
    first = (await log_in(client)).json()
    rotated = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200
    replayed = await client.post(
        "/api/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert replayed.status_code == 401
    assert replayed.headers["content-type"] == PROBLEM
    # the replay revoked the family: the legitimate successor is dead too
    successor = await client.post(
        "/api/auth/refresh", json={"refresh_token": rotated.json()["refresh_token"]}
    )
    assert successor.status_code == 401


async def test_me_answers_the_employee_and_roles(
    client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    hired = await hire(embedded)
    me = await client.get("/api/auth/me", headers=await login(client, hired.email, PASSWORD))
    assert me.status_code == 200
    body = me.json()
    assert body["employee"]["id"] == hired.id
    assert body["employee"]["email"] == "kim@dojang.example"
    assert body["employee"]["department"]["name"] == "Engineering"
    assert body["roles"] == ["employee", "manager"]


async def test_me_without_an_employee_record_is_404(
    client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    await embedded.identity.accounts.create_account(
        "login-only", "robot@dojang.example", PASSWORD, ["employee"]
    )
    me = await client.get(
        "/api/auth/me", headers=await login(client, "robot@dojang.example", PASSWORD)
    )
    assert me.status_code == 404
    assert me.headers["content-type"] == PROBLEM


async def test_me_without_a_token_is_401(client: httpx2.AsyncClient) -> None:
    answer = await client.get("/api/auth/me")
    assert answer.status_code == 401
    assert answer.headers["content-type"] == PROBLEM
    assert answer.headers["www-authenticate"] == "Bearer"


async def test_me_with_an_expired_token_is_401(
    client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    hired = await hire(embedded)
    principal = Principal(user_id=hired.id, roles=frozenset({"employee"}))
    stale = await embedded.identity.issuer.issue(principal, datetime.now(UTC) - timedelta(hours=1))
    answer = await client.get("/api/auth/me", headers=bearer(stale.token))
    assert answer.status_code == 401
    assert answer.json()["detail"] == "token expired"


async def test_me_with_a_token_signed_by_another_key_is_401(
    client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    hired = await hire(embedded)
    genuine = (await log_in(client)).json()["access_token"]
    claims = jwt.decode(genuine, options={"verify_signature": False})
    kid = jwt.get_unverified_header(genuine)["kid"]
    intruder = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(
        {**claims, "roles": ["admin"]}, intruder, algorithm="RS256", headers={"kid": kid}
    )
    answer = await client.get("/api/auth/me", headers=bearer(forged))
    assert answer.status_code == 401
    assert answer.json()["detail"] == "signature invalid"
    assert claims["sub"] == hired.id


async def test_ws_ticket_is_single_use(client: httpx2.AsyncClient, embedded: Embedded) -> None:
    hired = await hire(embedded)
    answer = await client.post(
        "/api/auth/ws-ticket", headers=await login(client, hired.email, PASSWORD)
    )
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"ticket", "expires_in"}
    assert body["expires_in"] == 30
    assert answer.headers["Cache-Control"] == "no-store"
    tickets = embedded.notification.tickets
    principal = await tickets.redeem_ws_ticket(body["ticket"])
    assert principal is not None
    assert principal.user_id == hired.id
    assert principal.roles == frozenset({"employee", "manager"})
    assert await tickets.redeem_ws_ticket(body["ticket"]) is None


async def test_a_ws_ticket_is_no_access_token(
    client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    hired = await hire(embedded)
    answer = await client.post(
        "/api/auth/ws-ticket", headers=await login(client, hired.email, PASSWORD)
    )
    refused = await client.get("/api/auth/me", headers=bearer(answer.json()["ticket"]))
    assert refused.status_code == 401
    assert refused.json()["detail"] == "wrong audience"


async def test_ws_ticket_needs_a_token(client: httpx2.AsyncClient) -> None:
    assert (await client.post("/api/auth/ws-ticket")).status_code == 401


async def test_deactivated_employee_can_no_longer_log_in_or_refresh(
    client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    hired = await hire(embedded)
    await hire(embedded, "admin@dojang.example", roles=("employee", "admin"))
    pair = (await log_in(client)).json()
    admin = await login(client, "admin@dojang.example", PASSWORD)
    assert (await client.delete(f"/api/employees/{hired.id}", headers=admin)).status_code < 300
    await account_deactivated(embedded, hired.id)
    assert (await log_in(client)).status_code == 401
    refreshed = await client.post(
        "/api/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert refreshed.status_code == 401


async def test_a_deactivated_employees_unexpired_token_gets_no_profile_or_ticket(
    client: httpx2.AsyncClient, embedded: Embedded
) -> None:
    hired = await hire(embedded)
    await hire(embedded, "admin@dojang.example", roles=("employee", "admin"))
    token = await login(client, hired.email, PASSWORD)
    admin = await login(client, "admin@dojang.example", PASSWORD)
    assert (await client.get("/api/auth/me", headers=token)).status_code == 200
    assert (await client.delete(f"/api/employees/{hired.id}", headers=admin)).status_code < 300
    await embedded.settle()
    me = await client.get("/api/auth/me", headers=token)
    assert me.status_code == 401
    assert me.json()["detail"] == "This account has been deactivated."
    assert (await client.post("/api/auth/ws-ticket", headers=token)).status_code == 401
