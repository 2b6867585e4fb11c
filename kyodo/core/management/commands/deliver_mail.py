import logging
import time

from django.core.management.base import BaseCommand

from kyodo.core.errortracking import report
from kyodo.core.mail import deliver_pending

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Deliver e-mails waiting in the outbox (the background worker). --loop keeps running."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, **options):
        while True:
            if not options["loop"]:
                sent, failed = deliver_pending()
                self.stdout.write(f"sent {sent}, failed {failed}")
                return
            self._one_round()
            time.sleep(options["interval"])

    def _one_round(self) -> None:
        """One pass of the loop. An error (the database restarting, a bug) is logged and reported, and the
        worker goes on: the messages wait in the outbox for the next pass."""
        try:
            sent, failed = deliver_pending()
        except Exception as exc:
            log.exception("the mail worker's pass failed; trying again")
            report(exc)
            return
        if sent or failed:
            self.stdout.write(f"sent {sent}, failed {failed}")
