from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kyodo.api"
    label = "kyodo_api"
