"""Mail outage drill: a local SMTP sink (aiosmtpd on 127.0.0.1) is stopped during 200 bookings and started
again; the outbox worker (`manage.py deliver_mail --loop`) keeps running throughout.

PASS when all 200 bookings are saved (201), and after recovery every outbox message reached the sink
exactly once (none lost, none twice) and the outbox holds nothing undelivered.

    python bench/drills/mail_outage.py [--db sqlite] [--bookings 200]
"""

import argparse
import asyncio
import subprocess
import time
from collections import Counter
from email import message_from_bytes

import httpx
from aiosmtpd.controller import Controller
from drill import common, seeded_env, verdict


class Sink:
    """Collects the X-Kyodo-Outbox-Id of every message it accepts."""

    def __init__(self):
        self.ids = Counter()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.original_content or envelope.content)
        self.ids[message.get("X-Kyodo-Outbox-Id", "?")] += 1
        return "250 OK"


async def _book(base, ctx, start, count, concurrency=8):
    types, days, clients = ctx["equipment_types"], ctx["open_days"], ctx["clients"]
    statuses = Counter()
    queue = list(range(start, start + count))

    async def worker(client):
        while queue:
            i = queue.pop(0)
            c = clients[i % len(clients)]
            body = {"group": c["group"], "items": [{"equipment": types[i % len(types)], "quantity": 1}],
                    "pickup_date": days[i % len(days)], "return_date": days[i % len(days)],
                    "purpose": "mail drill"}  # fmt: skip
            try:
                r = await client.post(
                    "/api/v1/reservations", json=body, headers={"Authorization": f"Bearer {c['token']}"}
                )
                statuses[r.status_code] += 1
            except httpx.HTTPError:
                statuses[None] += 1

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return statuses


def _outbox(env):
    code = (
        "from kyodo.core.models import OutboundEmail as O;"
        "print(O.objects.count(), O.objects.filter(status='sent').count(), "
        "O.objects.exclude(status='sent').count(), ' '.join(str(p) for p in O.objects.values_list('pk', flat=True)))"
    )
    out = common.manage(env, "shell", "--verbosity", "0", "-c", code, quiet=True).stdout.split()
    return int(out[0]), int(out[1]), int(out[2]), set(out[3:])


def run(db="sqlite", bookings=200, recovery_seconds=240):
    port = common.free_port()
    env = seeded_env(db, EMAIL_URL=f"smtp://127.0.0.1:{port}", KYODO_DELIVER_ON_COMMIT="0")
    ctx = common.bench_context(env, tokens=32)
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    worker = subprocess.Popen(
        [common.PY, str(common.ROOT / "manage.py"), "deliver_mail", "--loop", "--interval", "0.5"],
        env=env, cwd=common.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        with common.Server(env) as server:
            first = bookings // 4
            statuses = _book_sync(server.base, ctx, 0, first)
            controller.stop()  # the outage: connections to the SMTP port are refused
            down_at = time.monotonic()
            statuses += _book_sync(server.base, ctx, first, bookings - first)
            time.sleep(3)  # the worker tries, and fails, during the outage
            total_during, sent_during, _, _ = _outbox(env)
            controller = Controller(sink, hostname="127.0.0.1", port=port)
            controller.start()
            outage = round(time.monotonic() - down_at, 1)
            deadline = time.monotonic() + recovery_seconds  # failed messages retry after 30 s back-off
            while time.monotonic() < deadline:
                total, sent, pending, ids = _outbox(env)
                if pending == 0:
                    break
                time.sleep(3)
            recovered = round(time.monotonic() - down_at - outage, 1)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        controller.stop(no_assert=True)
    saved = statuses.get(201, 0)
    twice = sum(1 for n in sink.ids.values() if n > 1)
    lost = len(ids - set(sink.ids))
    passed = saved == bookings and pending == 0 and lost == 0 and twice == 0 and total > 0
    return [
        verdict(
            "mail outage",
            passed,
            f"{db}: {saved}/{bookings} bookings saved (statuses {dict(statuses)}), {total} messages in the outbox, "
            f"{sent_during} sent before/while down of {total_during}, outage {outage} s, all delivered "
            f"{recovered} s after recovery: {pending == 0}; lost {lost}, delivered twice {twice}",
        )
    ]


def _book_sync(base, ctx, start, count):
    return asyncio.run(_book(base, ctx, start, count))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--bookings", type=int, default=200)
    args = parser.parse_args()
    results = run(args.db, args.bookings)
    raise SystemExit(0 if all(passed for passed, _ in results) else 1)
