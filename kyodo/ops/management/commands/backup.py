from django.core.management.base import BaseCommand, CommandError

from kyodo.ops import backup


class Command(BaseCommand):
    help = "Backup the configured database to a file (SQLite online backup; pg_dump/pg_restore)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            backup.backup(options["file"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup done: {options['file']}")
