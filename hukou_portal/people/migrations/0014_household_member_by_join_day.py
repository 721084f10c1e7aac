"""Issue 13 (E1): the settlements per day read the people a case placed in a household by the day they joined."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0009_case_completion_and_supplement_requests"),
        ("people", "0013_person_office_via_household"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="householdmember",
            index=models.Index(
                condition=models.Q(("join_case__isnull", False)),
                fields=["joined_on"],
                name="household_member_by_join_day",
            ),
        ),
    ]
