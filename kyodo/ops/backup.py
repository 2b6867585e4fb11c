"""Backup and restore of the configured database.

SQLite: the online backup API (`sqlite3.Connection.backup`), consistent even while the app writes.
PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --single-transaction`.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

TIMEOUT = 3600  # seconds; a dump of the full scale data set takes well under a minute here


class BackupError(Exception):
    pass


def _pg_args(settings_dict):
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _run(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=TIMEOUT)  # noqa: S603  argv built from the database settings, no shell
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def backup(path):
    path = Path(path)
    settings_dict = connection.settings_dict
    connection.close()
    if connection.vendor == "sqlite":
        _sqlite_copy(settings_dict["NAME"], path)
    elif connection.vendor == "postgresql":
        args, env = _pg_args(settings_dict)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *args, settings_dict["NAME"]],
            env,
        )
    else:
        raise BackupError(f"no backup method for {connection.vendor}")
    return path


def restore(path):
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    settings_dict = connection.settings_dict
    connection.close()
    if connection.vendor == "sqlite":
        _check_sqlite_file(path)
        _sqlite_copy(path, settings_dict["NAME"])
    elif connection.vendor == "postgresql":
        args, env = _pg_args(settings_dict)
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
             *args, "--dbname", settings_dict["NAME"], str(path)],
            env,
        )  # fmt: skip
    else:
        raise BackupError(f"no restore method for {connection.vendor}")


def _check_sqlite_file(path):
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as probe:
            (result,) = probe.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database: {exc}") from exc
    if result != "ok":
        raise BackupError(f"{path} is damaged: {result}")


def _sqlite_copy(source, target):
    src = sqlite3.connect(str(source), timeout=30)
    dst = sqlite3.connect(str(target), timeout=30)
    try:
        with dst:
            src.backup(dst, pages=4096)
    finally:
        dst.close()
        src.close()
