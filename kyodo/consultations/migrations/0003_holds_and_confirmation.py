"""仮受付 that hold their time briefly, confirmed from a token only the mail carries (issue 18).

- `held_until`: when a 仮受付's hold ends; `confirm_token_hash`: the SHA-256 of its confirmation token.
- Confirmation is on by default, also for the locations whose settings were saved before: the old
  default (off) let the booker confirm with the link the page and the API gave them, and nobody chose it.
- On PostgreSQL the no-overlap constraint also covers 仮受付 that have a hold. Those made before holds
  existed (held_until empty) never held time and stay outside it."""

from django.db import migrations, models

OLD = "WHERE (status IN ('booked', 'held', 'no_show'))"
NEW = (
    "WHERE (status IN ('booked', 'held', 'no_show') "
    "OR (status = 'pending_confirmation' AND held_until IS NOT NULL))"
)


def _replace_constraint(schema_editor, where):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE consultations_consultation DROP CONSTRAINT IF EXISTS consultation_no_overlap"
    )
    schema_editor.execute(
        "ALTER TABLE consultations_consultation ADD CONSTRAINT consultation_no_overlap "
        "EXCLUDE USING gist (coordinator_id WITH =, tstzrange(start, blocked_until, '[)') WITH &&) "
        + where
    )


def holds_in_constraint(apps, schema_editor):
    _replace_constraint(schema_editor, NEW)


def holds_out_of_constraint(apps, schema_editor):
    _replace_constraint(schema_editor, OLD)


def confirmation_on(apps, schema_editor):
    Settings = apps.get_model("consultations", "ConsultationSettings")
    Settings.objects.update(require_email_confirmation=True)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0002_topics_and_no_overlap"),
    ]

    operations = [
        migrations.AddField(
            model_name="consultation",
            name="confirm_token_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="consultation",
            name="held_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="held until"),
        ),
        migrations.AlterField(
            model_name="consultation",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending_confirmation", "Provisional (waiting for confirmation)"),
                    ("booked", "Booked"),
                    ("cancelled", "Cancelled"),
                    ("held", "Held"),
                    ("no_show", "No-show"),
                ],
                default="booked",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="consultationsettings",
            name="require_email_confirmation",
            field=models.BooleanField(
                default=True, verbose_name="hold a booking only once its e-mail address is confirmed"
            ),
        ),
        migrations.RunPython(confirmation_on, migrations.RunPython.noop),
        migrations.RunPython(holds_in_constraint, holds_out_of_constraint),
    ]
