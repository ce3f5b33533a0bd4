"""SQL repositories of employees, departments and attendance, on one session."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Executable, Select, and_, func, insert, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from dojang.employee.adapters.tables import (
    attendance,
    departments,
    employees,
    leave_balances,
    leave_reservations,
)
from dojang.employee.domain.attendance import AttendanceRecord
from dojang.employee.domain.employees import Employee
from dojang.employee.domain.errors import (
    AlreadyCheckedIn,
    DuplicateDepartmentName,
    DuplicateEmail,
)
from dojang.employee.domain.leave import LeaveReservation, LeaveYear, ReservationStatus
from dojang.employee.domain.organisation import Department, DepartmentTree
from dojang.employee.domain.positions import Position
from dojang.employee.service.unit_of_work import EmployeeQuery
from dojang.kernel.ports import DepartmentRef, EmployeeView
from dojang.kernel.sql import SqlConnection, SqlSession


def utc(value: datetime) -> datetime:
    """A stored instant as aware UTC (SQLite and MySQL hand back naive UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _utc_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else utc(value)


def _is_violation_of(exc: IntegrityError, *names: str) -> bool:
    message = str(exc.orig).lower()
    return any(name in message for name in names)


async def _write_unique(
    session: SqlSession, statement: Executable, duplicate: Exception, *names: str
) -> None:
    """Run a write; if it breaks a uniqueness naming one of `names`, raise `duplicate`."""
    try:
        await session.execute(statement)
    except IntegrityError as exc:
        if _is_violation_of(exc, *names):
            raise duplicate from exc
        raise


def select_employee_views() -> Select[Any]:
    """Employees joined with their department's name, as `EmployeeView` rows."""
    return select(
        employees,
        departments.c.name.label("department_name"),
    ).select_from(employees.outerjoin(departments, employees.c.department_id == departments.c.id))


def employee_view(row: Any) -> EmployeeView:
    """The public representation of a row of `select_employee_views`."""
    department = (
        DepartmentRef(id=row.department_id, name=row.department_name)
        if row.department_id is not None
        else None
    )
    return EmployeeView(
        id=row.id,
        name=row.name,
        email=row.email,
        department=department,
        position=row.position,
        manager_id=row.manager_id,
        roles=list(row.roles),
        active=row.active,
        created_at=utc(row.created_at),
    )


async def fetch_employee_view(
    connection: SqlSession | SqlConnection, employee_id: str
) -> EmployeeView | None:
    """One employee's public representation, or None."""
    row = (
        await connection.execute(select_employee_views().where(employees.c.id == employee_id))
    ).first()
    return employee_view(row) if row is not None else None


def _employee(row: Any) -> Employee:
    return Employee(
        id=row.id,
        name=row.name,
        email=row.email,
        department_id=row.department_id,
        position=Position(row.position),
        manager_id=row.manager_id,
        roles=tuple(row.roles),
        active=row.active,
        created_at=utc(row.created_at),
    )


def _employee_values(employee: Employee) -> dict[str, Any]:
    return {
        "name": employee.name,
        "email": employee.email,
        "department_id": employee.department_id,
        "position": employee.position.value,
        "manager_id": employee.manager_id,
        "roles": list(employee.roles),
        "active": employee.active,
    }


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlEmployeeRepository:
    def __init__(self, session: SqlSession) -> None:
        self._session = session

    async def get(self, employee_id: str) -> Employee | None:
        """The employee with this id, if any."""
        row = (
            await self._session.execute(select(employees).where(employees.c.id == employee_id))
        ).first()
        return _employee(row) if row is not None else None

    async def get_by_email(self, email: str) -> Employee | None:
        """The employee with this (normalised) email address, if any."""
        row = (
            await self._session.execute(select(employees).where(employees.c.email == email))
        ).first()
        return _employee(row) if row is not None else None

    async def add(self, employee: Employee) -> None:
        """Store a new employee; `DuplicateEmail` if the address is taken."""
        await _write_unique(
            self._session,
            insert(employees).values(
                id=employee.id,
                created_at=employee.created_at,
                updated_at=employee.created_at,
                **_employee_values(employee),
            ),
            _duplicate_email(employee),
            "email",
        )

    async def save(self, employee: Employee, *, at: datetime) -> None:
        """Store the changed fields of an existing employee."""
        await _write_unique(
            self._session,
            update(employees)
            .where(employees.c.id == employee.id)
            .values(updated_at=at, **_employee_values(employee)),
            _duplicate_email(employee),
            "email",
        )

    async def manager_links(self, employee_id: str) -> dict[str, str | None]:
        """Each employee on the way up from `employee_id`, mapped to their manager's id."""
        links: dict[str, str | None] = {}
        current: str | None = employee_id
        # one query per level: chains are short, and a corrupt cycle ends at the first repeat
        while current is not None and current not in links:
            manager_id = await self._session.scalar(
                select(employees.c.manager_id).where(employees.c.id == current)
            )
            links[current] = manager_id
            current = manager_id
        return links

    async def direct_reports(self, manager_id: str) -> list[Employee]:
        """The employees whose manager is `manager_id`."""
        rows = await self._session.execute(
            select(employees).where(employees.c.manager_id == manager_id).order_by(employees.c.id)
        )
        return [_employee(row) for row in rows]

    async def view(self, employee_id: str) -> EmployeeView | None:
        """The public representation of one employee, if they exist."""
        return await fetch_employee_view(self._session, employee_id)

    async def views(
        self, query: EmployeeQuery, *, after: tuple[str, str] | None, limit: int
    ) -> list[EmployeeView]:
        """Up to `limit` employees matching `query`, by name then id, after `(name, id)`."""
        statement = select_employee_views()
        conditions = []
        if query.text:
            pattern = f"%{_escape_like(query.text.lower())}%"
            conditions.append(
                or_(
                    func.lower(employees.c.name).like(pattern, escape="\\"),
                    func.lower(employees.c.email).like(pattern, escape="\\"),
                )
            )
        if query.department_id is not None:
            conditions.append(employees.c.department_id == query.department_id)
        if query.position is not None:
            conditions.append(employees.c.position == query.position.value)
        if query.active is not None:
            conditions.append(employees.c.active == query.active)
        if after is not None:
            conditions.append(tuple_(employees.c.name, employees.c.id) > tuple_(*after))
        if conditions:
            statement = statement.where(and_(*conditions))
        rows = await self._session.execute(
            statement.order_by(employees.c.name, employees.c.id).limit(limit)
        )
        return [employee_view(row) for row in rows]


def _department(row: Any) -> Department:
    return Department(
        id=row.id,
        name=row.name,
        parent_id=row.parent_id,
        head_id=row.head_id,
        created_at=utc(row.created_at),
    )


class SqlDepartmentRepository:
    def __init__(self, session: SqlSession) -> None:
        self._session = session

    async def tree(self) -> DepartmentTree:
        """Every department."""
        rows = await self._session.execute(select(departments))
        return DepartmentTree(_department(row) for row in rows)

    async def add(self, department: Department) -> None:
        """Store a new department; `DuplicateDepartmentName` if the name is taken."""
        await _write_unique(
            self._session,
            insert(departments).values(
                id=department.id,
                name=department.name,
                parent_id=department.parent_id,
                head_id=department.head_id,
                created_at=department.created_at,
                updated_at=department.created_at,
            ),
            _duplicate_name(department),
            "name",
        )

    async def save(self, department: Department, *, at: datetime) -> None:
        """Store the changed fields of an existing department."""
        await _write_unique(
            self._session,
            update(departments)
            .where(departments.c.id == department.id)
            .values(
                name=department.name,
                parent_id=department.parent_id,
                head_id=department.head_id,
                updated_at=at,
            ),
            _duplicate_name(department),
            "name",
        )


def _duplicate_email(employee: Employee) -> DuplicateEmail:
    return DuplicateEmail(
        "An employee with the email {email} already exists.", email=employee.email
    )


def _duplicate_name(department: Department) -> DuplicateDepartmentName:
    return DuplicateDepartmentName(
        "There is already a department named '{name}'.", name=department.name
    )


def _record(row: Any) -> AttendanceRecord:
    return AttendanceRecord(
        id=row.id,
        employee_id=row.employee_id,
        work_date=row.work_date,
        check_in_at=utc(row.check_in_at),
        check_out_at=_utc_or_none(row.check_out_at),
    )


class SqlAttendanceRepository:
    def __init__(self, session: SqlSession) -> None:
        self._session = session

    async def latest(self, employee_id: str) -> AttendanceRecord | None:
        """The employee's record of the most recent day, if any."""
        row = (
            await self._session.execute(
                select(attendance)
                .where(attendance.c.employee_id == employee_id)
                .order_by(attendance.c.work_date.desc())
                .limit(1)
            )
        ).first()
        return _record(row) if row is not None else None

    async def add(self, record: AttendanceRecord) -> None:
        """Store a check-in; `AlreadyCheckedIn` if that day already has one."""
        await _write_unique(
            self._session,
            insert(attendance).values(
                id=record.id,
                employee_id=record.employee_id,
                work_date=record.work_date,
                check_in_at=record.check_in_at,
                check_out_at=record.check_out_at,
            ),
            AlreadyCheckedIn("You already checked in on {day}.", day=record.work_date.isoformat()),
            "work_date",
            "uq_attendance_employee_day",
        )

    async def save(self, record: AttendanceRecord) -> None:
        """Store a check-out."""
        await self._session.execute(
            update(attendance)
            .where(attendance.c.id == record.id)
            .values(check_out_at=record.check_out_at)
        )

    async def between(
        self,
        employee_id: str,
        first: date,
        last: date,
        *,
        after: tuple[date, str] | None,
        limit: int,
    ) -> list[AttendanceRecord]:
        """Up to `limit` records of days `first`..`last`, newest first, after `(day, id)`."""
        rows = await self._session.execute(attendance_page(employee_id, first, last, after, limit))
        return [_record(row) for row in rows]


def _days(value: float) -> Decimal:
    return Decimal(str(value))


def _account(row: Any) -> LeaveYear:
    return LeaveYear(
        employee_id=row.employee_id,
        year=row.year,
        granted=_days(row.granted),
        used=_days(row.used),
    )


def _reservation(row: Any) -> LeaveReservation:
    return LeaveReservation(
        id=row.id,
        employee_id=row.employee_id,
        year=row.year,
        days=_days(row.days),
        document_id=row.document_id,
        version=row.version,
        status=ReservationStatus(row.status),
        expires_at=_utc_or_none(row.expires_at),
        start_date=row.start_date,
        end_date=row.end_date,
    )


def _reservation_values(reservation: LeaveReservation) -> dict[str, Any]:
    # halves are exact in binary floating point, and the column keeps one decimal
    return {
        "year": reservation.year,
        "days": float(reservation.days),
        "status": reservation.status.value,
        "expires_at": reservation.expires_at,
        "start_date": reservation.start_date,
        "end_date": reservation.end_date,
    }


class SqlLeaveRepository:
    def __init__(self, session: SqlSession) -> None:
        self._session = session

    def _year(self, employee_id: str, year: int) -> Select[Any]:
        return select(leave_balances).where(
            leave_balances.c.employee_id == employee_id, leave_balances.c.year == year
        )

    async def get(self, employee_id: str, year: int) -> LeaveYear | None:
        """The employee's grant and used days of `year`, if that year has been touched."""
        row = (await self._session.execute(self._year(employee_id, year))).first()
        return _account(row) if row is not None else None

    async def lock(self, employee_id: str, year: int) -> LeaveYear | None:
        """As `get`, with the row locked until the transaction ends (`SELECT ... FOR UPDATE`).

        SQLite has no row locks; there a transaction has the whole file to itself.
        """
        statement = self._year(employee_id, year).with_for_update()
        row = (await self._session.execute(statement)).first()
        return _account(row) if row is not None else None

    async def add(self, account: LeaveYear, *, at: datetime) -> None:
        """Store a new year (`IntegrityError` if a concurrent writer stored it first)."""
        await self._session.execute(
            insert(leave_balances).values(
                employee_id=account.employee_id,
                year=account.year,
                granted=float(account.granted),
                used=float(account.used),
                created_at=at,
                updated_at=at,
            )
        )

    async def save(self, account: LeaveYear, *, at: datetime) -> None:
        """Store the changed used days of an existing year."""
        await self._session.execute(
            update(leave_balances)
            .where(
                leave_balances.c.employee_id == account.employee_id,
                leave_balances.c.year == account.year,
            )
            .values(used=float(account.used), updated_at=at)
        )

    async def _reservations(self, *conditions: Any, lock: bool = False) -> list[LeaveReservation]:
        statement = select(leave_reservations).where(*conditions).order_by(leave_reservations.c.id)
        if lock:
            statement = statement.with_for_update()
        rows = await self._session.execute(statement)
        return [_reservation(row) for row in rows]

    async def reservation(self, reservation_id: str) -> LeaveReservation | None:
        """The reservation with this id, if any."""
        found = await self._reservations(leave_reservations.c.id == reservation_id)
        return found[0] if found else None

    async def reservation_of(self, document_id: str, version: int) -> LeaveReservation | None:
        """The reservation of one version of a leave document, if any."""
        found = await self._reservations(
            leave_reservations.c.document_id == document_id,
            leave_reservations.c.version == version,
        )
        return found[0] if found else None

    async def held(
        self, employee_id: str, year: int, *, lock: bool = False
    ) -> list[LeaveReservation]:
        """The employee's reservations of `year` in status held (lapsed ones included).

        With `lock`, a locking read: what is committed now, not the transaction's snapshot.
        """
        return await self._reservations(
            leave_reservations.c.employee_id == employee_id,
            leave_reservations.c.year == year,
            leave_reservations.c.status == ReservationStatus.HELD.value,
            lock=lock,
        )

    async def overlapping(
        self, employee_id: str, first: date, last: date, *, lock: bool = False
    ) -> list[LeaveReservation]:
        """The employee's held or consumed reservations whose dates meet `first`..`last`
        (lapsed holds included: the caller decides what still stands)."""
        return await self._reservations(
            leave_reservations.c.employee_id == employee_id,
            leave_reservations.c.start_date <= last,
            leave_reservations.c.end_date >= first,
            leave_reservations.c.status.in_(
                [ReservationStatus.HELD.value, ReservationStatus.CONSUMED.value]
            ),
            lock=lock,
        )

    async def held_before(self, document_id: str, version: int) -> list[LeaveReservation]:
        """The held reservations of a document's versions earlier than `version`."""
        return await self._reservations(
            leave_reservations.c.document_id == document_id,
            leave_reservations.c.version < version,
            leave_reservations.c.status == ReservationStatus.HELD.value,
        )

    async def add_reservation(self, reservation: LeaveReservation, *, at: datetime) -> None:
        """Store a new reservation."""
        await self._session.execute(
            insert(leave_reservations).values(
                id=reservation.id,
                employee_id=reservation.employee_id,
                document_id=reservation.document_id,
                version=reservation.version,
                created_at=at,
                updated_at=at,
                **_reservation_values(reservation),
            )
        )

    async def save_reservation(self, reservation: LeaveReservation, *, at: datetime) -> None:
        """Store a reservation's changed status, days and expiry."""
        await self._session.execute(
            update(leave_reservations)
            .where(leave_reservations.c.id == reservation.id)
            .values(updated_at=at, **_reservation_values(reservation))
        )


def attendance_page(
    employee_id: str, first: date, last: date, after: tuple[date, str] | None, limit: int
) -> Select[Any]:
    """One page of an employee's attendance days, newest first: a walk of the unique
    (employee, day) index, which stops at `limit`."""
    conditions = [
        attendance.c.employee_id == employee_id,
        attendance.c.work_date >= first,
        attendance.c.work_date <= last,
    ]
    if after is not None:
        conditions.append(tuple_(attendance.c.work_date, attendance.c.id) < tuple_(*after))
    return (
        select(attendance)
        .where(*conditions)
        # one record per employee and day: the day alone orders the page, as the index does
        .order_by(attendance.c.work_date.desc())
        .limit(limit)
    )
