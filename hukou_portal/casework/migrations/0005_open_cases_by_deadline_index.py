# The queues' order over open cases only (office, mine, overdue, due within N days): found by bench/lists.py,
# where page 1 of the overdue queue stepped over 50,000 closed cases (29 ms) at 100,000 cases.

import datetime

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0004_queue_order_and_serial_search_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                django.db.models.functions.comparison.Coalesce(
                    "deadline", models.Value(datetime.date(9999, 12, 31)), output_field=models.DateField()
                ),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "draft",
                            "submitted",
                            "in_review",
                            "supplement_requested",
                            "pending_approval",
                            "approved",
                            "rejected",
                        ],
                    )
                ),
                name="case_open_by_deadline_newest",
            ),
        ),
    ]
