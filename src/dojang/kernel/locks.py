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

from collections.abc import Mapping
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


def count_up_statement(
    dialect: Dialect, table: Table, key: Mapping[str, Any], counter: str
) -> Insert:
    """The upsert that adds one to the `counter` column of the row with primary key `key`,
    creating it at 1 if missing, and locks the row: concurrent first counts of a new key
    take turns on it instead of failing on the key (the lock-row upsert above, counting)."""
    column = table.c[counter]
    if dialect.name in ("mysql", "mariadb"):
        upsert = mysql.insert(table).values(**key, **{counter: 1})
        return upsert.on_duplicate_key_update({counter: column + 1})
    if dialect.name == "postgresql":
        pg = postgresql.insert(table).values(**key, **{counter: 1})
        return pg.on_conflict_do_update(index_elements=list(key), set_={counter: column + 1})
    if dialect.name == "sqlite":
        lite = sqlite.insert(table).values(**key, **{counter: 1})
        return lite.on_conflict_do_update(index_elements=list(key), set_={counter: column + 1})
    raise NotImplementedError(f"no counters on {dialect.name}")
