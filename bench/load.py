"""An asyncio load client (httpx): N concurrent clients, bounded by a request count and a time limit.

`run(base, make_request, ...)` calls `make_request(i)` for the i-th request, which returns
`(method, path, headers, json_body)`, and records latency, status and the server's query count
(the `X-Kyodo-Queries` header that the bench-only middleware adds).
"""

import asyncio
import time
from dataclasses import dataclass, field

import httpx

QUERY_HEADER = "x-kyodo-queries"


@dataclass
class Result:
    latencies: list = field(default_factory=list)  # seconds
    statuses: dict = field(default_factory=dict)
    queries: list = field(default_factory=list)
    exceptions: int = 0
    elapsed: float = 0.0
    bad_statuses: int = 0

    def add(self, latency, status, queries, ok):
        self.latencies.append(latency)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if queries is not None:
            self.queries.append(int(queries))
        if not ok:
            self.bad_statuses += 1

    def summary(self):
        ordered = sorted(self.latencies)
        n = len(ordered)

        def pct(p):
            return round(ordered[min(n - 1, int(p / 100 * n))] * 1000, 2) if n else None

        return {
            "requests": n,
            "seconds": round(self.elapsed, 2),
            "rps": round(n / self.elapsed, 1) if self.elapsed else 0,
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "max_ms": round(ordered[-1] * 1000, 2) if n else None,
            "errors": self.bad_statuses + self.exceptions,
            "exceptions": self.exceptions,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "queries_per_request": round(sorted(self.queries)[len(self.queries) // 2], 1)
            if self.queries
            else None,
            "queries_max": max(self.queries) if self.queries else None,
        }


async def _client_loop(client, make_request, counter, limit, deadline, result, ok_statuses):
    while time.monotonic() < deadline:
        i = counter[0]
        if i >= limit:
            return
        counter[0] += 1
        method, path, headers, body = make_request(i)
        started = time.perf_counter()
        try:
            response = await client.request(method, path, headers=headers, json=body)
        except httpx.HTTPError:
            result.exceptions += 1
            continue
        latency = time.perf_counter() - started
        ok = response.status_code in ok_statuses if ok_statuses else response.status_code < 400
        result.add(latency, response.status_code, response.headers.get(QUERY_HEADER), ok)


async def _run(base, make_request, concurrency, limit, seconds, ok_statuses):
    result = Result()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=15, limits=limits) as client:
        counter = [0]
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(
                _client_loop(client, make_request, counter, limit, deadline, result, ok_statuses)
                for _ in range(concurrency)
            )
        )
        result.elapsed = time.monotonic() - started
    return result


def run(base, make_request, concurrency=4, limit=2000, seconds=10.0, ok_statuses=None):
    """Drive the server; returns a Result. Stops at `limit` requests or after `seconds`, whichever first."""
    return asyncio.run(_run(base, make_request, concurrency, limit, seconds, ok_statuses))
