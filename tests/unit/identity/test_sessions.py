"""Login and refresh as use cases: credentials, throttling, rotation, reuse, deactivation."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from dojang.identity.adapters.tables import accounts
from dojang.identity.service.sessions import BAD_CREDENTIALS, BAD_REFRESH_TOKEN, TokenPair
from dojang.kernel.errors import TooManyRequests, Unauthenticated

from .conftest import CHEAP_HASHER, PASSWORD, Running

CLIENT = "10.1.2.3"


async def make_account(
    running: Running,
    user_id: str = "emp-1",
    email: str = "kim@dojang.example",
    password: str | None = PASSWORD,
    roles: tuple[str, ...] = ("employee", "manager"),
) -> None:
    await running.identity.accounts.create_account(user_id, email, password, roles)


async def login(
    running: Running,
    email: str = "kim@dojang.example",
    password: str = PASSWORD,
    client: str = CLIENT,
) -> TokenPair:
    return await running.identity.sessions.login(email, password, client=client)


async def refused(running: Running, email: str, password: str, client: str = CLIENT) -> str:
    with pytest.raises(Unauthenticated) as caught:
        await login(running, email, password, client)
    return caught.value.detail


async def stored_hash(running: Running, user_id: str = "emp-1") -> str:
    assert running.identity.module.database is not None
    async with running.identity.module.database.engine.connect() as conn:
        found = await conn.scalar(select(accounts.c.password_hash).where(accounts.c.id == user_id))
    assert isinstance(found, str)
    return found


async def test_login_issues_an_access_token_for_the_account(running: Running) -> None:
    await make_account(running)
    pair = await login(running)
    principal = await running.identity.verifier.verify(pair.access_token)
    assert principal.user_id == "emp-1"
    assert principal.roles == frozenset({"employee", "manager"})
    assert principal.email == "kim@dojang.example"
    assert pair.expires_in == 900
    assert len(pair.refresh_token) >= 40


async def test_login_ignores_the_case_of_the_email(running: Running) -> None:
    await make_account(running)
    pair = await login(running, email="  KIM@Dojang.Example")
    assert (await running.identity.verifier.verify(pair.access_token)).user_id == "emp-1"


async def test_wrong_password_and_unknown_email_are_indistinguishable(running: Running) -> None:
    await make_account(running)
    wrong_password = await refused(running, "kim@dojang.example", "not the password")
    unknown_email = await refused(running, "nobody@dojang.example", PASSWORD)
    assert wrong_password == unknown_email == BAD_CREDENTIALS


async def test_account_without_password_cannot_log_in(running: Running) -> None:
    await make_account(running, password=None)
    assert await refused(running, "kim@dojang.example", "") == BAD_CREDENTIALS


async def test_inactive_account_cannot_log_in(running: Running) -> None:
    await make_account(running)
    async with running.identity.module.database.engine.begin() as conn:  # type: ignore[union-attr]
        await conn.execute(update(accounts).values(active=False))
    assert await refused(running, "kim@dojang.example", PASSWORD) == BAD_CREDENTIALS


async def test_hash_is_upgraded_on_login_when_parameters_changed(running: Running) -> None:
    await make_account(running)
    older = PasswordHasher(time_cost=2, memory_cost=32, parallelism=1).hash(PASSWORD)
    async with running.identity.module.database.engine.begin() as conn:  # type: ignore[union-attr]
        await conn.execute(update(accounts).values(password_hash=older))
    await login(running)
    upgraded = await stored_hash(running)
    assert upgraded != older
    assert not CHEAP_HASHER.check_needs_rehash(upgraded)
    await login(running)
    assert await stored_hash(running) == upgraded


async def test_sixth_attempt_in_the_window_is_throttled(running: Running) -> None:
    await make_account(running)
    for _ in range(5):
        await refused(running, "kim@dojang.example", "wrong password")
    running.clock.advance(seconds=60)
    with pytest.raises(TooManyRequests) as caught:
        await login(running)  # even the right password
    assert caught.value.retry_after == 240


async def test_throttle_is_per_client(running: Running) -> None:
    await make_account(running)
    for _ in range(6):
        with pytest.raises((Unauthenticated, TooManyRequests)):
            await login(running, password="wrong password")
    assert (await login(running, client="10.9.9.9")).access_token


async def test_throttle_lifts_when_the_window_has_passed(running: Running) -> None:
    await make_account(running)
    for _ in range(6):
        with pytest.raises((Unauthenticated, TooManyRequests)):
            await login(running, password="wrong password")
    running.clock.advance(minutes=5)
    assert (await login(running)).access_token


async def test_unknown_emails_are_throttled_too(running: Running) -> None:
    for _ in range(5):
        await refused(running, "ghost@dojang.example", "whatever-password")
    with pytest.raises(TooManyRequests):
        await login(running, email="ghost@dojang.example")


async def test_a_successful_login_clears_the_failures(running: Running) -> None:
    await make_account(running)
    for _ in range(4):
        await refused(running, "kim@dojang.example", "wrong password")
    await login(running)
    for _ in range(5):
        await refused(running, "kim@dojang.example", "wrong password")
    assert (await login(running, client=CLIENT + "0")).access_token


async def test_refresh_rotates_the_token(running: Running) -> None:
    await make_account(running)
    first = await login(running)
    running.clock.advance(minutes=20)
    second = await running.identity.sessions.refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    principal = await running.identity.verifier.verify(second.access_token)
    assert principal.user_id == "emp-1"


async def test_a_rotated_refresh_token_stops_working(running: Running) -> None:
    await make_account(running)
    first = await login(running)
    await running.identity.sessions.refresh(first.refresh_token)
    with pytest.raises(Unauthenticated, match="already used"):
        await running.identity.sessions.refresh(first.refresh_token)


async def test_reuse_revokes_the_whole_family_but_not_other_sessions(running: Running) -> None:
    await make_account(running)
    stolen = await login(running)
    other_device = await login(running)
    legitimate = await running.identity.sessions.refresh(stolen.refresh_token)
    with pytest.raises(Unauthenticated):
        await running.identity.sessions.refresh(stolen.refresh_token)  # the thief replays it
    with pytest.raises(Unauthenticated, match=BAD_REFRESH_TOKEN):
        await running.identity.sessions.refresh(legitimate.refresh_token)
    assert await running.identity.sessions.refresh(other_device.refresh_token)


async def test_unknown_refresh_token_is_refused(running: Running) -> None:
    with pytest.raises(Unauthenticated, match=BAD_REFRESH_TOKEN):
        await running.identity.sessions.refresh("made-up")


async def test_refresh_token_expires_after_its_ttl(running: Running) -> None:
    await make_account(running)
    pair = await login(running)
    running.clock.advance(days=14)
    with pytest.raises(Unauthenticated):
        await running.identity.sessions.refresh(pair.refresh_token)


async def test_refresh_keeps_an_active_session_alive(running: Running) -> None:
    await make_account(running)
    pair = await login(running)
    for _ in range(3):
        running.clock.advance(days=10)
        pair = await running.identity.sessions.refresh(pair.refresh_token)
    assert pair.access_token


async def test_inactive_account_cannot_refresh(running: Running) -> None:
    await make_account(running)
    pair = await login(running)
    async with running.identity.module.database.engine.begin() as conn:  # type: ignore[union-attr]
        await conn.execute(update(accounts).values(active=False))
    with pytest.raises(Unauthenticated):
        await running.identity.sessions.refresh(pair.refresh_token)


async def test_new_password_works_and_ends_other_sessions(running: Running) -> None:
    await make_account(running)
    pair = await login(running)
    await running.identity.accounts.set_password("emp-1", "a brand new passphrase")
    with pytest.raises(Unauthenticated):
        await running.identity.sessions.refresh(pair.refresh_token)
    await refused(running, "kim@dojang.example", PASSWORD)
    assert (await login(running, password="a brand new passphrase")).access_token
