"""Issue 13 (E1): the statistics count permits endorsed (签注) and lapsed per day, and the permits
valid on any day. Two dated records, written by the services from now on and filled here from
the audit trail, which holds every endorsement and every end of a permit with its time:

- ``ResidencePermit.ended_on``: the Asia/Shanghai day of the permit's ``permit.cancelled``,
  ``permit.replaced`` or ``permit.converted`` event (the first); a replaced permit without one
  takes the day its replacement was made. A permit ended outside the services keeps none;
- ``PermitEndorsement``: one row per ``permit.endorsed`` event — its day, the endorsed-until day
  before (``old_values``) and after (``new_values``), the officer and the officer's office (the
  permit's issuing office when the event names none). Events missing either day are skipped.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SHANGHAI = ZoneInfo("Asia/Shanghai")
ENDING_ACTIONS = ("permit.cancelled", "permit.replaced", "permit.converted")


def _day(value):  # type: ignore[no-untyped-def]
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def fill_from_the_trail(apps, schema_editor):  # type: ignore[no-untyped-def]
    ResidencePermit = apps.get_model("permits", "ResidencePermit")
    PermitEndorsement = apps.get_model("permits", "PermitEndorsement")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    events = AuditEvent.objects.filter(outcome="success", object_type="permits.residencepermit").order_by(
        "occurred_at", "id"
    )

    ended: dict[int, dt.date] = {}
    for object_id, occurred_at in events.filter(action__in=ENDING_ACTIONS).values_list("object_id", "occurred_at"):
        if object_id.isdigit():
            ended.setdefault(int(object_id), occurred_at.astimezone(SHANGHAI).date())
    replaced_on = {
        replaces_id: created_at.astimezone(SHANGHAI).date()
        for replaces_id, created_at in ResidencePermit.objects.filter(replaces__isnull=False).values_list(
            "replaces_id", "created_at"
        )
    }
    changed = []
    for permit in ResidencePermit.objects.exclude(status="active").filter(ended_on__isnull=True).only("pk", "status"):
        day = ended.get(permit.pk) or (replaced_on.get(permit.pk) if permit.status == "replaced" else None)
        if day is not None:
            permit.ended_on = day
            changed.append(permit)
    ResidencePermit.objects.bulk_update(changed, ["ended_on"], batch_size=1000)

    offices = dict(ResidencePermit.objects.values_list("pk", "office_id"))
    rows = []
    for object_id, occurred_at, actor_id, actor_office_id, old, new in events.filter(
        action="permit.endorsed"
    ).values_list("object_id", "occurred_at", "actor_id", "actor_office_id", "old_values", "new_values"):
        permit_id = int(object_id) if object_id.isdigit() else None
        before = _day((old or {}).get("endorsed_until"))
        after = _day((new or {}).get("endorsed_until"))
        if permit_id not in offices or before is None or after is None or after <= before:
            continue
        rows.append(
            PermitEndorsement(
                permit_id=permit_id,
                endorsed_on=occurred_at.astimezone(SHANGHAI).date(),
                previous_until=before,
                until=after,
                office_id=actor_office_id or offices[permit_id],
                endorsed_by_id=actor_id,
            )
        )
    PermitEndorsement.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_totp_codes_for_their_own_step_only"),
        ("audit", "0006_denied_access"),
        ("casework", "0009_case_completion_and_supplement_requests"),
        ("people", "0013_person_office_via_household"),
        ("permits", "0004_held_since_required"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PermitEndorsement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("endorsed_on", models.DateField(verbose_name="endorsed on")),
                ("previous_until", models.DateField(verbose_name="endorsed until, before")),
                ("until", models.DateField(verbose_name="endorsed until")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "residence permit endorsement",
                "verbose_name_plural": "residence permit endorsements",
                "ordering": ["endorsed_on", "id"],
            },
        ),
        migrations.AddField(
            model_name="residencepermit",
            name="ended_on",
            field=models.DateField(blank=True, null=True, verbose_name="ended on"),
        ),
        migrations.AddConstraint(
            model_name="residencepermit",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "active"), _negated=True), ("ended_on__isnull", True), _connector="OR"
                ),
                name="permit_active_has_no_end",
            ),
        ),
        migrations.AddField(
            model_name="permitendorsement",
            name="endorsed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="endorsed by",
            ),
        ),
        migrations.AddField(
            model_name="permitendorsement",
            name="office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.office",
                verbose_name="endorsed by office",
            ),
        ),
        migrations.AddField(
            model_name="permitendorsement",
            name="permit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="endorsements", to="permits.residencepermit"
            ),
        ),
        migrations.AddIndex(
            model_name="permitendorsement",
            index=models.Index(fields=["endorsed_on"], name="endorsement_by_day"),
        ),
        migrations.AddIndex(
            model_name="permitendorsement",
            index=models.Index(fields=["previous_until"], name="endorsement_by_previous_end"),
        ),
        migrations.AddConstraint(
            model_name="permitendorsement",
            constraint=models.CheckConstraint(
                condition=models.Q(("until__gt", models.F("previous_until"))), name="endorsement_extends_the_period"
            ),
        ),
        migrations.RunPython(fill_from_the_trail, migrations.RunPython.noop),
    ]
