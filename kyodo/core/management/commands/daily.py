import datetime as dt
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "The daily job: each app's reminders and notices (`daily.run(today)`). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were YYYY-MM-DD.")

    def handle(self, *args, **options):
        today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        for app in settings.INSTALLED_APPS:
            if not app.startswith("kyodo."):
                continue
            try:
                module = import_module(f"{app}.daily")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.daily":
                    raise
                continue
            report = module.run(today)
            self.stdout.write(f"{app}: {report}")
