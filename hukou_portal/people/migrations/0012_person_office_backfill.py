# Which offices have served each person (PersonOffice), from what the tables already say: the
# office that recorded the person (Person.office), the office that holds each of their cases now
# (Case.office) and the office that opened each case (the actor's office of its case.created
# event, read through the index audit_by_action_time: a case transferred since is still the
# opening office's). One set-based INSERT, with the first and the latest time and how per person
# and office. Reversible: the rows go again.

from django.db import migrations

BACKFILL = """
INSERT INTO people_personoffice (person_id, office_id, first_at, first_via, last_at, last_via)
SELECT person_id, office_id,
       MIN(served_at),
       CASE WHEN MIN(CASE WHEN via = 'recorded' THEN served_at END) = MIN(served_at) THEN 'recorded'
            ELSE 'case' END,
       MAX(served_at),
       CASE WHEN MAX(CASE WHEN via = 'case' THEN served_at END) = MAX(served_at) THEN 'case'
            ELSE 'recorded' END
FROM (
    SELECT id AS person_id, office_id, created_at AS served_at, 'recorded' AS via FROM people_person
    UNION ALL
    SELECT applicant_id, office_id, created_at, 'case' FROM casework_case
    UNION ALL
    SELECT c.applicant_id, e.actor_office_id, e.occurred_at, 'case'
    FROM audit_auditevent e JOIN casework_case c ON c.id = e.case_id
    WHERE e.action = 'case.created' AND e.actor_office_id IS NOT NULL
) served
GROUP BY person_id, office_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0011_person_office"),
        ("casework", "0006_case_deadline_working_days"),
        ("audit", "0006_denied_access"),
    ]

    operations = [
        migrations.RunSQL(BACKFILL, "DELETE FROM people_personoffice", elidable=False),
    ]
