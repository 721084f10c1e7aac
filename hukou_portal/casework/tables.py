"""The case queue's table: Chinese labels for kind, category, status, office and officer."""

import datetime as dt
from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.lists import NOWRAP, DateColumn, ListTable
from hukou_portal.rules.calendar import WorkCalendar

from .models import Case, Status
from .selectors import deadline_view

STATUS_BADGES = {
    Status.DRAFT: "text-bg-light",
    Status.SUBMITTED: "text-bg-info",
    Status.IN_REVIEW: "text-bg-info",
    Status.SUPPLEMENT_REQUESTED: "text-bg-warning",
    Status.PENDING_APPROVAL: "text-bg-primary",
    Status.APPROVED: "text-bg-success",
    Status.REJECTED: "text-bg-danger",
    Status.COMPLETED: "text-bg-secondary",
    Status.WITHDRAWN: "text-bg-dark",
}


def status_badge(case: Case) -> str:
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        STATUS_BADGES.get(case.status, "text-bg-light"),
        case.status,
        case.get_status_display(),
    )


def _row_class(record: Case, table: "CaseTable") -> str:
    return "table-danger" if record.is_overdue(table.today) else ""


class CaseTable(ListTable):
    reference = tables.Column(
        verbose_name=_("Case number"), linkify=("casework:case_detail", {"pk": tables.A("pk")}), attrs=NOWRAP
    )
    kind = tables.Column(verbose_name=_("Kind"), empty_values=(), attrs=NOWRAP)
    applicant = tables.Column(verbose_name=_("Applicant"), attrs=NOWRAP)
    office = tables.Column(verbose_name=_("Office"), accessor="office__name", attrs=NOWRAP)
    assigned_officer = tables.Column(verbose_name=_("Officer"), attrs=NOWRAP)
    status = tables.Column(verbose_name=_("Status"), attrs=NOWRAP)
    deadline = tables.Column(
        verbose_name=_("Deadline"),
        empty_values=(),
        attrs={"th": {"class": "text-nowrap"}, "td": {"class": "text-nowrap deadline-cell"}},
    )
    opened = DateColumn(verbose_name=_("Opened"), accessor="created_at", format="Y-m-d", attrs=NOWRAP)

    orderings = {
        "reference": ("reference", "id"),
        # Overdue first (the earliest deadline), no deadline last, then newest.
        "deadline": ("deadline_key", "-id"),
        "opened": ("id",),
    }
    default_sort = "deadline"

    class Meta(ListTable.Meta):
        attrs = {"class": "table table-sm align-middle list-table", "data-testid": "case-queue"}
        row_attrs = {"class": _row_class}
        empty_text = _("No cases.")

    def __init__(self, *args: Any, calendar: WorkCalendar, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calendar = calendar
        self.today = today

    # Two short lines rather than one long one: the queue fits 1024 px without wrapping a word.
    def render_kind(self, record: Case) -> str:
        return format_html('{}<br><span class="small text-muted">{}</span>', record.kind_label, record.category_label)

    def render_applicant(self, record: Case) -> str:
        return format_html(
            '{}<br><code class="small">{}</code>', record.applicant.name, record.applicant.masked_id_number
        )

    def render_assigned_officer(self, record: Case) -> str:
        return record.assigned_officer.get_full_name() or record.assigned_officer.username

    def render_status(self, record: Case) -> str:
        return status_badge(record)

    def render_deadline(self, record: Case) -> str:
        view = deadline_view(record, self.calendar, self.today)
        return render_to_string("casework/partials/deadline.html", {"case": record, "deadline": view})
