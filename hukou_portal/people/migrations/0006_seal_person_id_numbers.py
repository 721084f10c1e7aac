# Step 2 of 3: seal every person's number with the keys configured when migrate runs
# (ID_NUMBER_KEY, ID_NUMBER_INDEX_KEY): in batches, each committed on its own, so an interrupted
# run resumes where it stopped. Reversible: the numbers are opened back into the clear column.

from django.db import migrations

from hukou_portal.people import id_vault

# Person.ID_NUMBER_PURPOSE when this was written: the ciphertexts' associated data names it.
PURPOSE = "people.person.id_number"


def seal(apps, schema_editor):
    person = apps.get_model("people", "Person")
    id_vault.seal_clear_column(person, purpose=PURPOSE, using=schema_editor.connection.alias)


def open_again(apps, schema_editor):
    person = apps.get_model("people", "Person")
    id_vault.open_sealed_column(person, purpose=PURPOSE, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    atomic = False  # one transaction per batch (id_vault.seal_clear_column)

    dependencies = [
        ("people", "0005_person_sealed_id_number_columns"),
    ]

    operations = [migrations.RunPython(seal, open_again, elidable=False)]
