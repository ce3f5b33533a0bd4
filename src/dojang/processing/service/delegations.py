"""대결: granting, listing and revoking delegations, and moving tasks as windows open and close."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from zoneinfo import ZoneInfo

import structlog

from dojang.kernel.auth.principal import Principal
from dojang.kernel.clock import Clock
from dojang.kernel.errors import FieldError, InvalidInput
from dojang.kernel.ids import new_id
from dojang.kernel.ports import EmployeeDirectory
from dojang.processing.domain.delegation_days import (
    DayOrInstant,
    DayOutOfRange,
    window_end,
    window_start,
)
from dojang.processing.domain.delegations import Delegation, DelegationReason
from dojang.processing.domain.errors import DelegationNotFound, OverlappingDelegation
from dojang.processing.service import events
from dojang.processing.service.handover import give_back, hand_over
from dojang.processing.service.unit_of_work import ProcessingUnitOfWork, TimeCursor

log = structlog.get_logger(__name__)

COMPANY_ZONE = ZoneInfo("Asia/Seoul")
"""The company time zone when none is given (the `DOJANG_TIMEZONE` default)."""

UnitOfWorkFactory = Callable[[], ProcessingUnitOfWork]


class DelegationUseCases:
    """Delegations of the caller, and the tasks that follow them."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        directory: EmployeeDirectory,
        *,
        clock: Clock,
        zone: tzinfo = COMPANY_ZONE,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._directory = directory
        self._clock = clock
        self._zone = zone  # the company's: a window given as dates covers its local days
        # called after a grant or a revocation changes when windows start or end (the
        # sweeper's `wake`, so it looks at its next boundary again)
        self.on_schedule_change: Callable[[], None] = lambda: None

    async def involving(
        self, caller_id: str, *, after: TimeCursor | None, limit: int
    ) -> list[Delegation]:
        """The caller's delegations, given and received, newest first."""
        async with self._unit_of_work() as uow:
            return await uow.delegations.involving(caller_id, after=after, limit=limit)

    async def grant(
        self,
        caller_id: str,
        *,
        delegate_id: str,
        starts_at: DayOrInstant,
        ends_at: DayOrInstant,
        reason: DelegationReason | None = None,
        reason_note: str | None = None,
    ) -> Delegation:
        """Delegate the caller's tasks to `delegate_id` for a window of time.

        Dates alone are whole days of the company's time zone, the end date included.
        422 for oneself, an unknown or inactive delegate, or a bad window; 409 if the
        caller already delegates during part of it. An active delegation takes the tasks
        the caller holds at once.
        """
        now = self._clock.now()
        errors = [] if delegate_id == caller_id else await self._delegate_errors(delegate_id)
        try:
            ends = window_end(ends_at, self._zone)
        except DayOutOfRange:
            raise InvalidInput(
                "The delegation is not valid.",
                errors=[*errors, FieldError("ends_at", "is out of range")],
            ) from None
        try:
            delegation = Delegation.grant(
                delegation_id=new_id(),
                delegator_id=caller_id,
                delegate_id=delegate_id,
                starts_at=window_start(starts_at, self._zone),
                ends_at=ends,
                at=now,
                reason=reason,
                reason_note=reason_note,
            )
        except InvalidInput as exc:
            raise InvalidInput(exc.detail, errors=errors + exc.errors, **exc.params) from None
        if errors:
            raise InvalidInput("The delegation is not valid.", errors=errors)
        async with self._unit_of_work() as uow:
            # two grants of one delegator could both find no overlap before either is stored
            await uow.lock_delegator(caller_id)
            for other in await uow.delegations.unrevoked_of(caller_id):
                if delegation.overlaps(other):
                    raise OverlappingDelegation(
                        "You already delegate to {delegate_id} from {starts_at} to {ends_at}.",
                        delegate_id=other.delegate_id,
                        starts_at=other.starts_at.isoformat(),
                        ends_at=other.ends_at.isoformat(),
                    )
            await uow.delegations.add(delegation)
            uow.emit(events.RESULTS_TOPIC, events.delegation_changed(delegation, at=now))
            moved = await hand_over(uow, [delegation], at=now)
            await uow.commit()
        log.info(
            "delegation_granted",
            delegation_id=delegation.id,
            delegator_id=caller_id,
            delegate_id=delegate_id,
            tasks_moved=moved,
        )
        self.on_schedule_change()
        return delegation

    async def _delegate_errors(self, delegate_id: str) -> list[FieldError]:
        delegate = await self._directory.get_employee(delegate_id)
        if delegate is None:
            return [
                FieldError(
                    "delegate_id",
                    "there is no employee {employee_id}",
                    {"employee_id": delegate_id},
                )
            ]
        if not delegate.active:
            return [
                FieldError(
                    "delegate_id",
                    "employee {employee_id} is deactivated",
                    {"employee_id": delegate_id},
                )
            ]
        return []

    async def revoke(self, caller: Principal, delegation_id: str) -> None:
        """End a delegation (its delegator or an administrator); its tasks go back.

        Revoking a revoked delegation changes nothing; 404 for anyone else.
        """
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            delegation = await uow.delegations.get(delegation_id)
            if delegation is None or not delegation.may_be_revoked_by(
                caller.user_id, is_admin=caller.is_admin
            ):
                raise DelegationNotFound(delegation_id)
            if not delegation.revoke(now):
                return
            await uow.delegations.save(delegation)
            uow.emit(events.RESULTS_TOPIC, events.delegation_changed(delegation, at=now))
            moved = await give_back(uow, [delegation], at=now)
            await uow.commit()
        self.on_schedule_change()
        log.info(
            "delegation_revoked",
            delegation_id=delegation_id,
            revoked_by=caller.user_id,
            tasks_returned=moved,
        )

    async def follow_windows(self) -> int:
        """Move tasks as delegations start and end; returns how many changed hands.

        Who may decide never waits for this: a task is its delegate's only while the
        delegation is active. This makes the holder stored and announced, so that the
        right person is told it is their turn.
        """
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            moved = await give_back(uow, await uow.delegations.lapsed_holding_tasks(now), at=now)
            moved += await hand_over(uow, await uow.delegations.active(now), at=now)
            await uow.commit()
        return moved

    async def seconds_to_next_window_change(self) -> float | None:
        """How long until a delegation starts or ends, if one ever will (the sweeper runs
        then, so tasks change hands when the window does, not up to a sweep later)."""
        now = self._clock.now()
        async with self._unit_of_work() as uow:
            boundary = await uow.delegations.next_boundary(now)
        return None if boundary is None else (boundary - now).total_seconds()
