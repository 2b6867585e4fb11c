from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Measuring instruments: scale data, integrity check, backup/restore, bench hooks."""

    name = "kyodo.ops"
    label = "ops"
