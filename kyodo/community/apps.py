from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "kyodo.community"
    verbose_name = _("Events, news and group directory")

    def ready(self):
        from django.db.models.signals import post_save

        from kyodo.community import search
        from kyodo.groups.models import Group

        # The directory's search key follows every save of a group, whichever app saves it.
        post_save.connect(search.on_group_saved, sender=Group, dispatch_uid="community_group_search")
