from django.core.management.base import BaseCommand, CommandError

from kyodo.core.models import User
from kyodo.core.tokens import issue_token


class Command(BaseCommand):
    help = "Create an API token for a user; the token is the last word printed."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, **options):
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No user with e-mail {options['email']}")
        _row, raw = issue_token(user, options["name"])
        self.stdout.write(f"Token for {user.email}: {raw}")
