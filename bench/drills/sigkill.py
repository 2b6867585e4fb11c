"""Worker SIGKILL drill: under load (pages and booking POSTs), one gunicorn worker is killed with SIGKILL.

PASS when the service keeps answering (successful responses after the kill, gunicorn starts a new worker,
/healthz 200) and `check_integrity` passes afterwards (no reservation without items, no unit lent twice).

    python bench/drills/sigkill.py [--db sqlite postgresql]
"""

import argparse
import asyncio
import os
import signal
import time
from collections import Counter

import httpx
from drill import common, integrity_ok, seeded_env, verdict

LOAD_SECONDS = 20
KILL_AFTER = 6


async def _load(base, ctx, seconds):
    """GETs and POSTs from 8 clients for `seconds`; returns [(time, kind, status)]."""
    records, deadline = [], time.monotonic() + seconds
    types, days, clients = ctx["equipment_types"], ctx["open_days"], ctx["clients"]

    async def worker(n, client):
        i = n
        while time.monotonic() < deadline:
            i += 8
            c = clients[i % len(clients)]
            try:
                if i % 2:
                    r = await client.get("/equipment/")
                    kind = "get"
                else:
                    body = {"group": c["group"], "items": [{"equipment": types[i % len(types)], "quantity": 1}],
                            "pickup_date": days[i % len(days)], "return_date": days[i % len(days)],
                            "purpose": "sigkill drill"}  # fmt: skip
                    r = await client.post("/api/v1/reservations", json=body,
                                          headers={"Authorization": f"Bearer {c['token']}"})  # fmt: skip
                    kind = "post"
                records.append((time.monotonic(), kind, r.status_code))
            except httpx.HTTPError:
                records.append((time.monotonic(), "error", None))

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await asyncio.gather(*(worker(n, client) for n in range(8)))
    return records


async def _kill_under_load(base, ctx, victim):
    load = asyncio.create_task(_load(base, ctx, LOAD_SECONDS))
    await asyncio.sleep(KILL_AFTER)
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    return killed_at, await load


def run(dbs=("sqlite", "postgresql")):
    outcomes = []
    for db in dbs:
        env = seeded_env(db)
        ctx = common.bench_context(env, tokens=32)
        with common.Server(env) as server:
            before = server.worker_pids()
            victim = before[0]
            killed_at, records = asyncio.run(_kill_under_load(server.base, ctx, victim))
            after = server.worker_pids()
            health = server.healthz()
        ok, problems = integrity_ok(env)
        after_kill = Counter(status for t, _, status in records if t > killed_at)
        answered = sum(n for status, n in after_kill.items() if status and status < 500)
        failed = sum(n for status, n in after_kill.items() if status is None or status >= 500)
        passed = answered > 0 and health == 200 and len(after) == 2 and victim not in after and ok
        outcomes.append(
            verdict(
                "worker SIGKILL",
                passed,
                f"{db}: killed worker {victim} after {KILL_AFTER} s of load; afterwards {answered} answers, "
                f"{failed} failed (in flight on the killed worker), workers {before} → {after}, /healthz {health}, "
                f"{sum(1 for _, k, s in records if k == 'post' and s == 201)} bookings saved, "
                f"integrity {'ok' if ok else problems}",
            )
        )
    return outcomes


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    results = run(args.db)
    raise SystemExit(0 if all(passed for passed, _ in results) else 1)
