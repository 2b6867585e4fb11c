from django.core.management.base import BaseCommand, CommandError

from kyodo.ops import integrity


class Command(BaseCommand):
    help = "Check whole-database invariants (no orphans, no double lending, ...); exits 1 on a problem."

    def handle(self, *args, **options):
        failed = 0
        for name, problems in integrity.run_all():
            if problems:
                failed += 1
                self.stdout.write(f"FAIL {name}: {len(problems)} problem(s)")
                for problem in problems[: integrity.LIMIT]:
                    self.stdout.write(f"  - {problem}")
            else:
                self.stdout.write(f"ok   {name}")
        if failed:
            raise CommandError(f"{failed} integrity check(s) failed")
        self.stdout.write("integrity: all checks passed")
