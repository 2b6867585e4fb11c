"""How long a fiscal year's statistics take over a large database (issue 7).

    python bench/stats_year.py --db sqlite --reservations 1000000
    python bench/stats_year.py --db postgresql --reservations 1000000

Seeds a database of its own with `manage.py seed_scale` (skipped with --reuse when it is already filled),
then times `stats.year_report` for one location and for all locations, for every fiscal year in the data,
and prints the median of several runs, the SQL queries per report, and the ratio to the 1-second budget."""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def database_url(db):
    if db == "sqlite":
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{ROOT / 'var' / 'bench' / 'statistics.sqlite3'}"
    return os.environ.get("BENCH_STATS_PG", "postgresql://postgres@127.0.0.1:5432/kyodo_bench_stats")


def seed(url, reservations, db):
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    if db == "postgresql":
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]}"], check=True, capture_output=True)  # fmt: skip
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {url.rsplit('/', 1)[1]}"], check=True, capture_output=True)  # fmt: skip
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "seed_scale", "--reservations", str(reservations)], env=env, check=True)


def measure(url, repeats):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")  # as seed() runs it: DEBUG is off unless asked for
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max, Min
    from django.test.utils import CaptureQueriesContext

    from kyodo.core.dates import fiscal_year
    from kyodo.core.models import Location
    from kyodo.lending.models import Reservation
    from kyodo.reports import stats

    total = Reservation.objects.count()
    span = Reservation.objects.aggregate(first=Min("pickup_date"), last=Max("pickup_date"))
    years = range(fiscal_year(span["first"]), fiscal_year(span["last"]) + 1)
    location = Location.objects.order_by("pk").first()
    print(f"{connection.vendor}: {total:,} reservations, fiscal years {years.start}–{years.stop - 1}")
    print("| fiscal year | scope | reservations that year | median s | max s | queries | ratio to 1 s |")
    print("|---|---|---|---|---|---|---|")
    worst = 0.0
    for year in years:
        start, end = stats.fiscal_year_range(year)
        in_year = Reservation.objects.filter(pickup_date__range=(start, end)).count()
        for scope, where in (("one location", location), ("all locations", None)):
            timings = []
            for _ in range(repeats):
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    stats.year_report(year, where)
                    timings.append(time.perf_counter() - began)
            median = statistics.median(timings)
            worst = max(worst, median)
            print(
                f"| {year} | {scope} | {in_year:,} | {median:.3f} | {max(timings):.3f} | {len(queries)} | {median:.2f} |"
            )
    print(f"slowest median: {worst:.3f} s → {'met' if worst < 1 else 'NOT met'} (target: well under 1 s)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--reservations", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="measure the database already seeded")
    args = parser.parse_args()
    url = database_url(args.db)
    if not args.reuse:
        seed(url, args.reservations, args.db)
    measure(url, args.repeats)


if __name__ == "__main__":
    main()
