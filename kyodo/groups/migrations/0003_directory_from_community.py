"""The directory moves from the community app: Feature, FeatureQA and Proposal become groups models
(state only: their tables keep their names, so no row moves), the search key becomes a field of Group
(filled here; community's GroupSearch table is dropped by community 0005), and an invitation may be
revoked. Audit entries and content types of the moved models follow them to the new app label."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

MOVED = ["feature", "featureqa", "proposal"]


def fill_search_keys(apps, schema_editor):
    from kyodo.groups.models import search_key_for  # the one definition of the key

    Group = apps.get_model("groups", "Group")
    for group in Group.objects.all().only("pk", "name", "kana"):
        Group.objects.filter(pk=group.pk).update(search_key=search_key_for(group.name, group.kana))


def relabel(old, new):
    def run(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        AuditEntry = apps.get_model("core", "AuditEntry")
        for model in MOVED:
            if not ContentType.objects.filter(app_label=new, model=model).exists():
                ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
            AuditEntry.objects.filter(target_type=f"{old}.{model}").update(target_type=f"{new}.{model}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0002_group_description_label"),
        ("community", "0004_events_not_over_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_outbox_grants_access"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Feature",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("title_en", models.CharField(blank=True, max_length=200, verbose_name="title (English)")),
                        ("intro", models.TextField(blank=True, verbose_name="introduction")),
                        ("published", models.BooleanField(default=False, verbose_name="published")),
                        ("published_on", models.DateField(default=django.utils.timezone.localdate, verbose_name="publication date")),
                        ("group", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="features", to="groups.group", verbose_name="group")),
                    ],
                    options={
                        "verbose_name": "group feature",
                        "verbose_name_plural": "group features",
                        "db_table": "community_feature",
                        "ordering": ["-published_on", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="FeatureQA",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("order", models.PositiveSmallIntegerField(default=1, verbose_name="order")),
                        ("question", models.CharField(max_length=300, verbose_name="question")),
                        ("answer", models.TextField(verbose_name="answer")),
                        ("feature", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="questions", to="groups.feature")),
                    ],
                    options={
                        "verbose_name": "question and answer",
                        "verbose_name_plural": "questions and answers",
                        "db_table": "community_featureqa",
                        "ordering": ["order", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Proposal",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("sender_name", models.CharField(max_length=100, verbose_name="your name")),
                        ("sender_email", models.EmailField(max_length=254, verbose_name="your e-mail address")),
                        ("organisation", models.CharField(blank=True, max_length=200, verbose_name="your organisation")),
                        ("message", models.TextField(max_length=4000, verbose_name="message")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="received")),
                        ("group", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="proposals", to="groups.group", verbose_name="group")),
                    ],
                    options={
                        "verbose_name": "collaboration proposal",
                        "verbose_name_plural": "collaboration proposals",
                        "db_table": "community_proposal",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel("community", "groups"), relabel("groups", "community")),
        migrations.AddField(
            model_name="group",
            name="search_key",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop),
        migrations.AddField(
            model_name="invitation",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
