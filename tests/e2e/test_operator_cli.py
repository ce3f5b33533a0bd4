"""`dojang user list|set-manager|reset-password|deactivate`, `dojang import org` and
`dojang doctor`, run as subprocesses against a data directory, as an operator runs them."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import pytest

from dojang.app import Embedded
from dojang.kernel.errors import Unauthenticated

from .conftest import dojang_command

pytestmark = pytest.mark.e2e

ORG_CSV = """이름,이메일,부서,직위,관리자
박지훈,jihoon@example.com,개발,사원,seoyeon@example.com
김민준,minjun@example.com,경영지원,부장,
이서연,seoyeon@example.com,개발,대리,minjun@example.com
"""
PASSPHRASE = "a-long-and-quite-unusual-passphrase"


def _dojang(
    *args: str, data_dir: Path, stdin: str | None = None, **settings: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJANG_")}
    env["DOJANG_DATA_DIR"] = str(data_dir)
    env["DOJANG_LOG_LEVEL"] = "WARNING"
    env.update({f"DOJANG_{name.upper()}": value for name, value in settings.items()})
    return subprocess.run(  # noqa: S603
        [*dojang_command(), *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin or "",
        timeout=90,
        check=False,
    )


def _listed(data_dir: Path) -> dict[str, list[str]]:
    """`dojang user list` by email: [name, department, position, roles, manager, status]."""
    listed = _dojang("user", "list", data_dir=data_dir)
    assert listed.returncode == 0, listed.stderr
    lines = [line for line in listed.stdout.splitlines() if "\t" in line]
    assert lines[0].startswith("email\tname\tdepartment")
    return {line.split("\t")[0]: line.split("\t")[1:7] for line in lines[1:]}


def test_an_org_file_is_checked_by_a_dry_run_then_imported_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    org = tmp_path / "org.csv"
    org.write_text("\ufeff" + ORG_CSV, encoding="utf-8")  # as Excel saves it

    dry = _dojang("import", "org", str(org), "--dry-run", data_dir=data_dir)
    assert dry.returncode == 0, dry.stderr
    assert "would hire seoyeon@example.com" in dry.stdout
    assert "dry run: nothing written; 3 hired, 2 departments founded" in dry.stdout
    assert _listed(data_dir) == {}

    imported = _dojang("import", "org", str(org), data_dir=data_dir)
    assert imported.returncode == 0, imported.stderr
    assert "3 hired, 2 departments founded, 0 already employed" in imported.stdout
    assert _listed(data_dir) == {
        "minjun@example.com": ["김민준", "경영지원", "general_manager", "employee", "-", "active"],
        "seoyeon@example.com": [
            "이서연", "개발", "senior", "employee", "minjun@example.com", "active"
        ],
        "jihoon@example.com": [
            "박지훈", "개발", "staff", "employee", "seoyeon@example.com", "active"
        ],
    }  # fmt: skip

    again = _dojang("import", "org", str(org), data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    assert "0 hired, 0 departments founded, 3 already employed" in again.stdout


def test_a_bad_org_file_names_every_bad_line_and_imports_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    org = tmp_path / "org.csv"
    org.write_text(
        "name,email,department,position,manager\n"
        "Kim,kim@example.com,Sales,manager,\n"
        "Lee,lee@example.com,Sales,staff,nobody@example.com\n"
        "Park,not-an-email,Sales,staff,kim@example.com\n"
        "Choi,kim@example.com,Sales,staff,\n",
        encoding="utf-8",
    )
    refused = _dojang("import", "org", str(org), data_dir=data_dir)
    assert refused.returncode == 2
    assert "Nothing was imported: 3 problems found" in refused.stderr
    assert "line 3: manager nobody@example.com is not an employee" in refused.stderr
    assert "line 4: " in refused.stderr
    assert "line 5: kim@example.com is also on line 2" in refused.stderr
    assert _listed(data_dir) == {}

    unknown = tmp_path / "unknown.csv"
    unknown.write_text("이름,이메일,직위\n김,kim@example.com,사장\n", encoding="utf-8")
    refused = _dojang("import", "org", str(unknown), data_dir=data_dir)
    assert refused.returncode == 2
    assert "line 2: unknown position '사장'" in refused.stderr


def test_operators_change_managers_passwords_and_leavers(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    org = tmp_path / "org.csv"
    org.write_text(ORG_CSV, encoding="utf-8")
    assert _dojang("import", "org", str(org), data_dir=data_dir).returncode == 0

    moved = _dojang(
        "user", "set-manager", "jihoon@example.com", "minjun@example.com", data_dir=data_dir
    )
    assert moved.returncode == 0, moved.stderr
    weak = _dojang(
        "user", "reset-password", "jihoon@example.com", data_dir=data_dir, stdin="1234\n"
    )
    assert weak.returncode == 2
    assert "password" in weak.stderr
    reset = _dojang(
        "user", "reset-password", "jihoon@example.com", data_dir=data_dir, stdin=PASSPHRASE + "\n"
    )
    assert reset.returncode == 0, reset.stderr
    left = _dojang("user", "deactivate", "seoyeon@example.com", data_dir=data_dir)
    assert left.returncode == 0, left.stderr
    unknown = _dojang("user", "deactivate", "nobody@example.com", data_dir=data_dir)
    assert unknown.returncode == 2
    assert "no employee with the email nobody@example.com" in unknown.stderr

    listed = _listed(data_dir)
    assert listed["jihoon@example.com"][4] == "minjun@example.com"
    assert listed["seoyeon@example.com"][5] == "deactivated"
    assert asyncio.run(_logs_in(data_dir, "jihoon@example.com", PASSPHRASE))
    assert not asyncio.run(_logs_in(data_dir, "seoyeon@example.com", PASSPHRASE))


async def _logs_in(data_dir: Path, email: str, password: str) -> bool:
    embedded = Embedded({"data_dir": data_dir, "log_level": "WARNING"})
    await embedded.start()
    try:
        await embedded.identity.sessions.login(email, password, client="test")
    except Unauthenticated:
        return False
    finally:
        await embedded.stop()
    return True


def test_doctor_passes_a_migrated_directory_and_names_each_problem(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    missing = _dojang("doctor", data_dir=data_dir)
    assert missing.returncode == 1
    assert "FAIL  data directory" in missing.stdout
    assert "FAIL  employee schema" in missing.stdout

    assert _dojang("migrate", data_dir=data_dir).returncode == 0
    healthy = _dojang("doctor", "--min-free-mb", "1", data_dir=data_dir)
    assert healthy.returncode == 0, healthy.stdout
    lines = healthy.stdout.splitlines()
    assert all(line.startswith("ok  ") for line in lines), lines
    assert {line.split(":")[0].split(maxsplit=1)[1] for line in lines} >= {
        "data directory",
        "data files",
        "settings",
        "disk space",
        "identity schema",
        "employee schema",
        "approval schema",
        "processing schema",
        "notification schema",
    }

    data_dir.chmod(0o755)
    (data_dir / "employee.db").chmod(0o644)
    production = _dojang(
        "doctor",
        "--min-free-mb",
        str(10**9),
        data_dir=data_dir,
        environment="production",
        secret_key="4f9c2b7e1d8a6035c7e2f41b9d0a8c63e5f7a2d9b1c4e8f0",
        kafka_bootstrap="127.0.0.1:1",
    )
    assert production.returncode == 1
    failing = {
        line.split(":")[0] for line in production.stdout.splitlines() if line.startswith("FAIL")
    }
    assert failing == {
        "FAIL  data directory",
        "FAIL  data files",
        "FAIL  settings",
        "FAIL  disk space",
        "FAIL  kafka 127.0.0.1",
    }
    assert "DOJANG_PUBLIC_URL is the default" in production.stdout


def test_a_production_start_with_the_default_public_url_logs_a_warning(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    migrated = _dojang(
        "migrate",
        data_dir=data_dir,
        environment="production",
        secret_key="4f9c2b7e1d8a6035c7e2f41b9d0a8c63e5f7a2d9b1c4e8f0",
    )
    assert migrated.returncode == 0, migrated.stderr
    output = migrated.stdout + migrated.stderr
    assert "settings_warning" in output
    assert "DOJANG_PUBLIC_URL is the default" in output
