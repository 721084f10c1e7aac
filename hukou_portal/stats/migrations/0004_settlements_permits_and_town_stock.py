"""Issue 13 (E1): completions, 补正, conversions, endorsements, lapses, settlements by household
type and the stock per town. Days rolled up before this migration read 0 in the new columns until
``manage.py stats_rollup --from … --to …`` recomputes them (docs/statistics.md)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_totp_codes_for_their_own_step_only"),
        ("people", "0014_household_member_by_join_day"),
        ("stats", "0003_pipeline_snapshot"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseday",
            name="completed",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="caseday",
            name="decided_after_supplement",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="permitday",
            name="converted",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="permitday",
            name="endorsed",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="permitday",
            name="lapsed",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.CreateModel(
            name="SettlementDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField()),
                ("category", models.CharField(max_length=40)),
                ("household_type", models.CharField(max_length=30)),
                ("people", models.PositiveIntegerField()),
                (
                    "office",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.office"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["office", "day"], name="settlement_day_by_office")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "office", "category", "household_type"), name="settlement_day_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("people__gte", 1)), name="settlement_day_people_positive"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="TownStockDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField()),
                ("residents", models.PositiveIntegerField(default=0)),
                ("permits_valid", models.PositiveIntegerField(default=0)),
                (
                    "office",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.office"
                    ),
                ),
                (
                    "town",
                    models.ForeignKey(
                        null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="people.town"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["office", "day"], name="town_stock_day_by_office")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "office", "town"), name="town_stock_day_once", nulls_distinct=False
                    )
                ],
            },
        ),
    ]
