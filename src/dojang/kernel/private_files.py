"""The data directory and its databases are readable by Dojang's own user alone.

`identity.db` holds password hashes and the signing key, and every database holds personal
data: the directory is 0700 and each database file (with its `-wal` and `-shm` companions,
which SQLite creates with the database's own mode) 0600, whatever the umask. Files and
directories made by an earlier version with wider modes are narrowed at start.
"""

from __future__ import annotations

import os
from pathlib import Path

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def private_directory(path: Path) -> None:
    """Create `path` (and its parents) if missing; make `path` itself 0700."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o777 != DIRECTORY_MODE:
        path.chmod(DIRECTORY_MODE)


def private_database_file(path: Path) -> None:
    """Create the SQLite file at `path` empty with mode 0600 if missing (SQLite then makes its
    journal files alike), and narrow the modes of an existing file and its journals."""
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
