import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from kyodo.rooms.services import lapse


class Command(BaseCommand):
    help = "Lapse 仮予約 whose 使用申請 was not completed in time (also part of `manage.py daily`)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were YYYY-MM-DD.")

    def handle(self, *args, **options):
        today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        self.stdout.write(lapse.run(today))
