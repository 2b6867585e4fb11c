"""`make drills`: every fault drill in turn, one PASS/FAIL line each, a summary at the end.

The PostgreSQL restart drill stops and starts the machine's shared cluster for a few seconds; skip it with
--no-pg-restart when others are using it."""

import argparse
import sys
import time

import backup_restore
import mail_outage
import pg_restart
import race
import sigkill
import two_servers
from drill import common


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--attempts", type=int, default=100, help="race rounds of 64 clients each")
    parser.add_argument("--no-pg-restart", action="store_true")
    parser.add_argument(
        "--messages", type=int, default=10_000, help="outbox size of the two mail workers drill"
    )
    args = parser.parse_args()
    started = time.monotonic()
    results = []
    drills = [
        ("race", lambda: race.run(args.db, 64, args.attempts)),
        ("mail outage", lambda: mail_outage.run(args.db[0])),
        ("worker SIGKILL", lambda: sigkill.run(args.db)),
        ("backup and restore", lambda: backup_restore.run(args.db)),
    ]
    if "postgresql" in args.db:  # several app servers share one PostgreSQL
        drills.append(
            ("two app servers, two mail workers", lambda: two_servers.run("postgresql", args.messages))
        )
    if "postgresql" in args.db and not args.no_pg_restart:
        drills.append(("PostgreSQL restart", pg_restart.run))
    for name, drill in drills:
        common.log(f"== drill: {name}")
        try:
            results += drill()
        except Exception as exc:  # a drill that crashes is a failed drill, and the others still run
            results.append((False, f"FAIL {name}: crashed: {type(exc).__name__}: {exc}"))
            print(results[-1][1], flush=True)
    print(f"\n== drills ({round(time.monotonic() - started)} s)")
    for _passed, line in results:
        print(line)
    failed = sum(1 for passed, _ in results if not passed)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
