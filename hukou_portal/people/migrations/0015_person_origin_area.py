# A person's area of origin: the first six digits of their ID number (the GB/T 2260 code of the
# area that issued it), kept in clear beside the sealed number — what the masked number shows on
# every page already (docs/personal-data.md). The column is added empty, then each number is
# opened with the keys configured when migrate runs, in batches by primary key, each committed on
# its own: an interrupted run keeps what it did and a rerun fills only what is left. A number
# that does not open with any configured key leaves its row empty (an unknown origin) and is
# named on stderr; ``rotate_id_number_key`` names such rows too. Backwards: the column goes.

import sys

from django.db import migrations, models, transaction

from hukou_portal.people import id_numbers, id_vault

# Person.ID_NUMBER_PURPOSE when this was written: the ciphertexts' associated data names it.
PURPOSE = "people.person.id_number"
BATCH_SIZE = 1000


def fill_origin_area(person, *, using: str, batch_size: int = BATCH_SIZE) -> tuple[int, list[int]]:
    """Fill ``origin_area`` of every person (``person``: the historical or the current model)
    whose column is empty; returns (rows filled, primary keys of the numbers that did not open)."""
    manager = person._default_manager.db_manager(using)
    open_ = id_vault.opener(purpose=PURPOSE)
    filled, unreadable, after = 0, [], 0
    while True:
        with transaction.atomic(using=using):
            rows = list(
                manager.select_for_update()
                .filter(pk__gt=after, origin_area="")
                .order_by("pk")
                .only("pk", "id_number_index", "id_number_sealed", "id_number_key_id")[:batch_size]
            )
            if not rows:
                return filled, unreadable
            changed = []
            for row in rows:
                try:
                    number = open_(row.id_number_sealed, row.id_number_key_id, row.id_number_index)
                except id_vault.IdNumberUnreadable:
                    unreadable.append(row.pk)
                    continue
                row.origin_area = id_numbers.origin_area(number)
                if row.origin_area:
                    changed.append(row)
            manager.bulk_update(changed, ["origin_area"])
        filled += len(changed)
        after = rows[-1].pk


def fill(apps, schema_editor):
    person = apps.get_model("people", "Person")
    _filled, unreadable = fill_origin_area(person, using=schema_editor.connection.alias)
    if unreadable:
        sys.stderr.write(
            f"people.0014: {len(unreadable)} ID numbers did not open with the configured keys; their area of "
            f"origin stays empty: people.person #{', #'.join(map(str, unreadable))}\n"
        )


class Migration(migrations.Migration):
    atomic = False  # one transaction per batch (fill_origin_area)

    dependencies = [
        ("people", "0014_household_member_by_join_day"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="origin_area",
            field=models.CharField(blank=True, editable=False, max_length=6, verbose_name="area of origin (ID number)"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
