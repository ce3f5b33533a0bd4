"""Keeps logins in step with employee records: email, roles and the active flag."""

from __future__ import annotations

import structlog
from pydantic import ValidationError

from dojang.contracts import employee_events
from dojang.contracts.employee_events import (
    EMPLOYEE_CREATED,
    EMPLOYEE_DEACTIVATED,
    EMPLOYEE_UPDATED,
    EmployeeEvent,
)
from dojang.identity.domain.accounts import known_roles, normalize_email
from dojang.identity.service.unit_of_work import IdentityUnitOfWork
from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import Clock

log = structlog.get_logger(__name__)

EMPLOYEE_EVENTS_TOPIC = employee_events.TOPIC
CONSUMER_GROUP = "identity"
SYNCED_TYPES = frozenset({EMPLOYEE_CREATED, EMPLOYEE_UPDATED, EMPLOYEE_DEACTIVATED})


class UnusableEmployeeEvent(ValueError):
    """An employee event whose payload cannot be applied (it goes to the dead letters)."""


class EmployeeEventHandler:
    """The `identity` consumer's handler of `employee-events`."""

    def __init__(self, *, clock: Clock) -> None:
        self._clock = clock

    async def __call__(self, event: Event, uow: IdentityUnitOfWork) -> None:
        """Apply an employee's email, roles and active flag to their account, if they have one."""
        if event.type not in SYNCED_TYPES:
            return
        try:
            # a login follows the employee alone, whatever else the type carries
            employee = EmployeeEvent.model_validate(event.data).employee
        except ValidationError as exc:
            raise UnusableEmployeeEvent(f"{event.type} without a valid employee: {exc}") from exc
        if employee.id != event.aggregate_id:
            raise UnusableEmployeeEvent(
                f"{event.type} for {event.aggregate_id} carries employee {employee.id}"
            )
        account = await uow.accounts.get(employee.id)
        if account is None:
            return
        email = normalize_email(employee.email)
        holder = await uow.accounts.by_email(email)
        if holder is not None and holder.id != account.id:
            raise UnusableEmployeeEvent(f"{email} already belongs to account {holder.id}")
        now = self._clock.now()
        active = employee.active and event.type != EMPLOYEE_DEACTIVATED
        synced = account.synced(
            email=email, roles=known_roles(employee.roles), active=active, now=now
        )
        if synced is account:
            return
        await uow.accounts.save(synced)
        if account.active and not synced.active:
            await uow.refresh_tokens.revoke_all_of(account.id, now)
        log.info("account_synced", user_id=account.id, event_type=event.type, active=active)
