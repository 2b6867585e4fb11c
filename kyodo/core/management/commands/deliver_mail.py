import time

from django.core.management.base import BaseCommand

from kyodo.core.mail import deliver_pending


class Command(BaseCommand):
    help = "Deliver e-mails waiting in the outbox (the background worker). --loop keeps running."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, **options):
        while True:
            sent, failed = deliver_pending()
            if sent or failed or not options["loop"]:
                self.stdout.write(f"sent {sent}, failed {failed}")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
