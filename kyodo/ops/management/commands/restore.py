from django.core.management.base import BaseCommand, CommandError

from kyodo.ops import backup


class Command(BaseCommand):
    help = "Restore the configured database from a file (SQLite online backup; pg_dump/pg_restore)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            backup.restore(options["file"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restore done: {options['file']}")
