"""What the database says it will do for a list query: an index walk, or a scan and a sort.

`assert_index_walk` asks SQLite (`EXPLAIN QUERY PLAN`) or MariaDB (`EXPLAIN`) for the plan of
a statement and fails when it reads a whole table or sorts into a temporary structure: a
list that stops at its page size must do neither, however many rows the tables hold.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql import Executable

from dojang.kernel.db import Database


def _driver_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


async def query_plan(db: Database, statement: Executable) -> list[str]:
    """The lines of the plan the database chooses for `statement`."""
    compiled = statement.compile(dialect=db.dialect)
    params = compiled.construct_params()
    names = compiled.positiontup or []
    args = tuple(_driver_value(params[name]) for name in names)
    sql = str(compiled)

    def explain(connection: Connection) -> list[str]:
        if db.is_sqlite:
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", args).all()
            return [str(row[-1]) for row in rows]
        rows = connection.exec_driver_sql(f"EXPLAIN {sql}", args).mappings().all()
        return [
            f"table={row['table']} type={row['type']} key={row['key']} extra={row['Extra']}"
            for row in rows
        ]

    async with db.engine.connect() as connection:
        return await connection.run_sync(explain)


def scans_or_sorts(plan: list[str], *, allowed_scans: tuple[str, ...] = ()) -> list[str]:
    """The lines of `plan` that read a whole table or sort into a temporary structure."""

    def bad(line: str) -> bool:
        upper = line.upper()
        sorts = any(word in upper for word in ("TEMP B-TREE", "FILESORT", "USING TEMPORARY"))
        scans = upper.startswith("SCAN ") or " TYPE=ALL " in f" {upper} "
        return sorts or (scans and not any(name in line for name in allowed_scans))

    return [line for line in plan if bad(line)]


async def assert_index_walk(
    db: Database, statement: Executable, *, allowed_scans: tuple[str, ...] = ()
) -> None:
    """Fail unless the plan of `statement` walks indexes only, with no sort of its own."""
    plan = await query_plan(db, statement)
    assert not scans_or_sorts(plan, allowed_scans=allowed_scans), "\n".join(plan)
