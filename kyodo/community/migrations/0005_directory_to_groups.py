"""Feature, FeatureQA and Proposal now belong to the groups app (groups 0003 took them over, state only:
the tables stay). The directory's search table goes: the key is a field of Group."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0004_events_not_over_index"),
        ("groups", "0003_directory_from_community"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="FeatureQA"),
                migrations.DeleteModel(name="Feature"),
                migrations.DeleteModel(name="Proposal"),
            ],
            database_operations=[],
        ),
        migrations.DeleteModel(name="GroupSearch"),
    ]
