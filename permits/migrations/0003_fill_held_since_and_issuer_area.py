"""Data for issue 11, read from what the portal already holds.

- ``held_since`` (finding 7): the issue day, or the day of the permit's latest endorsement made
  after it had lapsed — the audit trail records each endorsement with the state it found
  (``old_values.state == "lapsed"``). A replacement carries its predecessor's holding time on.
- ``area_code`` (finding 10): the issuing office's county-level area, where it recorded the area
  applied for instead (an office of another area completed the case). The signed e-permit
  token keeps what it was signed with; it names the issuing office, which does not change.
- ``employment_evidence`` (finding 9): the old "labour contract or business licence" tick becomes
  "labour contract". The old "owns a home" tick named no town and cannot be carried over; the
  checks of decided cases stay as recorded in their basis.
"""

from django.db import migrations
from django.utils import timezone


def fill_permits(apps, schema_editor):
    ResidencePermit = apps.get_model("permits", "ResidencePermit")
    AuditEvent = apps.get_model("audit", "AuditEvent")

    restarted: dict[str, object] = {}
    for object_id, occurred_at, old in (
        AuditEvent.objects.filter(action="permit.endorsed", object_type="permits.residencepermit")
        .order_by("occurred_at", "id")
        .values_list("object_id", "occurred_at", "old_values")
    ):
        if (old or {}).get("state") == "lapsed":
            restarted[object_id] = timezone.localtime(occurred_at).date()

    held: dict[int, object] = {}
    issuing_area: dict[int, str] = {}
    # Oldest first: a replacement comes after the permit it replaces.
    for permit in ResidencePermit.objects.select_related("office").order_by("id"):
        since = permit.issued_on
        if permit.replaces_id in held:
            since = max(since, held[permit.replaces_id])
        late = restarted.get(str(permit.pk))
        if late is not None and late > since:
            since = late
        held[permit.pk] = since
        # A replacement keeps the area of the permit it replaces; a city-level office has none.
        if permit.replaces_id in issuing_area:
            area = issuing_area[permit.replaces_id]
        elif permit.replaces_id is None and permit.office.level != "city":
            area = permit.office.area_code
        else:
            area = permit.area_code
        issuing_area[permit.pk] = area
        fields = []
        if permit.held_since != since:
            permit.held_since = since
            fields.append("held_since")
        if permit.area_code != area:
            permit.area_code = area
            fields.append("area_code")
        if fields:
            permit.save(update_fields=fields)


def fill_applications(apps, schema_editor):
    PermitApplication = apps.get_model("permits", "PermitApplication")
    PermitApplication.objects.filter(has_labour_contract=True).exclude(employer="").update(
        employment_evidence="labour_contract"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_denied_access"),
        ("permits", "0002_evidence_in_the_area_and_holding_time"),
    ]

    operations = [
        migrations.RunPython(fill_permits, migrations.RunPython.noop),
        migrations.RunPython(fill_applications, migrations.RunPython.noop),
    ]
