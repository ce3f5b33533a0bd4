"""`dojang backup DIR` and `dojang restore DIR`: the whole company in one consistent copy.

Each service keeps its own SQLite file, and the files point into each other: an outbox row
marked sent has its message in the bus log, a consumer's committed offset follows what its
database applied. A copy of each file taken at a different moment could restore a message as
sent that the log never got, so the backup holds the write lock of every database at once
(SQLite's `BEGIN IMMEDIATE`; a running server's writes wait, reads go on) and copies each file
with SQLite's online backup API while no one can write. The copies are checked
(`PRAGMA integrity_check`) and listed with their SHA-256 in `dojang-backup.json`.

A restore checks every file against that list first, refuses while a server holds the data
directory (`data_dir_lock`), moves the current files aside into `replaced-<time>/`, and puts
the copies in their place. The next start migrates them if they come from an older version.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from dojang import __version__
from dojang.kernel.errors import StartupError
from dojang.kernel.private_files import FILE_MODE, SQLITE_COMPANIONS, private_directory

MANIFEST = "dojang-backup.json"
LOCK_FILE = ".dojang.lock"
LOCK_WAIT_SECONDS = 30.0


class BackupError(StartupError):
    """A backup or restore cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class CopiedFile:
    name: str
    bytes: int
    sha256: str


@contextlib.contextmanager
def data_dir_lock(data_dir: Path, *, purpose: str) -> Iterator[None]:
    """Hold the data directory for a server or a restore; `BackupError` if another holds it.

    Commands that work beside a running server (`user add`, `backup`) do not take it."""
    private_directory(data_dir)
    handle = (data_dir / LOCK_FILE).open("a")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(
                f"{data_dir.resolve()} is in use by a running Dojang server; stop it to {purpose}"
            ) from None
        yield
    finally:
        handle.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_integrity(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as database:
        (verdict,) = database.execute("PRAGMA integrity_check").fetchone()
    if verdict != "ok":
        raise BackupError(f"{path} failed its integrity check: {verdict}")


def backup(data_dir: Path, target: Path) -> list[CopiedFile]:
    """Copy every database of `data_dir` into the new directory `target`, at one instant."""
    names = sorted(path.name for path in data_dir.glob("*.db"))
    if not names:
        raise BackupError(f"there is no Dojang database in {data_dir.resolve()}")
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target.resolve()} is not empty; back up into a new directory")
    private_directory(target)
    writers: list[sqlite3.Connection] = []
    try:
        for name in names:  # always in the same order, as every backup takes them
            writer = sqlite3.connect(
                data_dir / name, timeout=LOCK_WAIT_SECONDS, isolation_level=None
            )
            writers.append(writer)
            writer.execute("BEGIN IMMEDIATE")
        for name in names:
            # through a reader of its own: SQLite's backup from the connection that holds the
            # write lock waits for that lock forever; a reader sees the last commit, which
            # no one can follow while the locks are held
            copy = target / name
            with (
                contextlib.closing(
                    sqlite3.connect(data_dir / name, timeout=LOCK_WAIT_SECONDS)
                ) as reader,
                contextlib.closing(sqlite3.connect(copy)) as destination,
            ):
                reader.backup(destination)
            copy.chmod(FILE_MODE)
    except sqlite3.OperationalError as exc:
        raise BackupError(f"could not copy the databases of {data_dir.resolve()}: {exc}") from None
    finally:
        for writer in writers:
            if writer.in_transaction:
                writer.execute("ROLLBACK")
            writer.close()
    copied = []
    for name in names:
        _check_integrity(target / name)
        copied.append(CopiedFile(name, (target / name).stat().st_size, _sha256(target / name)))
    manifest = {
        "dojang_version": __version__,
        "created_at": datetime.now(UTC).isoformat(),
        "source": str(data_dir.resolve()),
        "files": [asdict(file) for file in copied],
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (target / MANIFEST).chmod(FILE_MODE)
    return copied


def verified_files(source: Path) -> list[CopiedFile]:
    """The files a backup lists, each checked against its size and SHA-256."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
        files = [CopiedFile(**entry) for entry in manifest["files"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{source.resolve()} is not a Dojang backup ({exc})") from None
    for file in files:
        path = source / file.name
        if Path(file.name).name != file.name or not path.is_file():
            raise BackupError(f"the backup lists {file.name!r}, which it does not hold")
        if path.stat().st_size != file.bytes or _sha256(path) != file.sha256:
            raise BackupError(f"{path} differs from what the backup recorded; it is damaged")
    return files


def restore(source: Path, data_dir: Path) -> tuple[list[CopiedFile], Path | None]:
    """Put the databases of the backup `source` in `data_dir`; the files they replace are
    moved into `data_dir/replaced-<time>/`, whose path is returned (None if there were none).
    """
    files = verified_files(source)
    with data_dir_lock(data_dir, purpose="restore a backup"):
        current = [
            path
            for path in sorted(data_dir.iterdir())
            if path.is_file() and any(path.name.endswith(".db" + s) for s in SQLITE_COMPANIONS)
        ]
        aside: Path | None = None
        if current:
            aside = data_dir / f"replaced-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}"
            aside.mkdir(mode=0o700)
            for path in current:
                path.rename(aside / path.name)
        for file in files:
            staged = data_dir / f"{file.name}.restoring"
            shutil.copyfile(source / file.name, staged)
            staged.chmod(FILE_MODE)
            with staged.open("rb") as handle:
                os.fsync(handle.fileno())
            staged.rename(data_dir / file.name)
    return files, aside
