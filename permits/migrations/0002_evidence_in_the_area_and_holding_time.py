"""Issue 11: each condition's evidence names its area (R3.1, R3.2, finding 9); a conversion
links the Huzhou permit it converts (finding 2); a permit counts its holding time from
``held_since`` (finding 7), filled for existing permits by the next migration."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_person_name_search_in_name_order"),
        ("permits", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="permitapplication",
            name="converts",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="permits.residencepermit",
                verbose_name="permit converted",
            ),
        ),
        migrations.AddField(
            model_name="permitapplication",
            name="employer_area",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.area",
                verbose_name="area of the employer or business",
            ),
        ),
        migrations.AddField(
            model_name="permitapplication",
            name="employment_evidence",
            field=models.CharField(
                blank=True,
                choices=[("labour_contract", "Labour contract"), ("business_licence", "Business licence")],
                max_length=20,
                verbose_name="proof of employment",
            ),
        ),
        migrations.AddField(
            model_name="permitapplication",
            name="home_certificate",
            field=models.CharField(blank=True, max_length=40, verbose_name="real estate certificate number"),
        ),
        migrations.AddField(
            model_name="permitapplication",
            name="home_town",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.town",
                verbose_name="town of the home",
            ),
        ),
        migrations.AddField(
            model_name="permitapplication",
            name="school_area",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.area",
                verbose_name="area of the school",
            ),
        ),
        migrations.AddField(
            model_name="residencepermit",
            name="held_since",
            field=models.DateField(null=True, verbose_name="holding time counts from"),
        ),
        migrations.AlterField(
            model_name="residencepermit",
            name="area_code",
            field=models.CharField(max_length=6, verbose_name="issuing area"),
        ),
        migrations.AlterField(
            model_name="residencepermit",
            name="status",
            field=models.CharField(
                choices=[
                    ("active", "Active"),
                    ("cancelled", "Cancelled"),
                    ("replaced", "Replaced"),
                    ("converted", "Converted to a permit of another area"),
                ],
                default="active",
                max_length=10,
                verbose_name="status",
            ),
        ),
    ]
