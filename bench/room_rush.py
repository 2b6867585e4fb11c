"""The opening rush (rooms issue): a few hundred clients ask for a few dozen 区分 at the same instant.

    python bench/room_rush.py [--db sqlite postgresql] [--clients 300] [--rooms 4]

Each client is its own registered group with its own token and sends one POST /api/v1/room-bookings for
one (room, day, 区分) of the month that has just opened; clients ≥ 区分, so every 区分 is fought over.
gunicorn with 2 workers and production settings, as bench/run.py. Passes when: 0 oversold (the database
holds at most one active booking per room, day and 区分), every request answered (201 or 409, no other
status, no connection error), exactly one 201 per 区分 asked. Writes bench/results/<date>-room-rush.json
with p50/p95/p99 per database.
"""

import argparse
import asyncio
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import httpx  # noqa: E402

RESULTS = common.ROOT / "bench" / "results"


async def _rush(base, requests):
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=len(requests))
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        start = asyncio.Event()

        async def one(headers, body):
            await start.wait()  # everyone presses at once
            began = time.perf_counter()
            try:
                response = await client.post("/api/v1/room-bookings", headers=headers, json=body)
            except httpx.HTTPError as exc:
                return None, time.perf_counter() - began, type(exc).__name__
            return response.status_code, time.perf_counter() - began, ""

        tasks = [asyncio.create_task(one(h, b)) for h, b in requests]
        await asyncio.sleep(0.5)
        began = time.perf_counter()
        start.set()
        results = await asyncio.gather(*tasks)
        return results, time.perf_counter() - began


def _pct(ordered, p):
    return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000, 1) if ordered else None


def run(db, clients, rooms):
    common.log(f"{db}: fresh database, migrate, seed {clients} clients and {rooms} rooms")
    env = common.environment(common.fresh_database(db, "kyodo_bench_rush" if db != "sqlite" else "rush"))
    common.prepare(env)
    seeded = json.loads(common.manage(env, "bench_room_rush", "seed", "--clients", str(clients), "--rooms",
                                      str(rooms), quiet=True).stdout)  # fmt: skip
    slots = [
        (room, day, period)
        for room in seeded["rooms"]
        for day in seeded["days"]
        for period in seeded["periods"]
    ]
    requests = []
    for i, client in enumerate(seeded["clients"]):
        room, day, period = slots[i % len(slots)]
        body = {"room": room, "date": day, "periods": [period], "group": client["group"], "purpose": "定例会",
                "attendees": 10}  # fmt: skip
        requests.append(({"Authorization": f"Bearer {client['token']}"}, body))
    with common.Server(env, workers=2, timeout=60) as server:
        results, elapsed = asyncio.run(_rush(server.base, requests))
    checked = json.loads(common.manage(env, "bench_room_rush", "check", quiet=True).stdout)
    statuses = {}
    for status, _latency, error in results:
        key = str(status) if status else error
        statuses[key] = statuses.get(key, 0) + 1
    ordered = sorted(latency for status, latency, _e in results if status)
    asked = len({slots[i % len(slots)] for i in range(len(requests))})
    out = {
        "db": db, "clients": clients, "periods_asked": asked, "seconds": round(elapsed, 2),
        "statuses": statuses, "p50_ms": _pct(ordered, 50), "p95_ms": _pct(ordered, 95), "p99_ms": _pct(ordered, 99),
        "max_ms": round(ordered[-1] * 1000, 1) if ordered else None, **checked,
    }  # fmt: skip
    out["passed"] = (
        checked["oversold"] == 0
        and checked["max_per_slot"] <= 1
        and set(statuses) <= {"201", "409"}
        and statuses.get("201", 0) == asked == checked["slots_held"]
    )
    common.log(f"{db}: {json.dumps(out, ensure_ascii=False)}")
    return out


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--rooms", type=int, default=4)
    args = parser.parse_args()
    runs = [run(db, args.clients, args.rooms) for db in args.db]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{dt.date.today():%Y-%m-%d}-room-rush.json"
    path.write_text(json.dumps({"runs": runs}, ensure_ascii=False, indent=2) + "\n")
    print(("PASS" if all(r["passed"] for r in runs) else "FAIL") + f": {path}")
    return 0 if all(r["passed"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
