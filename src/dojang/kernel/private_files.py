"""The data directory and its databases are readable by Dojang's own user alone.

`identity.db` holds password hashes and the signing key, and every database holds personal
data: the directory is 0700 and each database file (with its `-wal` and `-shm` companions,
which SQLite creates with the database's own mode) 0600, whatever the umask. Files and
directories made by an earlier version with wider modes are narrowed at start.
"""

from __future__ import annotations

import os
from pathlib import Path

from dojang.kernel.errors import StartupError

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def check_data_dir(path: Path, *, create: bool) -> None:
    """`StartupError` unless `path` can hold Dojang's data: it must exist (or `create` it, for
    a first start), and this user must be able to write it and every database in it.

    A mistyped `--data-dir` would otherwise start a new, empty company without a word."""
    if not path.exists():
        if create:
            return
        raise StartupError(
            f"the data directory {path.resolve()} does not exist: check --data-dir or "
            f"DOJANG_DATA_DIR, or create a new Dojang there with `dojang migrate --data-dir {path}`"
        )
    if not path.is_dir():
        raise StartupError(f"the data directory {path.resolve()} is not a directory")
    unwritable = [p for p in (path, *sorted(path.glob("*.db"))) if not os.access(p, os.W_OK)]
    if unwritable:
        raise StartupError(
            f"{unwritable[0].resolve()} is not writable by this user (uid {os.getuid()}): "
            "run Dojang as the owner of its data directory, or fix its permissions"
        )


def private_directory(path: Path) -> None:
    """Create `path` (and its parents) if missing; make `path` itself 0700."""
    try:
        path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        if path.stat().st_mode & 0o777 != DIRECTORY_MODE:
            path.chmod(DIRECTORY_MODE)
    except OSError as exc:
        raise StartupError(
            f"cannot use the data directory {path.resolve()}: {exc.strerror or exc}"
        ) from None


def private_database_file(path: Path) -> None:
    """Create the SQLite file at `path` empty with mode 0600 if missing (SQLite then makes its
    journal files alike), and narrow the modes of an existing file and its journals.

    A file whose directory does not exist yet is left to SQLite (it lives in the 0700 data
    directory, made before anything is written)."""
    if not path.parent.is_dir():
        return
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        pass
    else:
        os.close(descriptor)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists() and companion.stat().st_mode & 0o777 != FILE_MODE:
            companion.chmod(FILE_MODE)
