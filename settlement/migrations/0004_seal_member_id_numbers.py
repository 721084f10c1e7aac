# Step 2 of 3: seal every member's number with the keys configured when migrate runs, in batches
# committed one by one (see people.0006). Reversible.

from django.db import migrations

from hukou_portal.people import id_vault

# AccompanyingMember.ID_NUMBER_PURPOSE when this was written: the associated data names it.
PURPOSE = "settlement.accompanyingmember.id_number"


def seal(apps, schema_editor):
    member = apps.get_model("settlement", "AccompanyingMember")
    id_vault.seal_clear_column(member, purpose=PURPOSE, using=schema_editor.connection.alias)


def open_again(apps, schema_editor):
    member = apps.get_model("settlement", "AccompanyingMember")
    id_vault.open_sealed_column(member, purpose=PURPOSE, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    atomic = False  # one transaction per batch (id_vault.seal_clear_column)

    dependencies = [
        ("settlement", "0003_member_sealed_id_number_columns"),
    ]

    operations = [migrations.RunPython(seal, open_again, elidable=False)]
