"""Profile bench scenarios in-process (pyinstrument), to find why one misses its target.

    python bench/profile_scenarios.py --db sqlite --scale 0.1 [--reuse] [--only booking_many] [--requests 50]

Seeds a database as the bench does (or reuses the one from a previous --reuse run), then sends each
scenario's requests through Django's test client in this process: prints the median and mean time per
request, the SQL queries per request, and with --profile the pyinstrument call tree of the scenario.
No server, no network: the figures are the application's own time, without queueing, so they are
lower than the bench's and are for before/after comparisons of one change, not for the README tables.
"""

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import run  # noqa: E402
from scenarios import SCENARIOS  # noqa: E402


def seed(db, url, seed_args):
    env = common.environment(url)
    common.prepare(env)
    common.manage(env, "seed_scale", "--flush", "--seed", "1", *seed_args, timeout=7200, quiet=True)
    return env


def setup_django(env):
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kyodo.settings"
    sys.path.insert(0, str(common.ROOT))
    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # 409s are expected, not news


def send(client, request):
    method, path, headers, body = request
    extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    if method == "GET":
        return client.get(path, **extra)
    return client.post(path, data=json.dumps(body), content_type="application/json", **extra)


def measure(scenario, make, requests, offset, profile):
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for i in range(min(5, requests)):  # warm-up: imports, caches, connection
        send(client, make(offset + i))
    timings, queries, statuses = [], [], {}
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    counted = []

    def count(execute, sql, params, many, context):
        counted.append(sql)
        return execute(sql, params, many, context)

    for i in range(requests):
        counted.clear()
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            response = send(client, make(offset + 5 + i))
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(counted))
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    if profiler:
        profiler.stop()
    print(f"{scenario.name:22} median {statistics.median(timings):7.2f} ms  mean {statistics.mean(timings):7.2f} ms  "
          f"queries {statistics.median(queries):g}  statuses {statuses}", flush=True)  # fmt: skip
    if profiler:
        print(profiler.output_text(unicode=True, color=False, show_all=False), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--reuse", action="store_true", help="use the database of an earlier run as it is")
    parser.add_argument("--empty", action="store_true", help="the bench's almost empty database (own file)")
    parser.add_argument("--name", help="another database (with --reuse), e.g. bench: what `make bench` left")
    parser.add_argument("--only", nargs="*", help="scenario names (default: all)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="print pyinstrument's call tree")
    parser.add_argument(
        "--offset", type=int, default=20_000, help="first request number (bookings: new days)"
    )
    args = parser.parse_args()
    name = ("kyodo_bench_profile" if args.db == "postgresql" else "profile") + (
        "_empty" if args.empty else ""
    )
    url = common.database_url(args.db, name)
    if args.reuse:
        env = common.environment(url)
    else:
        common.fresh_database(args.db, name)
        env = seed(args.db, url, run.EMPTY_SEED if args.empty else ["--scale", str(args.scale)])
    ctx = common.bench_context(env)
    setup_django(env)
    for scenario in SCENARIOS:
        if args.only and scenario.name not in args.only:
            continue
        make = scenario.make(ctx)
        if make is None:
            print(f"{scenario.name:22} not available")
            continue
        measure(scenario, make, args.requests, args.offset, args.profile)


if __name__ == "__main__":
    main()
