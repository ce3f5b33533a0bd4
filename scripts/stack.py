"""The distributed stack on one machine: every service in its own process, behind nginx.

    scripts/stack up --port P --data-dir DIR     start what is not running; return when ready
    scripts/stack down --data-dir DIR            stop everything `up` started
    scripts/stack status --data-dir DIR          one line per process
    scripts/stack dojang --data-dir DIR ARGS...  `dojang ARGS` on the stack's databases

Layout under DIR: `servers/` (scripts/services state, for the servers it had to start),
`db/` (the data directory each process is given; the services' data is on the servers),
`logs/` (one log per process, nginx's), `run/` (pid files, `stack.json`), `nginx/` (its
generated configuration and temporary files).

The servers come from `scripts/services --data-dir DIR/servers up`: those already answering
on their ports (DOJANG_SERVICES_<NAME>_PORT) are used as they are, so a CI job or a machine
with one set of servers up shares it. Every name on them carries a namespace of this DIR:
each SQL service's database on MariaDB (`stack_<ns>_<service>`), the approval documents on
FerretDB (`stack_<ns>_documents`), Kafka's topics and groups; Redis carries the
notification fan-out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2

from dojang.composition.ingress import nginx_config
from dojang.composition.settings import ServiceName

ROOT = Path(__file__).resolve().parent.parent
NGINX = os.environ.get("DOJANG_STACK_NGINX", "/usr/sbin/nginx")
MARIADB = os.environ.get("DOJANG_STACK_MARIADB_CLIENT", "/usr/bin/mariadb")
READY_SECONDS = 90
STOP_SECONDS = 30

# every process of the stack, in start order: a service is started once those it calls are up
REPLICAS: dict[ServiceName, int] = {
    ServiceName.IDENTITY: 1,
    ServiceName.EMPLOYEE: 1,
    ServiceName.APPROVAL_REQUEST: 2,
    ServiceName.APPROVAL_PROCESSING: 1,
    ServiceName.NOTIFICATION: 2,
}


def say(message: str) -> None:
    print(f"stack: {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def servers(self) -> Path:
        return self.root / "servers"

    @property
    def db(self) -> Path:
        return self.root / "db"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def nginx(self) -> Path:
        return self.root / "nginx"

    @property
    def state(self) -> Path:
        return self.run / "stack.json"

    def pid_file(self, process: str) -> Path:
        return self.run / f"{process}.pid"

    def make(self) -> None:
        for folder in (self.servers, self.db, self.logs, self.run, self.nginx / "tmp"):
            folder.mkdir(parents=True, exist_ok=True)


def process_names() -> list[tuple[str, ServiceName]]:
    names = []
    for service, count in REPLICAS.items():
        for replica in range(1, count + 1):
            names.append((service.value if count == 1 else f"{service.value}-{replica}", service))
    return names


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def alive(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def answers(url: str) -> bool:
    try:
        return httpx2.get(url, timeout=2).status_code == 200
    except httpx2.TransportError:
        return False


def ready(port: int) -> bool:
    return answers(f"http://127.0.0.1:{port}/readyz")


def dojang_command() -> list[str]:
    script = Path(sys.executable).with_name("dojang")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dojang.cli"]


# each SQL service's database on MariaDB, by its settings' prefix
SQL_SERVICES = ("identity", "employee", "approval", "processing", "notification")


def namespace(layout: Layout) -> str:
    """What this DIR's topics, groups and databases are named after."""
    return hashlib.sha256(str(layout.root).encode()).hexdigest()[:12]


def database_name(layout: Layout, service: str) -> str:
    return f"stack_{namespace(layout)}_{service}"


def servers_env(layout: Layout) -> dict[str, str]:
    """Where the stack's servers are, from `scripts/services`' ports. The stack's topics,
    consumer groups and databases carry a name of their own, so stacks can share servers:
    each SQL service has its database on MariaDB, the approval documents theirs on the
    MongoDB-wire server (FerretDB), Kafka carries the events, Redis the fan-out."""
    redis_port = os.environ.get("DOJANG_SERVICES_REDIS_PORT", "16379")
    kafka_port = os.environ.get("DOJANG_SERVICES_KAFKA_PORT", "19092")
    mariadb_port = os.environ.get("DOJANG_SERVICES_MARIADB_PORT", "13306")
    mongo_port = os.environ.get("DOJANG_SERVICES_FERRETDB_PORT", "27018")
    env = {
        "DOJANG_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "DOJANG_KAFKA_BOOTSTRAP": f"127.0.0.1:{kafka_port}",
        "DOJANG_KAFKA_NAMESPACE": f"stack-{namespace(layout)}.",
        "DOJANG_APPROVAL_MONGODB_URL": (
            f"mongodb://127.0.0.1:{mongo_port}/{database_name(layout, 'documents')}"
        ),
        # nginx is the one proxy in front of every service
        "DOJANG_TRUSTED_PROXIES": "127.0.0.1",
    }
    for service in SQL_SERVICES:
        env[f"DOJANG_{service.upper()}_DATABASE_URL"] = (
            f"mysql+asyncmy://root@127.0.0.1:{mariadb_port}/{database_name(layout, service)}"
            "?charset=utf8mb4"
        )
    return env


def create_databases(layout: Layout) -> None:
    """Each SQL service's database on MariaDB, as its migrations require it (utf8mb4_bin)."""
    port = os.environ.get("DOJANG_SERVICES_MARIADB_PORT", "13306")
    statements = "".join(
        f"CREATE DATABASE IF NOT EXISTS `{database_name(layout, service)}` "
        "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;"
        for service in SQL_SERVICES
    )
    subprocess.run(  # noqa: S603
        [MARIADB, "--no-defaults", "-h", "127.0.0.1", "-P", port, "-u", "root", "-e", statements],
        check=True,
    )


def service_env(layout: Layout, state: dict[str, object]) -> dict[str, str]:
    ports: dict[str, int] = state["ports"]  # type: ignore[assignment]
    env = dict(os.environ)
    env.update(servers_env(layout))
    # glibc gives each thread that allocates an arena of its own (up to 8 per core); a
    # service allocates on its event loop's thread, and its few worker threads need no more
    env.setdefault("MALLOC_ARENA_MAX", "2")
    env.update(
        {
            "DOJANG_DATA_DIR": str(layout.db),
            "DOJANG_PUBLIC_URL": f"http://127.0.0.1:{state['port']}",
            "DOJANG_IDENTITY_URL": f"http://127.0.0.1:{ports['identity']}",
            "DOJANG_EMPLOYEE_URL": f"http://127.0.0.1:{ports['employee']}",
        }
    )
    return env


def load_state(layout: Layout) -> dict[str, object] | None:
    try:
        loaded: dict[str, object] = json.loads(layout.state.read_text())
    except (OSError, ValueError):
        return None
    return loaded


def start_process(
    layout: Layout, name: str, service: ServiceName, port: int, env: dict[str, str]
) -> None:
    log = (layout.logs / f"{name}.log").open("ab")
    process = subprocess.Popen(  # noqa: S603
        [*dojang_command(), "run", service.value, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=layout.root,
        start_new_session=True,
    )
    layout.pid_file(name).write_text(str(process.pid))
    deadline = time.monotonic() + READY_SECONDS
    while not ready(port):
        if process.poll() is not None or time.monotonic() > deadline:
            tail = (layout.logs / f"{name}.log").read_text(errors="replace").splitlines()[-20:]
            raise SystemExit(f"stack: {name} did not become ready:\n" + "\n".join(tail))
        time.sleep(0.2)
    say(f"{name} ready on 127.0.0.1:{port}")


def start_servers(layout: Layout) -> None:
    subprocess.run(  # noqa: S603
        [str(ROOT / "scripts" / "services"), "--data-dir", str(layout.servers), "up"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def nginx_args(layout: Layout) -> list[str]:
    return [NGINX, "-p", str(layout.nginx), "-c", str(layout.nginx / "nginx.conf")]


def start_nginx(layout: Layout, state: dict[str, object]) -> None:
    ports: dict[str, int] = state["ports"]  # type: ignore[assignment]
    upstreams = {
        service: [f"127.0.0.1:{ports[name]}" for name, owner in process_names() if owner is service]
        for service in ServiceName
    }
    web_root = ROOT / "web" / "dist"
    config = nginx_config(
        listen=f"127.0.0.1:{state['port']}",
        upstreams=upstreams,
        state_dir=layout.nginx,
        log_dir=layout.logs,
        web_root=web_root if (web_root / "index.html").exists() else None,
    )
    (layout.nginx / "nginx.conf").write_text(config)
    subprocess.run([*nginx_args(layout), "-t", "-q"], check=True)  # noqa: S603
    if alive(layout.nginx / "nginx.pid"):
        subprocess.run([*nginx_args(layout), "-s", "reload"], check=True)  # noqa: S603
    else:
        subprocess.run(nginx_args(layout), check=True)  # noqa: S603
    deadline = time.monotonic() + READY_SECONDS
    # identity's keys, through nginx: the ingress is up and routes to the services
    while not answers(f"http://127.0.0.1:{state['port']}/.well-known/jwks.json"):
        if time.monotonic() > deadline:
            raise SystemExit("stack: nginx does not route to identity")
        time.sleep(0.2)
    say(f"nginx on http://127.0.0.1:{state['port']}")


def up(layout: Layout, port: int) -> None:
    layout.make()
    start_servers(layout)
    create_databases(layout)
    state = load_state(layout) or {}
    if state.get("port") not in (None, port) and alive(layout.nginx / "nginx.pid"):
        raise SystemExit(f"stack: already up on port {state['port']}; `down` it first")
    known: dict[str, int] = dict(state.get("ports") or {})  # type: ignore[call-overload]
    before = dict(known)
    state = {"port": port, "ports": known}
    for name, _service in process_names():
        # a process that stopped comes back on its old port if it can, so the URLs the
        # others were started with stay right
        running = name in known and alive(layout.pid_file(name)) and ready(known[name])
        if not running and not (name in known and port_free(known[name])):
            known[name] = free_port()
    # the others are told where identity and employee are when they start
    moved = any(before.get(name) != known[name] for name in ("identity", "employee"))
    layout.state.write_text(json.dumps(state, indent=2))
    env = service_env(layout, state)
    for name, service in process_names():
        if not moved and alive(layout.pid_file(name)) and ready(known[name]):
            continue
        stop_pid(layout.pid_file(name))
        start_process(layout, name, service, known[name], env)
    start_nginx(layout, state)


def stop_pid(pid_file: Path) -> None:
    pid = alive(pid_file)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        while alive(pid_file) and time.monotonic() < deadline:
            time.sleep(0.1)
        if alive(pid_file):
            os.kill(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)


def down(layout: Layout) -> None:
    nginx_pid = layout.nginx / "nginx.pid"
    if alive(nginx_pid):
        subprocess.run([*nginx_args(layout), "-s", "quit"], check=False)  # noqa: S603
        deadline = time.monotonic() + STOP_SECONDS
        while alive(nginx_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        say("stopped nginx")
    for name, _service in reversed(process_names()):
        if alive(layout.pid_file(name)):
            stop_pid(layout.pid_file(name))
            say(f"stopped {name}")
    if layout.servers.exists():
        subprocess.run(  # noqa: S603
            [str(ROOT / "scripts" / "services"), "--data-dir", str(layout.servers), "down"],
            check=False,
        )


def status(layout: Layout) -> None:
    state = load_state(layout) or {"ports": {}}
    ports: dict[str, int] = state.get("ports") or {}  # type: ignore[assignment]
    for name, _service in process_names():
        port = ports.get(name)
        running = alive(layout.pid_file(name)) and port is not None and ready(port)
        print(f"{name:22} {'ready' if running else 'down':5} 127.0.0.1:{port or '-'}")
    nginx_up = alive(layout.nginx / "nginx.pid") is not None
    print(f"{'nginx':22} {'up' if nginx_up else 'down':5} 127.0.0.1:{state.get('port', '-')}")


def run_dojang(layout: Layout, arguments: list[str]) -> int:
    env = dict(os.environ)
    env.update(servers_env(layout))
    env["DOJANG_DATA_DIR"] = str(layout.db)
    state = load_state(layout)
    if state is not None:
        env["DOJANG_PUBLIC_URL"] = f"http://127.0.0.1:{state['port']}"
    return subprocess.run([*dojang_command(), *arguments], env=env, check=False).returncode  # noqa: S603


def main() -> int:
    parser = argparse.ArgumentParser(prog="scripts/stack", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    up_command = commands.add_parser("up")
    up_command.add_argument("--port", type=int, default=8080)
    for command in ("up", "down", "status", "dojang"):
        chosen = up_command if command == "up" else commands.add_parser(command)
        chosen.add_argument("--data-dir", required=True)
    args, rest = parser.parse_known_args()
    if rest and args.command != "dojang":
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    layout = Layout(Path(args.data_dir).resolve())
    if args.command == "up":
        up(layout, args.port)
    elif args.command == "down":
        down(layout)
    elif args.command == "status":
        status(layout)
    else:
        layout.make()
        return run_dojang(layout, rest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
