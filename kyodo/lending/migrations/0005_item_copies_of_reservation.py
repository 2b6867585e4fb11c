"""Each reserved item carries a copy of its reservation's status and dates (see ReservationItem)."""

from django.db import migrations, models

FIELDS = {
    "reservation_status": "status",
    "pickup_date": "pickup_date",
    "return_date": "return_date",
    "hold_until": "hold_until",
}


def copy_from_reservations(apps, schema_editor):
    ReservationItem = apps.get_model("lending", "ReservationItem")
    Reservation = apps.get_model("lending", "Reservation")
    for field, source in FIELDS.items():
        ReservationItem.objects.update(
            **{field: models.Subquery(Reservation.objects.filter(pk=models.OuterRef("reservation_id")).values(source)[:1])}
        )


class Migration(migrations.Migration):
    # Not one transaction: on PostgreSQL, copying into existing rows queues deferred foreign-key checks,
    # and ALTER TABLE refuses a table with pending trigger events. Each step commits on its own; the copy
    # itself is one UPDATE per field.
    atomic = False

    dependencies = [("lending", "0004_statistics_indexes")]

    operations = [
        migrations.AddField("reservationitem", "reservation_status", models.CharField(max_length=20, editable=False, null=True)),
        migrations.AddField("reservationitem", "pickup_date", models.DateField(editable=False, null=True)),
        migrations.AddField("reservationitem", "return_date", models.DateField(editable=False, null=True)),
        migrations.AddField("reservationitem", "hold_until", models.DateField(editable=False, null=True)),
        migrations.RunPython(copy_from_reservations, migrations.RunPython.noop),
        migrations.AlterField("reservationitem", "reservation_status", models.CharField(max_length=20, editable=False)),
        migrations.AlterField("reservationitem", "pickup_date", models.DateField(editable=False)),
        migrations.AlterField("reservationitem", "return_date", models.DateField(editable=False)),
        migrations.AlterField("reservationitem", "hold_until", models.DateField(editable=False)),
        migrations.AddIndex(
            "reservationitem",
            models.Index(fields=["equipment_type", "hold_until", "pickup_date"], name="item_held_idx"),
        ),
        migrations.AddIndex(
            "reservationitem", models.Index(fields=["equipment_type", "reservation_status"], name="item_status_idx")
        ),
    ]
