"""Backup and restore drill: `manage.py backup` of a seeded database, `manage.py restore` into a fresh
one, then the row count and checksum of every table compared (`manage.py table_checksums`).

    python bench/drills/backup_restore.py [--db sqlite postgresql] [--scale 0.01]
"""

import argparse
import json
import time

from drill import DB_NAMES, common, seeded_env, verdict


def run(dbs=("sqlite", "postgresql"), scale=0.01):
    outcomes = []
    for db in dbs:
        env = seeded_env(db, ["--scale", str(scale)])
        source = json.loads(common.manage(env, "table_checksums", quiet=True).stdout)
        target_file = common.VAR / f"drill-{db}.backup"
        started = time.monotonic()
        common.manage(env, "backup", str(target_file), quiet=True)
        backup_seconds = round(time.monotonic() - started, 1)
        fresh_url = common.fresh_database(db, DB_NAMES[db] + "_restore")
        fresh_env = common.environment(fresh_url)
        started = time.monotonic()
        common.manage(fresh_env, "restore", str(target_file), quiet=True)
        restore_seconds = round(time.monotonic() - started, 1)
        restored = json.loads(common.manage(fresh_env, "table_checksums", quiet=True).stdout)
        differing = sorted(t for t in set(source) | set(restored) if source.get(t) != restored.get(t))
        rows = sum(v["rows"] for v in source.values())
        passed = not differing and rows > 0
        outcomes.append(
            verdict(
                "backup and restore",
                passed,
                f"{db}: {len(source)} tables, {rows:,} rows, {target_file.stat().st_size / 1e6:.1f} MB; backup "
                f"{backup_seconds} s, restore into a fresh database {restore_seconds} s; tables differing: "
                f"{differing or 'none'}",
            )
        )
        if db == "postgresql":
            common.psql(f'DROP DATABASE IF EXISTS "{DB_NAMES[db]}_restore" WITH (FORCE)')
    return outcomes


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--scale", type=float, default=0.01)
    args = parser.parse_args()
    results = run(args.db, args.scale)
    raise SystemExit(0 if all(passed for passed, _ in results) else 1)
