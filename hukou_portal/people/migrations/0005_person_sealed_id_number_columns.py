# Citizen ID numbers sealed at rest (MLPS level 3, issue 10 finding 8), step 1 of 3: the blind index,
# the ciphertext and the key id, empty for now; the clear column loses its unique index (the blind
# index takes that role in 0007) and may be empty, so that 0007 can be reversed on a full table.

from django.db import migrations, models

import hukou_portal.people.id_numbers


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_person_name_search_in_name_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="id_number_index",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="citizen ID number (blind index)"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="id_number_sealed",
            field=models.BinaryField(null=True, verbose_name="citizen ID number (encrypted)"),
        ),
        migrations.AddField(
            model_name="person",
            name="id_number_key_id",
            field=models.CharField(editable=False, max_length=16, null=True, verbose_name="encryption key"),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=models.CharField(
                max_length=18,
                null=True,
                validators=[hukou_portal.people.id_numbers.validate_id_number],
                verbose_name="citizen ID number",
            ),
        ),
    ]
