"""The CSV file `dojang import org` reads: one employee a row, headers in English or Korean.

    이름,이메일,부서,직위,관리자
    김민준,minjun.kim@example.com,경영지원,부장,
    이서연,seoyeon.lee@example.com,경영지원,대리,minjun.kim@example.com

`관리자` (manager) is the manager's email: someone in the file or already employed. `직위`
takes the position's code (`general_manager`) or its Korean title (부장); empty is `staff`.
An optional `역할` (roles) column lists roles separated by spaces or `;`. The file is UTF-8,
with or without the byte-order mark Excel writes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dojang.employee.domain.positions import Position
from dojang.employee.service.org_import import ImportedEmployee, nothing_imported
from dojang.kernel.auth.principal import ROLES
from dojang.kernel.errors import FieldError, InvalidInput

HEADERS = {
    "name": "name",
    "이름": "name",
    "성명": "name",
    "email": "email",
    "이메일": "email",
    "department": "department",
    "부서": "department",
    "position": "position",
    "직위": "position",
    "직급": "position",
    "manager": "manager",
    "manager_email": "manager",
    "관리자": "manager",
    "상사": "manager",
    "roles": "roles",
    "역할": "roles",
}
POSITIONS = {position.value: position.value for position in Position} | {
    position.label: position.value for position in Position
}
MAX_ROWS = 10_000


def read_org_csv(path: Path) -> list[ImportedEmployee]:
    """Every row of the file; 422 naming each bad line (the header is line 1)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "{path} is not UTF-8 text ({reason})", path=path, reason=exc.reason
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise InvalidInput("{path} is empty: it needs a header line", path=path)
    columns, problems = _columns(header)
    if problems:
        raise InvalidInput("The header line is not usable.", errors=problems)
    rows: list[ImportedEmployee] = []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            problems.append(FieldError(f"line {line}", "more than {rows} rows", {"rows": MAX_ROWS}))
            break
        row = _row(line, dict(zip(columns, cells, strict=False)), len(cells), len(columns))
        if isinstance(row, FieldError):
            problems.append(row)
        else:
            rows.append(row)
    if problems:
        raise nothing_imported(problems)
    return rows


def _columns(header: list[str]) -> tuple[list[str], list[FieldError]]:
    columns, problems = [], []
    for cell in header:
        name = HEADERS.get(cell.strip().lower())
        if name is None:
            known = ", ".join(sorted(set(HEADERS)))
            problems.append(
                FieldError(
                    "line 1",
                    "unknown column '{column}' ({known})",
                    {"column": cell.strip(), "known": known},
                )
            )
        columns.append(name or "")
    for required in ("name", "email"):
        if required not in columns:
            problems.append(
                FieldError("line 1", "a {column} column is required", {"column": required})
            )
    return columns, problems


def _row(
    line: int, cells: dict[str, str], count: int, expected: int
) -> ImportedEmployee | FieldError:
    if count != expected:
        return FieldError(
            f"line {line}",
            "{count} cells where the header has {expected}",
            {"count": count, "expected": expected},
        )
    value = {key: cell.strip() for key, cell in cells.items()}
    if not value.get("name") or not value.get("email"):
        return FieldError(f"line {line}", "name and email are required")
    raw_position = value.get("position") or "staff"
    position = POSITIONS.get(raw_position)
    if position is None:
        return FieldError(
            f"line {line}", "unknown position '{position}'", {"position": raw_position}
        )
    roles = tuple(dict.fromkeys(["employee", *value.get("roles", "").replace(";", " ").split()]))
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        return FieldError(
            f"line {line}",
            "unknown role '{role}' ({roles})",
            {"role": unknown[0], "roles": ", ".join(ROLES)},
        )
    return ImportedEmployee(
        line=line,
        name=value["name"],
        email=value["email"],
        department=value.get("department") or None,
        position=position,
        manager_email=value.get("manager") or None,
        roles=roles,
    )
