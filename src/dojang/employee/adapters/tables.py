"""The employee database: SQLAlchemy Core tables, with the kernel's outbox beside them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    UniqueConstraint,
)

from dojang.kernel.bus.tables import define_kernel_tables

metadata = MetaData()

ID = String(36)

departments = Table(
    "departments",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("parent_id", ID, ForeignKey("departments.id", name="fk_departments_parent"), index=True),
    # no foreign key: departments and employees would reference each other, which MySQL can
    # only create with a later ALTER; the use cases check that the head exists
    Column("head_id", ID, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("name", name="uq_departments_name"),
)

employees = Table(
    "employees",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("email", String(254), nullable=False),
    Column(
        "department_id",
        ID,
        ForeignKey("departments.id", name="fk_employees_department"),
        nullable=True,
    ),
    Column("position", String(32), nullable=False),
    Column("manager_id", ID, ForeignKey("employees.id", name="fk_employees_manager")),
    Column("roles", JSON, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("email", name="uq_employees_email"),
    Index("ix_employees_name_id", "name", "id"),
    Index("ix_employees_department_id", "department_id"),
    Index("ix_employees_manager_id", "manager_id"),
)

attendance = Table(
    "attendance",
    metadata,
    Column("id", ID, primary_key=True),
    Column(
        "employee_id",
        ID,
        ForeignKey("employees.id", name="fk_attendance_employee"),
        nullable=False,
    ),
    Column("work_date", Date, nullable=False),
    Column("check_in_at", DateTime(timezone=True), nullable=False),
    Column("check_out_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("employee_id", "work_date", name="uq_attendance_employee_day"),
)

# days of leave, in half days; read back as float (exact for halves), computed as Decimal
DAYS = Numeric(6, 1, asdecimal=False)

leave_balances = Table(
    "leave_balances",
    metadata,
    Column(
        "employee_id",
        ID,
        ForeignKey("employees.id", name="fk_leave_balances_employee"),
        primary_key=True,
    ),
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("granted", DAYS, nullable=False),
    Column("used", DAYS, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# one row, locked by every change to the shape of the organisation (who reports to whom, which
# department sits under which, who heads one) and by deactivations, so that two concurrent
# changes cannot each pass a check (no cycle, an active head) on what the other changes
org_lock = Table(
    "org_lock",
    metadata,
    Column("name", String(32), primary_key=True),
)

# one per version of a leave document; `expires_at` is null once the document confirmed it
leave_reservations = Table(
    "leave_reservations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column(
        "employee_id",
        ID,
        ForeignKey("employees.id", name="fk_leave_reservations_employee"),
        nullable=False,
    ),
    Column("year", Integer, nullable=False),
    Column("days", DAYS, nullable=False),
    Column("document_id", ID, nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("start_date", Date, nullable=True),
    Column("end_date", Date, nullable=True),
    UniqueConstraint("document_id", "version", name="uq_leave_reservations_document_version"),
    Index("ix_leave_reservations_employee_year_status", "employee_id", "year", "status"),
    Index("ix_leave_reservations_employee_dates", "employee_id", "start_date", "end_date"),
)

kernel_tables = define_kernel_tables(metadata)
