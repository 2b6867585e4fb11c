from django.db import migrations


def fill_search_keys(apps, schema_editor):
    """Groups that existed before this app get their directory search key."""
    from kyodo.groups.kana import normalize  # moved from the community app

    Group = apps.get_model("groups", "Group")
    GroupSearch = apps.get_model("community", "GroupSearch")
    for group in Group.objects.all():
        GroupSearch.objects.update_or_create(
            group=group, defaults={"key": f"{normalize(group.name)}\n{normalize(group.kana)}"}
        )


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial"), ("groups", "0001_initial")]
    operations = [migrations.RunPython(fill_search_keys, migrations.RunPython.noop)]
