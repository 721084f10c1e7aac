# Step 3 of 3: the clear column goes (refused while a row is not sealed), the sealed columns are
# required, and one person per number is now said of the blind index.

from django.db import migrations, models
from django.db.models import Q

from hukou_portal.people import id_vault


def ensure_sealed(apps, schema_editor):
    id_vault.ensure_column_sealed(apps.get_model("people", "Person"), using=schema_editor.connection.alias)


def fill_clear_column(apps, schema_editor):
    """Backwards: the clear column comes back empty; fill it, as 0006 left it (sealed and clear)."""
    id_vault.open_sealed_column(
        apps.get_model("people", "Person"),
        purpose="people.person.id_number",
        using=schema_editor.connection.alias,
        keep_sealed=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_seal_person_id_numbers"),
    ]

    operations = [
        migrations.RunPython(ensure_sealed, fill_clear_column, elidable=False),
        migrations.RemoveField(model_name="person", name="id_number"),
        migrations.AlterField(
            model_name="person",
            name="id_number_index",
            field=models.CharField(editable=False, max_length=64, verbose_name="citizen ID number (blind index)"),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number_sealed",
            field=models.BinaryField(verbose_name="citizen ID number (encrypted)"),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number_key_id",
            field=models.CharField(editable=False, max_length=16, verbose_name="encryption key"),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(fields=("id_number_index",), name="person_unique_id_number"),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(condition=~Q(id_number_index=""), name="person_id_number_present"),
        ),
    ]
