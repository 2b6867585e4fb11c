"""Seed the starting topics, and on PostgreSQL forbid overlapping bookings of one coordinator.

The exclusion constraint is the database's safety net behind the service's lock-and-recheck: two
bookings that hold time (booked, held, no-show) of the same coordinator may not have overlapping
blocked ranges [start, blocked_until), where blocked_until is the end plus the buffer."""

from django.db import migrations

TOPICS = [
    ("オンライン会議の開き方", "How to hold an online meeting"),
    ("イベントの配信", "Streaming an event"),
    ("機材の使い方", "Using the equipment"),
    ("団体の運営", "Running a group"),
    ("その他", "Other"),
]


def seed_topics(apps, schema_editor):
    Topic = apps.get_model("consultations", "Topic")
    for order, (name, name_en) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"name_en": name_en, "order": order * 10})


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        "ALTER TABLE consultations_consultation ADD CONSTRAINT consultation_no_overlap "
        "EXCLUDE USING gist (coordinator_id WITH =, tstzrange(start, blocked_until, '[)') WITH &&) "
        "WHERE (status IN ('booked', 'held', 'no_show'))"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE consultations_consultation DROP CONSTRAINT IF EXISTS consultation_no_overlap"
    )


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [
        migrations.RunPython(seed_topics, migrations.RunPython.noop),
        migrations.RunPython(add_constraint, drop_constraint),
    ]
