"""The tables of a copy of the organisation, added to a service's own metadata."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import JSON, BigInteger, Column, DateTime, Integer, MetaData, String, Table

ID = String(36)


@dataclass(frozen=True)
class OrgTables:
    """`org_employees` (each employee's last `EmployeeView`), `org_departments`, `org_state`."""

    employees: Table
    departments: Table
    state: Table


def define_org_tables(metadata: MetaData) -> OrgTables:
    """Add the organisation copy's tables to a service's metadata."""
    employees = Table(
        "org_employees",
        metadata,
        Column("id", ID, primary_key=True),
        Column("view", JSON, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
    departments = Table(
        "org_departments",
        metadata,
        Column("id", ID, primary_key=True),
        Column("name", String(100), nullable=False),
        Column("parent_id", ID, nullable=True),
        Column("head_id", ID, nullable=True),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
    state = Table(
        "org_state",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("generation", BigInteger, nullable=False),
    )
    return OrgTables(employees=employees, departments=departments, state=state)
