"""PostgreSQL only: the database itself refuses two overlapping loan periods for one unit.

An exclusion constraint over (unit, daterange(start, end, '[]')) needs btree_gist. SQLite cannot express
it; there the locked service check and the unit_out_once constraint do the job."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE lending_reservationunit ADD CONSTRAINT lending_unit_periods_do_not_overlap
    EXCLUDE USING gist (unit_id WITH =, daterange(start, "end", '[]') WITH &&);
"""
DROP = "ALTER TABLE lending_reservationunit DROP CONSTRAINT IF EXISTS lending_unit_periods_do_not_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("lending", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
