import datetime as dt
import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kyodo.core.discovery import app_modules
from kyodo.core.errortracking import report

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "The daily job: each app's reminders and notices (`daily.run(today)`). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were YYYY-MM-DD.")

    def handle(self, *args, **options):
        today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        failed = []
        for module in app_modules("daily"):
            app = module.__name__.removesuffix(".daily")
            try:
                report_text = module.run(today)
            except Exception as exc:  # one app's error must not keep the others' reminders from going out
                log.exception("daily job of %s failed", app)
                report(exc)
                failed.append(app)
                continue
            self.stdout.write(f"{app}: {report_text}")
        if failed:
            raise CommandError(f"the daily job failed for {', '.join(failed)} (see the log)")
