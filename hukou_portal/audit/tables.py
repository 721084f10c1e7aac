"""The audit trail's table. The change column is the shared ``event_change`` partial."""

from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.lists import NOWRAP, ListTable
from hukou_portal.core.vocabulary import term

from .models import AuditEvent, Outcome


class AuditEventTable(ListTable):
    time = tables.Column(verbose_name=_("Time"), accessor="occurred_at", attrs=NOWRAP)
    action = tables.Column(verbose_name=_("Action"), attrs=NOWRAP)
    outcome = tables.Column(verbose_name=_("Outcome"), attrs=NOWRAP)
    actor = tables.Column(verbose_name=_("Actor"), empty_values=(), attrs=NOWRAP)
    office = tables.Column(verbose_name=_("Office"), accessor="actor_office__name", attrs=NOWRAP)
    # The case (a link) and, under it, the object the event names: one column for both.
    case = tables.Column(verbose_name=_("Case and object"), empty_values=(), attrs={"td": {"class": "audit-object"}})
    change = tables.Column(verbose_name=_("Change"), empty_values=(), attrs={"td": {"class": "audit-change"}})
    # The IP address, and below it the request id: one narrow column for both.
    ip_address = tables.Column(verbose_name=_("IP address"), empty_values=(), attrs=NOWRAP)

    orderings = {"time": ("occurred_at", "id")}
    default_sort = "-time"

    class Meta(ListTable.Meta):
        attrs = {"class": "table table-sm align-middle small list-table", "data-testid": "audit-events"}
        empty_text = _("No events.")

    def __init__(self, *args: Any, can_open_cases: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.can_open_cases = can_open_cases

    def render_time(self, record: AuditEvent) -> str:
        moment = timezone.localtime(record.occurred_at)
        return format_html('{}<br><span class="small text-muted">{}</span>', f"{moment:%Y-%m-%d}", f"{moment:%H:%M:%S}")

    def render_action(self, record: AuditEvent) -> str:
        return record.action_label

    def render_outcome(self, record: AuditEvent) -> str:
        words = term("audit_outcome", record.outcome)
        if record.outcome == Outcome.SUCCESS:
            return words
        badge = "text-bg-danger" if record.outcome == Outcome.DENIED else "text-bg-warning"
        return format_html('<span class="badge {}" data-outcome="{}">{}</span>', badge, record.outcome, words)

    def render_actor(self, record: AuditEvent) -> str:
        if record.actor is None:
            return "—"
        return format_html(
            '{}<br><span class="small text-muted" translate="no">{}</span>',
            record.actor.get_full_name(),
            record.actor.username,
        )

    def render_case(self, record: AuditEvent) -> str:
        shown = record.object_repr if record.case is None or record.object_repr != record.case.reference else ""
        below = format_html('<div class="small text-muted">{}</div>', shown) if shown else ""
        if record.case is None:
            return format_html("{}", shown) if shown else "—"
        if self.can_open_cases:
            url = reverse("casework:case_detail", args=[record.case_id])
            return format_html('<a href="{}" class="text-nowrap">{}</a>{}', url, record.case.reference, below)
        return format_html('<span class="text-nowrap">{}</span>{}', record.case.reference, below)

    def render_change(self, record: AuditEvent) -> str:
        return render_to_string("audit/partials/event_change.html", {"event": record})

    def render_ip_address(self, record: AuditEvent) -> str:
        if not record.request_id:
            return record.ip_address or "—"
        return format_html(
            '{}<br><code title="{}" translate="no">{}</code>',
            record.ip_address or "—",
            record.request_id,
            record.request_id[:8],
        )
