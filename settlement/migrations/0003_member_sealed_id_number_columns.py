# Accompanying family members' ID numbers sealed at rest like people's (people.0005-0007), step 1 of
# 3: the sealed columns, empty for now; the clear column may be empty (so 0005 can be reversed).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("settlement", "0002_default_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="accompanyingmember",
            name="id_number_index",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="citizen ID number (blind index)"
            ),
        ),
        migrations.AddField(
            model_name="accompanyingmember",
            name="id_number_sealed",
            field=models.BinaryField(null=True, verbose_name="citizen ID number (encrypted)"),
        ),
        migrations.AddField(
            model_name="accompanyingmember",
            name="id_number_key_id",
            field=models.CharField(editable=False, max_length=16, null=True, verbose_name="encryption key"),
        ),
        migrations.AlterField(
            model_name="accompanyingmember",
            name="id_number",
            field=models.CharField(max_length=18, null=True, verbose_name="citizen ID number"),
        ),
    ]
