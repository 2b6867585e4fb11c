from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kyodo.core"
    verbose_name = _("Center and accounts")

    def ready(self) -> None:
        from kyodo.core import checks  # noqa: F401  # registers the start-up checks (needs the app registry)
