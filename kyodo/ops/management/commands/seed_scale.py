import datetime as dt
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kyodo.core.models import User
from kyodo.ops import seed


class Command(BaseCommand):
    help = (
        "Fill the database with deterministic data at scale (default: the full size of issue 6). "
        "--scale 0.01 for a hundredth; per-table flags override."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--today", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--flush", action="store_true", help="empty the database first")
        for name in seed.DEFAULTS:
            parser.add_argument(f"--{name.replace('_', '-')}", type=int, dest=name)

    def handle(self, *args, **options):
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive")
        if options["flush"]:
            call_command("flush", interactive=False, verbosity=0)
        elif User.objects.exists():
            raise CommandError("The database already has users: use --flush to empty it first.")
        counts = seed.scaled(options["scale"], **{name: options[name] for name in seed.DEFAULTS})
        if any(v < 0 for v in counts.values()):
            raise CommandError("Counts must not be negative")
        generator = seed.Generator(counts, seed=options["seed"], today=options["today"])
        report = generator.run()
        for line in report.lines():
            self.stdout.write(line)
        total_rows = sum(rows for rows, _ in report.rows.values())
        total_seconds = sum(seconds for _, seconds in report.rows.values())
        self.stdout.write(f"{'total':40} {total_rows:>10,} rows {total_seconds:8.2f} s")
        if connection.vendor == "postgresql":
            # PostgreSQL plans from statistics that autovacuum gathers a while after a bulk load; until
            # then it takes the new tables for empty ones (and, for one, read every past event for the
            # upcoming list). Gather them now, as autovacuum would.
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"{'ANALYZE':40} {'':>10}      {time.monotonic() - started:8.2f} s")
