"""Issue 11, finding 1: the stated move-in day is kept as a statement, not registration time."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registration", "0002_registration_list_index")]

    operations = [
        migrations.AlterField(
            model_name="residencedeclaration",
            name="lived_since",
            field=models.DateField(verbose_name="living there since (as stated)"),
        ),
    ]
