"""Issue 13 (E1): the statistics count completed cases (办结) per day and decisions made after a
补正. Two columns on ``Case``, written by the workflow services from now on and filled here for
the cases before them from the audit trail, which records every move of a case with its time:

- ``completed_at``: the time of the case's ``case.complete`` event (the latest, should there be
  more than one); a completed case without that event (rows written outside the services) keeps
  none and is not counted;
- ``supplement_requests``: how many ``case.request_supplement`` events the case has.

Only successful events count (a refused move is filed as ``action.refused``, never under the
action's own name, but the filter keeps it certain). Both updates are set-based: one correlated
subquery per case that has such an event, served by ``audit_case_timeline`` (case, time).
"""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery


def fill_from_the_trail(apps, schema_editor):
    Case = apps.get_model("casework", "Case")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    events = AuditEvent.objects.filter(outcome="success")

    completions = events.filter(action="case.complete")
    Case.objects.filter(status="completed", pk__in=completions.values("case_id")).update(
        completed_at=Subquery(
            completions.filter(case_id=OuterRef("pk")).order_by("-occurred_at", "-id").values("occurred_at")[:1]
        )
    )

    requests = events.filter(action="case.request_supplement")
    Case.objects.filter(pk__in=requests.values("case_id")).update(
        supplement_requests=Subquery(
            requests.filter(case_id=OuterRef("pk")).values("case_id").annotate(n=Count("id")).values("n")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_totp_codes_for_their_own_step_only"),
        ("audit", "0006_denied_access"),
        ("casework", "0008_case_statistics_day_indexes"),
        ("people", "0013_person_office_via_household"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="completed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="completed at"),
        ),
        migrations.AddField(
            model_name="case",
            name="supplement_requests",
            field=models.PositiveIntegerField(default=0, verbose_name="requests for documents (补正)"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("completed_at__isnull", False)),
                fields=["completed_at"],
                name="case_by_completion_time",
            ),
        ),
        migrations.RunPython(fill_from_the_trail, migrations.RunPython.noop),
    ]
