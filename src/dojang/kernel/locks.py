"""Lock rows: writes that must take turns lock one row, which stays locked until commit.

A check that guards a write (no overlapping delegations, no management cycle) reads rows and
then writes others; two transactions can both read before either writes, and both pass. On a
server database each takes the same lock row first, so the second waits until the first has
committed and then reads what it wrote. Embedded SQLite has one writer at a time anyway; the
statement runs there too, so one code path serves both.

The row is locked by an upsert, which creates it the first time and otherwise takes it
exclusively at once: MySQL's `INSERT … ON DUPLICATE KEY UPDATE` puts an exclusive lock on the
row it finds. Creating it with `INSERT IGNORE` and then `SELECT … FOR UPDATE` would deadlock
two transactions that both hold the shared lock of the duplicate-key check and both want the
exclusive one; a `SELECT … FOR UPDATE` of a missing row takes gap locks that deadlock the two
inserts that follow it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Dialect, Insert, Table
from sqlalchemy.dialects import mysql, postgresql, sqlite


def lock_row_statement(dialect: Dialect, table: Table, key: Mapping[str, str]) -> Insert:
    """The upsert that creates the row with primary key `key` if missing and locks it."""
    if dialect.name in ("mysql", "mariadb"):
        upsert = mysql.insert(table).values(**key)
        return upsert.on_duplicate_key_update({name: upsert.inserted[name] for name in key})
    if dialect.name == "postgresql":
        pg = postgresql.insert(table).values(**key)
        return pg.on_conflict_do_update(
            index_elements=list(key), set_={name: pg.excluded[name] for name in key}
        )
    if dialect.name == "sqlite":
        lite = sqlite.insert(table).values(**key)
        return lite.on_conflict_do_update(
            index_elements=list(key), set_={name: lite.excluded[name] for name in key}
        )
    raise NotImplementedError(f"no lock rows on {dialect.name}")


def upsert_statement(
    dialect: Dialect,
    table: Table,
    values: Mapping[str, Any],
    key: Sequence[str],
    assignments: Sequence[tuple[str, Any]],
) -> Insert:
    """INSERT `values`; where the row with the same primary key `key` exists, make the
    `assignments` to it instead, and lock it (as `lock_row_statement` does).

    Concurrent upserts of a key nobody has stored yet take turns on it, where an UPDATE
    that found nothing and then an INSERT would fail on the key, or, after a DELETE, wipe
    what the other stored. MySQL lets an assignment read the columns assigned before it,
    SQLite and PostgreSQL only the old row: so no assignment may read a column assigned
    before it.
    """
    if dialect.name in ("mysql", "mariadb"):
        return mysql.insert(table).values(**values).on_duplicate_key_update(list(assignments))
    if dialect.name == "postgresql":
        pg = postgresql.insert(table).values(**values)
        return pg.on_conflict_do_update(index_elements=list(key), set_=dict(assignments))
    if dialect.name == "sqlite":
        lite = sqlite.insert(table).values(**values)
        return lite.on_conflict_do_update(index_elements=list(key), set_=dict(assignments))
    raise NotImplementedError(f"no upserts on {dialect.name}")


def count_up_statement(
    dialect: Dialect, table: Table, key: Mapping[str, Any], counter: str
) -> Insert:
    """The upsert that adds one to the `counter` column of the row with primary key `key`,
    creating it at 1 if missing, and locks the row."""
    return upsert_statement(
        dialect, table, {**key, counter: 1}, list(key), [(counter, table.c[counter] + 1)]
    )
