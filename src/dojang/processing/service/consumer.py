"""The `processing` consumer group: tasks from `approval-requests`, leavers from employees."""

from __future__ import annotations

from dojang.kernel.bus.envelope import Event
from dojang.kernel.clock import Clock
from dojang.processing.service import events
from dojang.processing.service.employee_events import EmployeeEventHandler
from dojang.processing.service.requests import ApprovalRequestHandler
from dojang.processing.service.unit_of_work import ProcessingUnitOfWork

CONSUMER_GROUP = "processing"
TOPICS = (events.REQUESTS_TOPIC, events.EMPLOYEE_EVENTS_TOPIC)


class ProcessingEventHandler:
    """Dispatches the group's events by type; types it does not know are none of its business."""

    def __init__(self, *, clock: Clock) -> None:
        self._requests = ApprovalRequestHandler(clock=clock)
        self._employees = EmployeeEventHandler(clock=clock)

    async def __call__(self, event: Event, uow: ProcessingUnitOfWork) -> None:
        """Apply one event in the runner's unit of work."""
        if event.type == events.TASKS_OPENED:
            await self._requests.tasks_opened(event, uow)
        elif event.type == events.TASKS_CANCELLED:
            await self._requests.tasks_cancelled(event, uow)
        elif event.type == events.DECIDED:
            await self._requests.decided(event, uow)
        elif event.type == events.SLOTS_ANNOUNCED:
            await self._requests.slots_announced(event, uow)
        elif event.type == events.EMPLOYEE_DEACTIVATED:
            await self._employees.deactivated(event, uow)
