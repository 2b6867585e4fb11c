import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from kyodo.core.discovery import app_modules


class Command(BaseCommand):
    help = "The daily job: each app's reminders and notices (`daily.run(today)`). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were YYYY-MM-DD.")

    def handle(self, *args, **options):
        today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        for module in app_modules("daily"):
            report = module.run(today)
            self.stdout.write(f"{module.__name__.removesuffix('.daily')}: {report}")
