"""Issue 11: ``held_since`` is always set (filled by 0003) and never before the issue day; the
old tick boxes give way to evidence with its area."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("permits", "0003_fill_held_since_and_issuer_area")]

    operations = [
        migrations.RemoveField(model_name="permitapplication", name="has_labour_contract"),
        migrations.RemoveField(model_name="permitapplication", name="owns_home"),
        migrations.AlterField(
            model_name="residencepermit",
            name="held_since",
            field=models.DateField(verbose_name="holding time counts from"),
        ),
        migrations.AddIndex(
            model_name="residencepermit",
            index=models.Index(fields=["held_since"], name="permit_by_holding_start"),
        ),
        migrations.AddConstraint(
            model_name="residencepermit",
            constraint=models.CheckConstraint(
                condition=models.Q(("held_since__gte", models.F("issued_on"))), name="permit_held_since_issue"
            ),
        ),
    ]
