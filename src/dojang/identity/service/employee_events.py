"""Keeps logins in step with employee records: creates them, then follows email, roles and
the active flag."""

from __future__ import annotations

from datetime import datetime

import structlog
from pydantic import ValidationError

from dojang.identity.domain.accounts import Account, known_roles, normalize_email
from dojang.identity.service.unit_of_work import IdentityUnitOfWork
from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import Clock
from dojang.kernel.errors import TransientError
from dojang.kernel.ports import EmployeeView

log = structlog.get_logger(__name__)

EMPLOYEE_EVENTS_TOPIC = "employee-events"
CONSUMER_GROUP = "identity"
SYNCED_TYPES = frozenset({"employee.created", "employee.updated", "employee.deactivated"})


class UnusableEmployeeEvent(ValueError):
    """An employee event whose payload cannot be applied (it goes to the dead letters)."""


class EmailStillHeld(TransientError):
    """A new login's email is still another account's: that account's change of email is on
    its way (another key of the topic), so the event is retried."""


class EmployeeEventHandler:
    """The `identity` consumer's handler of `employee-events`."""

    def __init__(self, *, clock: Clock) -> None:
        self._clock = clock

    async def __call__(self, event: Event, uow: IdentityUnitOfWork) -> None:
        """Create the login of a new employee; apply an employee's email, roles and active flag
        to their login."""
        if event.type not in SYNCED_TYPES:
            return
        try:
            employee = EmployeeView.model_validate(event.data["employee"])
        except (KeyError, ValidationError) as exc:
            raise UnusableEmployeeEvent(f"{event.type} without a valid employee: {exc}") from exc
        if employee.id != event.aggregate_id:
            raise UnusableEmployeeEvent(
                f"{event.type} for {event.aggregate_id} carries employee {employee.id}"
            )
        account = await uow.accounts.get(employee.id)
        email = normalize_email(employee.email)
        holder = await uow.accounts.by_email(email)
        now = self._clock.now()
        if account is None:
            if event.type == "employee.created":
                await self._create_login(uow, employee, email, holder, now)
            return
        if holder is not None and holder.id != account.id:
            raise UnusableEmployeeEvent(f"{email} already belongs to account {holder.id}")
        active = employee.active and event.type != "employee.deactivated"
        synced = account.synced(
            email=email, roles=known_roles(employee.roles), active=active, now=now
        )
        if synced is account:
            return
        await uow.accounts.save(synced)
        if account.active and not synced.active:
            await uow.refresh_tokens.revoke_all_of(account.id, now)
        log.info("account_synced", user_id=account.id, event_type=event.type, active=active)

    @staticmethod
    async def _create_login(
        uow: IdentityUnitOfWork,
        employee: EmployeeView,
        email: str,
        holder: Account | None,
        now: datetime,
    ) -> None:
        """The new employee's login, with the password kept for them if there is one."""
        if holder is not None:
            raise EmailStillHeld(f"{email} is still the email of account {holder.id}")
        account = Account(
            id=employee.id,
            email=email,
            password_hash=await uow.pending_logins.take(employee.id),
            roles=known_roles(employee.roles),
            active=employee.active,
            created_at=now,
            updated_at=now,
        )
        await uow.accounts.add(account)
        log.info("account_created", user_id=account.id, can_log_in=account.can_log_in)
