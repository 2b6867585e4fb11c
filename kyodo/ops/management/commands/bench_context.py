import json

from django.core.management.base import BaseCommand

from kyodo.ops import bench_context


class Command(BaseCommand):
    help = "Bench only: issue API tokens for members of approved groups and print what the load needs (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--tokens", type=int, default=16)

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(bench_context.build(options["tokens"])))
