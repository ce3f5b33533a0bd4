"""The demo organisation: a small Korean company with realistic departments and people."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dojang.kernel.errors import Conflict, Forbidden
from dojang.kernel.settings import KernelSettings

if TYPE_CHECKING:
    from dojang.app import Embedded

DEMO_PASSWORD = "dojang-demo-2026"  # noqa: S105 (printed at start on purpose)


@dataclass(frozen=True)
class DemoPerson:
    key: str
    name: str
    email: str
    department: str
    position: str
    manager: str | None
    roles: tuple[str, ...] = ("employee",)
    heads: bool = False


DEPARTMENTS = ("대표이사실", "개발팀", "영업팀", "재무팀", "인사팀")

PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        "ceo",
        "김도장",
        "ceo@dojang.example",
        "대표이사실",
        "ceo",
        None,
        ("employee", "manager", "admin"),
        heads=True,
    ),
    DemoPerson(
        "coo",
        "배정훈",
        "junghoon.bae@dojang.example",
        "대표이사실",
        "director",
        "ceo",
        ("employee", "manager"),
    ),
    DemoPerson(
        "eng_head",
        "이준호",
        "junho.lee@dojang.example",
        "개발팀",
        "general_manager",
        "ceo",
        ("employee", "manager"),
        heads=True,
    ),
    DemoPerson(
        "eng_dgm",
        "문가영",
        "gayoung.moon@dojang.example",
        "개발팀",
        "deputy_general_manager",
        "eng_head",
        ("employee", "manager"),
    ),
    DemoPerson(
        "eng_mgr",
        "박서연",
        "seoyeon.park@dojang.example",
        "개발팀",
        "manager",
        "eng_dgm",
        ("employee", "manager"),
    ),
    DemoPerson("eng_senior", "최민준", "minjun.choi@dojang.example", "개발팀", "senior", "eng_mgr"),
    DemoPerson("eng_staff1", "정하은", "haeun.jung@dojang.example", "개발팀", "staff", "eng_mgr"),
    DemoPerson("eng_staff2", "강지호", "jiho.kang@dojang.example", "개발팀", "staff", "eng_mgr"),
    DemoPerson("eng_staff3", "조예린", "yerin.cho@dojang.example", "개발팀", "staff", "eng_mgr"),
    DemoPerson(
        "sales_head",
        "윤성민",
        "sungmin.yoon@dojang.example",
        "영업팀",
        "general_manager",
        "ceo",
        ("employee", "manager"),
        heads=True,
    ),
    DemoPerson(
        "sales_dgm",
        "임수빈",
        "subin.lim@dojang.example",
        "영업팀",
        "deputy_general_manager",
        "sales_head",
        ("employee", "manager"),
    ),
    DemoPerson(
        "sales_senior", "한도윤", "doyoon.han@dojang.example", "영업팀", "senior", "sales_dgm"
    ),
    DemoPerson("sales_staff1", "오세아", "sea.oh@dojang.example", "영업팀", "staff", "sales_dgm"),
    DemoPerson("sales_staff2", "서지안", "jian.seo@dojang.example", "영업팀", "staff", "sales_dgm"),
    DemoPerson(
        "fin_head",
        "장현우",
        "hyunwoo.jang@dojang.example",
        "재무팀",
        "director",
        "ceo",
        ("employee", "manager"),
        heads=True,
    ),
    DemoPerson(
        "fin_mgr",
        "신유나",
        "yuna.shin@dojang.example",
        "재무팀",
        "manager",
        "fin_head",
        ("employee", "manager"),
    ),
    DemoPerson("fin_senior", "권태오", "taeo.kwon@dojang.example", "재무팀", "senior", "fin_mgr"),
    DemoPerson("fin_staff", "황보라", "bora.hwang@dojang.example", "재무팀", "staff", "fin_mgr"),
    DemoPerson(
        "hr_head",
        "송미경",
        "mikyung.song@dojang.example",
        "인사팀",
        "general_manager",
        "ceo",
        ("employee", "manager", "admin"),
        heads=True,
    ),
    DemoPerson(
        "hr_mgr",
        "안재석",
        "jaeseok.ahn@dojang.example",
        "인사팀",
        "manager",
        "hr_head",
        ("employee", "manager", "admin"),
    ),
    DemoPerson("hr_staff", "류하늘", "haneul.ryu@dojang.example", "인사팀", "staff", "hr_mgr"),
)


class DemoRefused(Forbidden):
    """Demo data asked for in production."""


def check_demo_allowed(settings: KernelSettings) -> None:
    """Refuse demo data in production: its logins share one published password, and three
    of them are admins."""
    if settings.environment == "production":
        raise DemoRefused(
            "Demo data is refused in production (DOJANG_ENVIRONMENT=production): its logins "
            "share a published password. Add real users with `dojang user add`."
        )


async def load_demo(embedded: Embedded) -> bool:
    """Create the demo organisation unless it is already there; True if it was created."""
    check_demo_allowed(embedded.settings)
    employee = embedded.employee
    ids: dict[str, str] = {}
    for person in PEOPLE:
        try:
            created = await employee.add_user(
                email=person.email,
                name=person.name,
                password=DEMO_PASSWORD,
                roles=person.roles,
                department=person.department,
                position=person.position,
                manager_id=ids[person.manager] if person.manager else None,
            )
        except Conflict:
            if person is PEOPLE[0]:
                return False
            raise
        ids[person.key] = created.id
        if person.heads and created.department is not None:
            await employee.use_cases.set_department_head(created.department.id, created.id)
    await embedded.settle()
    return True


def _pad(text: str, width: int) -> str:
    """Left-align `text` in `width` terminal columns; Hangul takes two columns."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - columns, 0)


def print_demo_logins() -> None:
    """Print who can log in, and with which password."""
    lines = [
        "",
        "Dojang demo organisation — every demo user's password is " + DEMO_PASSWORD,
        "",
        f"  {'email':<32} {_pad('name', 7)} {_pad('department', 11)} {'position':<23} roles",
    ]
    for p in PEOPLE:
        roles = ",".join(r for r in p.roles if r != "employee") or "-"
        lines.append(
            f"  {p.email:<32} {_pad(p.name, 7)} {_pad(p.department, 11)} {p.position:<23} {roles}"
        )
    lines.append("")
    print("\n".join(lines), flush=True)
