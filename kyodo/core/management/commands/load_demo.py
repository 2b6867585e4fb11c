from django.core.management.base import BaseCommand
from django.db import transaction

from kyodo.core.discovery import app_modules
from kyodo.core.models import Location


class Command(BaseCommand):
    help = "Load the demo content (the newsletter and sample data). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Only when no location exists yet.")

    def handle(self, *args, **options):
        if options["if_empty"] and Location.objects.exists():
            self.stdout.write("Demo content already there; nothing loaded.")
            return
        with transaction.atomic():
            for module in app_modules("demo"):
                module.load()
                self.stdout.write(f"Loaded demo content: {module.__name__.removesuffix('.demo')}")
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
