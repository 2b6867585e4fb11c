import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from kyodo.consultations import services


class Command(BaseCommand):
    help = (
        "Wipe the personal details of consultations older than the retention period (each location's "
        "setting, default 13 months); topic, mode, status and date stay for the statistics."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--months", type=int, help="Override the period for every location.")
        parser.add_argument("--date", help="Run as if today were YYYY-MM-DD.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        count = services.anonymise_old(today, months=options["months"])
        self.stdout.write(f"{count} consultation(s) anonymised")
