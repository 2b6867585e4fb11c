from django.apps import AppConfig


class LendingConfig(AppConfig):
    name = "kyodo.lending"
