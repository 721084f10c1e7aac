# A name search in name order (the header search, the people list sorted by name): one index range on the
# name compared code by code. Found by bench/lists.py: the search for 王 walked half the name index (150 ms at
# 500,000 people). The index it replaces only served the order.

from django.db import migrations, models

import hukou_portal.people.models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_person_list_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="person",
            name="person_list_by_name",
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                hukou_portal.people.models.CodeOrder("name"), models.F("id"), name="person_by_name_in_code_order"
            ),
        ),
    ]
