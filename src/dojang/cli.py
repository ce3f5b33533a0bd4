"""The `dojang` command: serve the embedded app, add users, load demo data, migrate, and
repair: replay dead letters, reconcile tasks with approval lines."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from dojang import __version__
from dojang.backup import data_dir_lock
from dojang.composition.settings import ServiceName
from dojang.kernel.auth.principal import ROLES
from dojang.kernel.errors import DojangError, StartupError
from dojang.kernel.private_files import check_data_dir

if TYPE_CHECKING:
    from dojang.app import Embedded

POSITIONS = (
    "staff",
    "senior",
    "manager",
    "deputy_general_manager",
    "general_manager",
    "director",
    "ceo",
)


def _data_dir_overrides(data_dir: str | None) -> dict[str, Any]:
    return {"data_dir": Path(data_dir)} if data_dir else {}


def _serve(args: argparse.Namespace) -> int:
    from dojang.app import create_app
    from dojang.kernel.settings import KernelSettings
    from dojang.kernel.web.server import check_port_free, serve

    overrides = _data_dir_overrides(args.data_dir)
    settings = KernelSettings(**overrides)
    check_port_free(args.host, args.port)
    check_data_dir(settings.data_dir, create=args.demo)
    with data_dir_lock(settings.data_dir, purpose="start another on it"):
        app = create_app(demo=args.demo, freeze_after_start=True, **overrides)
        serve(app, host=args.host, port=args.port, settings=app.state.dojang.settings)
    return 0


def _backup(args: argparse.Namespace) -> int:
    from dojang.backup import backup
    from dojang.kernel.settings import KernelSettings

    settings = KernelSettings(**_data_dir_overrides(args.data_dir))
    copied = backup(settings.data_dir, Path(args.directory))
    total = sum(file.bytes for file in copied)
    print(
        f"backed up {len(copied)} databases ({total:,} bytes) of {settings.data_dir.resolve()} "
        f"into {Path(args.directory).resolve()}, checked; restore with `dojang restore`"
    )
    return 0


def _restore(args: argparse.Namespace) -> int:
    from dojang.backup import restore
    from dojang.kernel.settings import KernelSettings

    settings = KernelSettings(**_data_dir_overrides(args.data_dir))
    restored, aside = restore(Path(args.directory), settings.data_dir)
    print(
        f"restored {len(restored)} databases into {settings.data_dir.resolve()}"
        + (f"; the files they replaced are in {aside}" if aside else "")
    )
    return 0


def _run_service(args: argparse.Namespace) -> int:
    from dojang.composition.app import create_service_app
    from dojang.composition.settings import MissingSetting
    from dojang.kernel.web.server import check_port_free, serve

    check_port_free(args.host, args.port)
    try:
        app = create_service_app(ServiceName(args.service))
    except MissingSetting as exc:
        print(f"dojang: {exc}", file=sys.stderr)
        return 2
    serve(app, host=args.host, port=args.port, settings=app.state.dojang_process.settings)
    return 0


def _write_settings_reference(args: argparse.Namespace) -> int:
    from dojang.settings_reference import render_settings_reference

    text = render_settings_reference()
    if args.output in (None, "-"):
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return 0
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"wrote the settings reference to {args.output}", file=sys.stderr)
    return 0


def _write_openapi(args: argparse.Namespace) -> int:
    from dojang.openapi import openapi_document, render_openapi

    text = render_openapi(openapi_document())
    if args.output in (None, "-"):
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return 0
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"wrote the OpenAPI document to {args.output}", file=sys.stderr)
    return 0


@asynccontextmanager
async def _started(
    args: argparse.Namespace, *, settle_seconds: float | None = 5.0
) -> AsyncIterator[Embedded]:
    """Every service of the data directory started for one command; once the command's work
    is done, what it caused is carried through every service before they stop (not waited
    for with `settle_seconds=None`)."""
    from dojang.app import Embedded

    embedded = Embedded(_data_dir_overrides(args.data_dir))
    await embedded.start()
    try:
        yield embedded
        if settle_seconds is not None:
            await embedded.settle(timeout=settle_seconds)
    finally:
        await embedded.stop()


async def _add_user(args: argparse.Namespace) -> None:
    from dojang import cli_users

    if args.password is not None:
        raise SystemExit(
            "dojang user add: a password is never taken on the command line, where other "
            "users of this machine can read it (ps, shell history); type it at the prompt or "
            "pipe it on standard input"
        )
    password = cli_users.read_new_password()
    async with _started(args) as embedded:
        employee = await embedded.employee.add_user(
            email=args.email,
            name=args.name,
            password=password,
            roles=tuple(dict.fromkeys(["employee", *(args.role or [])])),
            department=args.department,
            position=args.position,
        )
    print(
        f"added {employee.email} ({employee.name}) as {', '.join(employee.roles)}; id {employee.id}"
    )


async def _user_command(args: argparse.Namespace) -> None:
    from dojang import cli_users

    password = cli_users.read_new_password() if args.user_command == "reset-password" else ""
    async with _started(args) as embedded:
        if args.user_command == "list":
            lines = cli_users.user_lines(await cli_users.every_employee(embedded))
        elif args.user_command == "set-manager":
            lines = [await cli_users.set_manager(embedded, args.email, args.manager)]
        elif args.user_command == "reset-password":
            lines = [await cli_users.reset_password(embedded, args.email, password)]
        else:
            lines = [await cli_users.deactivate(embedded, args.email)]
    print("\n".join(lines))


async def _import_org(args: argparse.Namespace) -> None:
    from dojang import cli_users
    from dojang.org_csv import read_org_csv

    read_org_csv(Path(args.file))  # a bad file is told before anything starts
    async with _started(args) as embedded:
        lines = await cli_users.import_org(embedded, Path(args.file), dry_run=args.dry_run)
    print("\n".join(lines))


def _doctor(args: argparse.Namespace) -> int:
    from dojang.doctor import MIN_FREE_BYTES, run_checks
    from dojang.kernel.settings import KernelSettings

    settings = KernelSettings(**_data_dir_overrides(args.data_dir))
    checks = asyncio.run(
        run_checks(
            settings,
            _service_databases(args),
            min_free_bytes=int(args.min_free_mb * 1024**2) if args.min_free_mb else MIN_FREE_BYTES,
        )
    )
    for check in checks:
        print(check.line())
    return 0 if all(check.ok for check in checks) else 1


def _service_databases(args: argparse.Namespace) -> list[Any]:
    from dojang.approval.bootstrap import MIGRATIONS as APPROVAL
    from dojang.approval.settings import ApprovalSettings
    from dojang.doctor import ServiceDatabase
    from dojang.employee.bootstrap import MIGRATIONS as EMPLOYEE
    from dojang.employee.settings import EmployeeSettings
    from dojang.identity.bootstrap import MIGRATIONS as IDENTITY
    from dojang.identity.settings import IdentitySettings
    from dojang.notification.bootstrap import MIGRATIONS as NOTIFICATION
    from dojang.notification.settings import NotificationSettings
    from dojang.processing.bootstrap import MIGRATIONS as PROCESSING
    from dojang.processing.settings import ProcessingSettings

    overrides = _data_dir_overrides(args.data_dir)
    identity = IdentitySettings(**overrides)
    employee = EmployeeSettings(**overrides)
    approval = ApprovalSettings(**overrides)
    processing = ProcessingSettings(**overrides)
    notification = NotificationSettings(**overrides)
    return [
        ServiceDatabase(
            "identity",
            identity.database_url_for("identity", identity.identity_database_url),
            IDENTITY,
        ),
        ServiceDatabase(
            "employee",
            employee.database_url_for("employee", employee.employee_database_url),
            EMPLOYEE,
        ),
        ServiceDatabase(
            "approval",
            approval.database_url_for("approval", approval.approval_database_url),
            APPROVAL,
        ),
        ServiceDatabase(
            "processing",
            processing.database_url_for("processing", processing.processing_database_url),
            PROCESSING,
        ),
        ServiceDatabase(
            "notification",
            notification.database_url_for("notification", notification.notification_database_url),
            NOTIFICATION,
        ),
    ]


async def _load_demo(args: argparse.Namespace) -> None:
    from dojang.demo import check_demo_allowed, load_demo, print_demo_logins
    from dojang.kernel.settings import KernelSettings

    check_demo_allowed(KernelSettings(**_data_dir_overrides(args.data_dir)))
    async with _started(args) as embedded:
        await load_demo(embedded)
    print_demo_logins()


async def _migrate(args: argparse.Namespace) -> None:
    async with _started(args, settle_seconds=None) as embedded:  # starting migrates
        data_dir = embedded.settings.data_dir
    print(f"databases under {data_dir} are at their newest schema")


async def _reconcile(args: argparse.Namespace) -> None:
    async with _started(args, settle_seconds=args.timeout) as embedded:
        announced = await embedded.approval.slot_announcements.announce_all()
        reported = await embedded.processing.pending_report.report_all()
    print(
        f"compared the open slots of {announced} documents in progress and the pending tasks "
        f"of {reported} document versions; repairs are logged as tasks_reconciled and "
        "stale_tasks_cancelled"
    )


async def _republish_organisation(args: argparse.Namespace) -> None:
    async with _started(args, settle_seconds=args.timeout) as embedded:
        departments, employees = await embedded.employee.republisher.republish()
    print(
        f"announced {departments} departments and {employees} employees again on "
        "employee-events; every service's copy of the organisation now has them"
    )


async def _dead_letters(args: argparse.Namespace) -> None:
    from dojang.kernel.bus.configured import configured_bus
    from dojang.kernel.bus.dead_letters import dead_letter_topic
    from dojang.kernel.bus.replay import DeadLetterReplay
    from dojang.kernel.settings import KernelSettings

    settings = KernelSettings(**_data_dir_overrides(args.data_dir))
    bus, database = configured_bus(settings)
    try:
        await bus.start()
        replay = DeadLetterReplay(bus, args.topic)
        if args.dlq_command == "list":
            letters = await replay.dead_letters()
            if not letters:
                print(f"no dead letters on {dead_letter_topic(args.topic)}")
            for letter in letters:
                print(letter.describe())
            return
        outcome = await replay.replay(None if args.all else args.offset)
        for letter in outcome.replayed:
            print(f"replayed {letter.offset} to {args.topic} for {letter.group or '-'}")
        for letter in outcome.already_replayed:
            print(f"skipped {letter.offset}: replayed before")
        if not outcome.replayed and not outcome.already_replayed:
            print(f"no dead letters on {dead_letter_topic(args.topic)}")
    finally:
        await bus.stop()
        if database is not None:
            await database.dispose()


def _timeout_option(parser: argparse.ArgumentParser, waiting: str) -> None:
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help=f"seconds to wait {waiting} (default 60)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The command-line contract of `dojang`."""
    parser = argparse.ArgumentParser(prog="dojang", description="Dojang (도장) electronic approval")
    parser.add_argument("--version", action="version", version=f"dojang {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    data_dir_help = "where the SQLite files live (default: $DOJANG_DATA_DIR or ./data)"

    serve = commands.add_parser("serve", help="run every service in one process")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--data-dir", help=data_dir_help)
    serve.add_argument("--demo", action="store_true", help="load the demo organisation first")
    serve.set_defaults(run=_serve)

    backup = commands.add_parser(
        "backup", help="copy every database at one instant, even while the server runs"
    )
    backup.add_argument("directory", help="a new or empty directory for the copy")
    backup.add_argument("--data-dir", help=data_dir_help)
    backup.set_defaults(run=_backup)

    restore = commands.add_parser(
        "restore", help="put a backup in place of the databases (the server must be stopped)"
    )
    restore.add_argument("directory", help="a directory made by `dojang backup`")
    restore.add_argument("--data-dir", help=data_dir_help)
    restore.set_defaults(run=_restore)

    openapi = commands.add_parser(
        "openapi", help="write the OpenAPI document the web client is generated from"
    )
    openapi.add_argument(
        "output", metavar="OUTPUT", nargs="?", help="file to write (default: standard output)"
    )
    openapi.set_defaults(run=_write_openapi)

    reference = commands.add_parser(
        "settings-reference",
        help="write docs/settings.md: every DOJANG_* variable, from the settings classes",
    )
    reference.add_argument(
        "output", metavar="OUTPUT", nargs="?", help="file to write (default: standard output)"
    )
    reference.set_defaults(run=_write_settings_reference)

    run = commands.add_parser(
        "run",
        help="run one service in this process, configured by DOJANG_* (docs/operations.md)",
    )
    run.add_argument(
        "service",
        metavar="SERVICE",
        choices=[service.value for service in ServiceName],
        help=", ".join(service.value for service in ServiceName),
    )
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.set_defaults(run=_run_service)

    user = commands.add_parser("user", help="manage logins").add_subparsers(
        dest="user_command", required=True
    )
    add = user.add_parser(
        "add",
        help="create a login and its employee record; the password is asked at a prompt "
        "(twice) or read from standard input",
    )
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True)
    # refused with an explanation: a password in argv is readable by every local user
    add.add_argument("--password", help=argparse.SUPPRESS)
    add.add_argument(
        "--role",
        action="append",
        choices=ROLES,
        help="repeat for several roles; everyone is an employee",
    )
    add.add_argument("--department", help="department name; created if missing")
    add.add_argument("--position", default="staff", choices=POSITIONS)
    add.add_argument("--data-dir", help=data_dir_help)
    add.set_defaults(run=lambda a: asyncio.run(_add_user(a)))

    def user_command(name: str, help_text: str) -> argparse.ArgumentParser:
        command = user.add_parser(name, help=help_text)
        command.add_argument("--data-dir", help=data_dir_help)
        command.set_defaults(run=lambda a: asyncio.run(_user_command(a)))
        return command

    user_command(
        "list",
        help_text="every employee, one tab-separated line each: email, name, department, "
        "position, roles, manager, status, id",
    )
    set_manager = user_command("set-manager", help_text="change whom an employee reports to")
    set_manager.add_argument("email", help="the employee's email")
    chosen_manager = set_manager.add_mutually_exclusive_group(required=True)
    chosen_manager.add_argument("manager", nargs="?", help="the new manager's email")
    chosen_manager.add_argument(
        "--none", dest="manager", action="store_const", const=None, help="report to nobody"
    )
    reset = user_command(
        "reset-password",
        help_text="set a new password, asked at a prompt (twice) or read from standard input; "
        "the login's sessions end",
    )
    reset.add_argument("email", help="the employee's email")
    deactivate = user_command(
        "deactivate",
        help_text="deactivate an employee: reports, departments and pending tasks pass on",
    )
    deactivate.add_argument("email", help="the employee's email")

    importing = commands.add_parser("import", help="load data from files").add_subparsers(
        dest="import_command", required=True
    )
    import_org = importing.add_parser(
        "org",
        help="departments and employees with managers from a CSV file (이름,이메일,부서,직위,"
        "관리자), all or nothing; employees already there are left as they are",
    )
    import_org.add_argument("file", metavar="FILE.csv")
    import_org.add_argument(
        "--dry-run", action="store_true", help="check everything and write nothing"
    )
    import_org.add_argument("--data-dir", help=data_dir_help)
    import_org.set_defaults(run=lambda a: asyncio.run(_import_org(a)))

    doctor = commands.add_parser(
        "doctor",
        help="check the data directory, schemas, settings, disk and servers; exit 1 on a problem",
    )
    doctor.add_argument("--data-dir", help=data_dir_help)
    doctor.add_argument(
        "--min-free-mb", type=float, help="free disk below this fails (default 1024)"
    )
    doctor.set_defaults(run=_doctor)

    demo = commands.add_parser("demo", help="load the demo organisation and print its logins")
    demo.add_argument("--data-dir", help=data_dir_help)
    demo.set_defaults(run=lambda a: asyncio.run(_load_demo(a)))

    migrate = commands.add_parser("migrate", help="bring every database to its newest schema")
    migrate.add_argument("--data-dir", help=data_dir_help)
    migrate.set_defaults(run=lambda a: asyncio.run(_migrate(a)))

    reconcile = commands.add_parser(
        "reconcile",
        help="make approval-processing's pending tasks match the open slots of the lines",
    )
    reconcile.add_argument("--data-dir", help=data_dir_help)
    _timeout_option(reconcile, "for the repairs to be applied")
    reconcile.set_defaults(run=lambda a: asyncio.run(_reconcile(a)))

    org = commands.add_parser("org", help="the organisation other services copy").add_subparsers(
        dest="org_command", required=True
    )
    republish = org.add_parser(
        "republish",
        help="announce every department and employee again, for copies that missed events",
    )
    republish.add_argument("--data-dir", help=data_dir_help)
    _timeout_option(republish, "for the copies to apply it")
    republish.set_defaults(run=lambda a: asyncio.run(_republish_organisation(a)))

    dlq = commands.add_parser(
        "dlq", help="inspect and replay the messages consumers gave up on (TOPIC.dlq)"
    ).add_subparsers(dest="dlq_command", required=True)
    dlq_list = dlq.add_parser(
        "list",
        help="one line per dead letter: offset, failed at, group, event type, event id, "
        "dead or replayed, error",
    )
    dlq_list.add_argument("topic", metavar="TOPIC", help="the source topic, e.g. employee-events")
    dlq_list.add_argument("--data-dir", help=data_dir_help)
    dlq_list.set_defaults(run=lambda a: asyncio.run(_dead_letters(a)))
    dlq_replay = dlq.add_parser(
        "replay", help="publish dead letters again to their topic, each at most once"
    )
    dlq_replay.add_argument("topic", metavar="TOPIC", help="the source topic, e.g. employee-events")
    chosen = dlq_replay.add_mutually_exclusive_group(required=True)
    chosen.add_argument(
        "--offset",
        type=int,
        action="append",
        help="the dead letter's offset as `dlq list` shows it; repeat for several",
    )
    chosen.add_argument("--all", action="store_true", help="every dead letter not replayed yet")
    dlq_replay.add_argument("--data-dir", help=data_dir_help)
    dlq_replay.set_defaults(run=lambda a: asyncio.run(_dead_letters(a)))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `dojang` console script."""
    args = build_parser().parse_args(argv)
    if getattr(args, "data_dir", None):
        os.environ["DOJANG_DATA_DIR"] = args.data_dir
    try:
        result = args.run(args)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        print(f"dojang: invalid settings: {problems}", file=sys.stderr)
        return 2
    except DojangError as exc:
        details = "; ".join(f"{e.field}: {e.render('en')}" for e in exc.errors)
        print(f"dojang: {exc.render('en')}" + (f" ({details})" if details else ""), file=sys.stderr)
        return 2
    except StartupError as exc:
        print(f"dojang: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
