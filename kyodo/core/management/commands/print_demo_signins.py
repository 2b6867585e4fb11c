from django.conf import settings
from django.core.management.base import BaseCommand

from kyodo.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo sign-ins (demo only)."

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (demo only) / デモ用アカウント:")
        for email, _name, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<22} {DEMO_PASSWORD}   ({role})")
        self.stdout.write("Mail is printed here and kept under var/mail/.")
        self.stdout.write(f"Open {settings.SITE_URL}/  (English: {settings.SITE_URL}/en/)")
        self.stdout.write(
            f"Links in mail, feeds and QR codes use SITE_URL={settings.SITE_URL} "
            "(make run sets it from HOST and PORT unless SITE_URL is given)."
        )
        self.stdout.write("")
