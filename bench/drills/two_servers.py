"""Two app servers drill: two gunicorn masters (each with its workers) on two ports over one PostgreSQL,
and two mail workers at once over 10,000 messages.

PASS lines, each measured here:
- sessions: signed in on server A, the same cookie is signed in on server B;
- rate limits: Kyodo's own (consultation bookings per address) count requests to A and B together;
- sign-in throttling: failed sign-ins counted on A and B together lock the address out on both (allauth's
  5 failures per address; the cache is shared: the database cache, or Redis with CACHE_URL);
- load and a killed server: booking POSTs spread over both servers; server B (master and workers) is
  killed with SIGKILL mid-load; A keeps answering, and every booking that was answered 201 — on either
  server — is in the database; check_integrity passes (no unit lent twice);
- two mail workers: 10,000 messages in the outbox, two `deliver_mail --loop` processes at once into a local
  SMTP sink: every message arrives exactly once (0 lost, 0 twice), the outbox ends empty of pending rows.

    python bench/drills/two_servers.py [--db postgresql] [--messages 10000]
"""

import argparse
import asyncio
import os
import re
import signal
import subprocess
import time
from collections import Counter

import httpx
from aiosmtpd.controller import Controller
from drill import common, integrity_ok, seeded_env, verdict
from mail_outage import Sink

# The published password of the generated load-test accounts, read from the one place that sets it.
PASSWORD = re.search(r'^PASSWORD = "([^"]+)"', (common.ROOT / "kyodo/ops/seed.py").read_text(), re.M).group(1)
LOAD_SECONDS = 20
KILL_AFTER = 6
THROTTLED = "Too many failed login attempts"


class Browser:
    """A browser's cookie jar across both servers (one host, two ports, as behind one load balancer).

    Production settings mark the cookies Secure; the drill speaks plain HTTP to 127.0.0.1, so it keeps
    the cookies itself and sends them back, as the browser would over the proxy's HTTPS."""

    def __init__(self):
        self.cookies = {}
        self.client = httpx.Client(timeout=30)

    def request(self, method, url, **kwargs):
        for _ in range(5):  # follow redirects, keeping the cookies each answer sets
            # One public host name for both, as a load balancer passes it on: allauth's sign-in throttle
            # keys on the host, which two bare ports would make two.
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            headers = {**kwargs.pop("headers", {}), "Cookie": cookie, "Host": "127.0.0.1"}
            response = self.client.request(method, url, headers=headers, **kwargs)
            self.cookies.update({c.name: c.value for c in response.cookies.jar})
            if response.status_code not in (301, 302, 303) or "location" not in response.headers:
                return response
            url, method, kwargs = str(response.url.join(response.headers["location"])), "GET", {}
        return response

    def close(self):
        self.client.close()


def _sign_in(browser, base, email, password):
    login = f"{base}/en/accounts/login/"
    page = browser.request("GET", login)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    return browser.request(
        "POST",
        login,
        data={"login": email, "password": password, "csrfmiddlewaretoken": token.group(1) if token else ""},
        headers={"Referer": login},
    )


def sessions_and_throttling(a, b, ctx):
    """A session made on A is valid on B; failed sign-ins on A and B add up."""
    email = ctx["clients"][0]["email"]
    browser = Browser()
    _sign_in(browser, a.base, email, PASSWORD)
    me_on_b = browser.request("GET", f"{b.base}/en/me/")
    browser.close()
    shared_session = (
        me_on_b.status_code == 200 and email in me_on_b.text and "/accounts/login/" not in str(me_on_b.url)
    )
    victim = ctx["clients"][1]["email"]
    refused_at = None
    browser = Browser()
    for attempt in range(1, 8):
        server = a if attempt % 2 else b
        answer = _sign_in(browser, server.base, victim, "wrong-password-1234")
        if THROTTLED in answer.text:
            refused_at = attempt
            break
    # The right password is refused too while the address is locked out, on the other server.
    right = _sign_in(browser, (b if refused_at and refused_at % 2 else a).base, victim, PASSWORD)
    browser.close()
    locked_on_both = refused_at == 6 and THROTTLED in right.text
    return [
        verdict("two servers: sessions", shared_session,
                f"signed in on :{a.port}, /me/ on :{b.port} answered {me_on_b.status_code} for the same person"),
        verdict("two servers: sign-in throttling", locked_on_both,
                f"failed sign-ins alternating between :{a.port} and :{b.port}: refused from attempt {refused_at} "
                f"(allauth allows 5 per address), then the right password refused on the other server: "
                f"{THROTTLED in right.text}"),
    ]  # fmt: skip


IP_LIMIT = (
    4  # consultation bookings per address per hour, lowered for the drill (KYODO_RATE_LIMIT_CONSULTATION_IP)
)


def rate_limits(a, b, ctx):
    """Kyodo's own limits count in the database: bookings from one address on A and B add up."""
    info = ctx.get("consultation") or {}
    slots = info.get("slots") or []
    if not slots or not info.get("topic"):
        return [verdict("two servers: rate limits", False, "the seeded data has no free consultation slot")]
    statuses = []
    with httpx.Client(timeout=30) as client:
        for i in range(IP_LIMIT + 2):
            server = a if i % 2 else b
            body = {"start": slots[(i * 7) % len(slots)], "mode": "in_person", "topic": info["topic"],
                    "location": info["location"], "name": "ドリル 太郎", "kana": "ドリル タロウ",
                    "email": f"drill{i}@scale.example.jp", "consent": True}  # fmt: skip
            statuses.append((server.port, client.post(f"{server.base}{info['path']}", json=body).status_code))
    codes = [code for _, code in statuses]
    passed = codes[:IP_LIMIT] == [201] * IP_LIMIT and codes[IP_LIMIT:] == [429, 429]
    return [
        verdict("two servers: rate limits", passed,
                f"{IP_LIMIT} consultation bookings allowed per address; alternating servers answered "
                f"{' '.join(f':{port}→{code}' for port, code in statuses)}"),
    ]  # fmt: skip


async def _load(servers, ctx, seconds, kill):
    """Booking POSTs and page GETs from 8 clients over both servers; `kill` runs after KILL_AFTER s."""
    records, deadline = [], time.monotonic() + seconds
    types, days, clients = ctx["equipment_types"], ctx["open_days"], ctx["clients"]

    async def worker(n, client):
        i = n
        while time.monotonic() < deadline:
            i += 8
            server = servers[i % 2]
            c = clients[i % len(clients)]
            try:
                if i % 3 == 0:
                    r = await client.get(f"{server.base}/equipment/")
                    records.append((time.monotonic(), server.port, "get", r.status_code, None))
                else:
                    body = {"group": c["group"], "items": [{"equipment": types[i % len(types)], "quantity": 1}],
                            "pickup_date": days[i % len(days)], "return_date": days[i % len(days)],
                            "purpose": "two servers drill"}  # fmt: skip
                    r = await client.post(f"{server.base}/api/v1/reservations", json=body,
                                          headers={"Authorization": f"Bearer {c['token']}"})  # fmt: skip
                    made = r.json().get("id") if r.status_code == 201 else None
                    records.append((time.monotonic(), server.port, "post", r.status_code, made))
            except httpx.HTTPError:
                records.append((time.monotonic(), server.port, "error", None, None))

    async def killer():
        await asyncio.sleep(KILL_AFTER)
        return kill()

    async with httpx.AsyncClient(timeout=30) as client:
        results = await asyncio.gather(killer(), *(worker(n, client) for n in range(8)))
    return results[0], records


def _kill_server(server):
    """SIGKILL a gunicorn master and its workers at once: the host died."""
    for pid in [*server.worker_pids(), server.process.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    server.process.wait(timeout=10)
    return time.monotonic()


def _reservations_present(env, ids):
    code = (
        "import sys; from kyodo.lending.models import Reservation as R;"
        f"ids = {sorted(ids)!r}; print(R.objects.filter(pk__in=ids).count())"
    )
    return int(common.manage(env, "shell", "--verbosity", "0", "-c", code, quiet=True).stdout.strip())


def load_and_kill(env, ctx, a, b):
    killed_at, records = asyncio.run(_load([a, b], ctx, LOAD_SECONDS, lambda: _kill_server(b)))
    by_server = Counter(port for _, port, kind, _, _ in records if kind != "error")
    committed = {made for _, _, kind, status, made in records if kind == "post" and status == 201 and made}
    present = _reservations_present(env, committed) if committed else 0
    after_kill_on_a = sum(1 for t, port, _, status, _ in records if t > killed_at and port == a.port and status
                          and status < 500)  # fmt: skip
    failed_on_a = sum(
        1 for _, port, _, status, _ in records if port == a.port and (status is None or status >= 500)
    )
    ok, problems = integrity_ok(env)
    health_a = a.healthz()
    passed = (
        by_server[a.port] > 0 and by_server[b.port] > 0 and present == len(committed) and after_kill_on_a > 0
        and failed_on_a == 0 and health_a == 200 and ok
    )  # fmt: skip
    return [
        verdict("two servers: load and a killed server", passed,
                f"answers by server {dict(by_server)}; server :{b.port} killed (SIGKILL, master and workers) after "
                f"{KILL_AFTER} s; :{a.port} answered {after_kill_on_a} more with 0 failures ({failed_on_a}), "
                f"/healthz {health_a}; {len(committed)} bookings answered 201, {present} of them in the database; "
                f"integrity {'ok' if ok else problems}"),
    ]  # fmt: skip


def _outbox_counts(env):
    code = (
        "from kyodo.core.models import OutboundEmail as O;"
        "print(O.objects.count(), O.objects.delivered().count(), O.objects.undelivered().count())"
    )
    total, sent, pending = common.manage(
        env, "shell", "--verbosity", "0", "-c", code, quiet=True
    ).stdout.split()
    return int(total), int(sent), int(pending)


def _queue_messages(env, count):
    code = (
        "from kyodo.core.models import OutboundEmail as O;"
        "O.objects.all().delete();"
        f"O.objects.bulk_create([O(subject=f'drill {{i}}', from_email='kyodo@example.jp', to=[f'g{{i}}@example.jp'],"
        f" body='two mail workers drill') for i in range({count})], batch_size=1000)"
    )
    common.manage(env, "shell", "--verbosity", "0", "-c", code, quiet=True)


def two_mail_workers(env, messages, timeout=900):
    port = common.free_port()
    env = {**env, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    _queue_messages(env, messages)
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    started = time.monotonic()
    workers = [
        subprocess.Popen(
            [common.PY, str(common.ROOT / "manage.py"), "deliver_mail", "--loop", "--interval", "0.2"],
            env=env,
            cwd=common.ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(2)
    ]
    try:
        while time.monotonic() - started < timeout:
            total, sent, pending = _outbox_counts(env)
            if pending == 0:
                break
            time.sleep(2)
        took = round(time.monotonic() - started, 1)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        controller.stop(no_assert=True)
    twice = sum(1 for n in sink.ids.values() if n > 1)
    received = len(sink.ids)
    lost = total - received
    passed = total == messages and pending == 0 and received == messages and twice == 0
    return [
        verdict("two mail workers", passed,
                f"{messages} messages, two workers at once: {received} received in {took} s, "
                f"{lost} lost, {twice} delivered twice, {pending} still pending"),
    ]  # fmt: skip


def run(db="postgresql", messages=10_000):
    env = seeded_env(db, KYODO_RATE_LIMITS="on", KYODO_RATE_LIMIT_CONSULTATION_IP=f"{IP_LIMIT}/3600")
    ctx = common.bench_context(env, tokens=32)
    outcomes = []
    with common.Server(env) as a, common.Server(env) as b:
        outcomes += sessions_and_throttling(a, b, ctx)
        outcomes += rate_limits(a, b, ctx)
        outcomes += load_and_kill(env, ctx, a, b)
    outcomes += two_mail_workers(env, messages)
    return outcomes


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="postgresql", choices=["sqlite", "postgresql"])
    parser.add_argument("--messages", type=int, default=10_000)
    args = parser.parse_args()
    results = run(args.db, args.messages)
    raise SystemExit(0 if all(passed for passed, _ in results) else 1)
