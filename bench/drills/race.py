"""Race drill: 64 parallel clients, round after round, for the last free units of one equipment type on
one day, and for the same consultation slot; on SQLite and PostgreSQL.

PASS when, in every round, the number of 201s equals what was free (0 oversold, none lost), every refusal
is a 409 (or a 422 naming a rule), and check_integrity passes afterwards.

    python bench/drills/race.py [--db sqlite postgresql] [--clients 64] [--attempts 100]
"""

import argparse
import asyncio
import time

import httpx
from drill import common, integrity_ok, seeded_env, verdict


async def _burst(base, requests):
    """Fire all requests at once (one connection each); returns the statuses."""
    async with httpx.AsyncClient(
        base_url=base, timeout=60, limits=httpx.Limits(max_connections=len(requests))
    ) as c:

        async def one(method, path, headers, body):
            try:
                response = await c.request(method, path, headers=headers, json=body)
                return response.status_code, response.text[:200]
            except httpx.HTTPError as exc:
                return None, str(exc)

        return await asyncio.gather(*(one(*r) for r in requests))


def _free(base, type_id, day):
    with httpx.Client(base_url=base, timeout=30) as client:
        days = client.get(f"/api/v1/equipment/{type_id}/availability?start={day}&end={day}").json()["days"]
    return days[0]["free"] if days else 0


def _slot_free(base, slot):
    day = slot[:10]
    with httpx.Client(base_url=base, timeout=30) as client:
        slots = client.get(f"/api/v1/consultations/slots?start={day}&end={day}").json()
    return next((s["free"] for s in slots if s["start"] == slot), 0)


def lending_race(db, base, ctx, clients, attempts):
    type_id = ctx["equipment_types"][0]
    tokens = ctx["clients"][:clients]
    totals = {"rounds": 0, "won": 0, "free": 0, "oversold": 0, "lost": 0, "bad": 0, "statuses": {}}
    started = time.monotonic()
    for attempt in range(attempts):
        day = ctx["open_days"][attempt * 2 % len(ctx["open_days"])]  # a new day each round
        free = _free(base, type_id, day)
        requests = [
            ("POST", "/api/v1/reservations", {"Authorization": f"Bearer {c['token']}"},
             {"group": c["group"], "items": [{"equipment": type_id, "quantity": 1}], "pickup_date": day,
              "return_date": day, "purpose": "race drill"})
            for c in tokens
        ]  # fmt: skip
        results = asyncio.run(_burst(base, requests))
        won = sum(1 for status, _ in results if status == 201)
        for status, text in results:
            totals["statuses"][str(status)] = totals["statuses"].get(str(status), 0) + 1
            if status not in (201, 409) and not (status == 422 and "detail" in text):
                totals["bad"] += 1
        totals["rounds"] += 1
        totals["won"] += won
        totals["free"] += free
        totals["oversold"] += max(0, won - free)
        totals["lost"] += max(0, free - won)
        if _free(base, type_id, day) != max(0, free - won):
            totals["oversold"] += 1  # what is left does not add up
    totals["seconds"] = round(time.monotonic() - started, 1)
    return totals


def consultation_race(db, base, ctx, clients, attempts):
    info = ctx.get("consultation") or {}
    slots = info.get("slots") or []
    totals = {"rounds": 0, "won": 0, "free": 0, "oversold": 0, "lost": 0, "bad": 0, "statuses": {}}
    started = time.monotonic()
    for attempt in range(min(attempts, len(slots))):
        slot = slots[attempt]  # a new slot each round
        free = _slot_free(base, slot)
        requests = [
            ("POST", info["path"], {},
             {"start": slot, "mode": "in_person", "topic": info["topic"], "location": info["location"],
              "name": "レース 太郎", "kana": "れーす たろう", "phone": "076-000-0000",
              "email": f"race{attempt}-{n}@scale.example.jp", "consent": True})
            for n in range(clients)
        ]  # fmt: skip
        results = asyncio.run(_burst(base, requests))
        won = sum(1 for status, _ in results if status == 201)
        for status, text in results:
            totals["statuses"][str(status)] = totals["statuses"].get(str(status), 0) + 1
            if status not in (201, 409) and not (status == 422 and "detail" in text):
                totals["bad"] += 1
        totals["rounds"] += 1
        totals["won"] += won
        totals["free"] += free
        totals["oversold"] += max(0, won - free)
        totals["lost"] += max(0, free - won)
    totals["seconds"] = round(time.monotonic() - started, 1)
    return totals


def run(dbs=("sqlite", "postgresql"), clients=64, attempts=100):
    outcomes = []
    for db in dbs:
        env = seeded_env(db)
        ctx = common.bench_context(env, tokens=clients)
        with common.Server(env, timeout=60) as server:
            races = []
            if ctx.get("equipment_types") and ctx.get("open_days"):
                races.append(("equipment", lending_race(db, server.base, ctx, clients, attempts)))
            if (ctx.get("consultation") or {}).get("slots"):
                races.append(
                    ("consultation slot", consultation_race(db, server.base, ctx, clients, attempts))
                )
        ok, problems = integrity_ok(env)
        for what, t in races:
            passed = t["oversold"] == 0 and t["lost"] == 0 and t["bad"] == 0 and t["rounds"] > 0 and ok
            figures = (
                f"{db}, {what}: {len(ctx['clients']) if what == 'equipment' else clients} clients × {t['rounds']} "
                f"rounds, {t['won']} won of {t['free']} free, oversold {t['oversold']}, lost {t['lost']}, "
                f"other answers {t['bad']}, statuses {t['statuses']}, {t['seconds']} s, integrity "
                f"{'ok' if ok else problems}"
            )
            outcomes.append(verdict("race", passed, figures))
        if not races:
            outcomes.append(
                verdict("race", False, f"{db}: no equipment or consultation endpoints on this branch")
            )
    return outcomes


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--attempts", type=int, default=100)
    args = parser.parse_args()
    results = run(args.db, args.clients, args.attempts)
    raise SystemExit(0 if all(passed for passed, _ in results) else 1)
