"""The reminders section of the person's file (一人一档): every reminder (N1–N4) about the
person's permits, lease filings and cases, one line per milestone whatever the channels."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hukou_portal.accounts.models import User
from hukou_portal.people.file import FileSection
from hukou_portal.people.models import Person

from .models import Channel, Kind, Notification

# Each milestone makes one row per recipient and channel; this bounds what one page reads.
MAX_ROWS = 500
STAGES = {"overdue": _("overdue"), "near": _("deadline near")}


@dataclass
class ReminderRow:
    """One milestone of one subject, with every channel it went out on."""

    kind: str
    subject_type: str
    subject_id: int
    milestone: str
    created_at: dt.datetime
    message: str
    channels: list[str] = field(default_factory=list)
    sent: bool = False

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def due_on(self) -> str:
        return self.milestone.rsplit(":", 1)[-1]

    @property
    def stage_label(self) -> str:
        stage = self.milestone.split(":", 1)[0] if ":" in self.milestone else ""
        return str(STAGES.get(stage, ""))

    @property
    def channel_labels(self) -> str:
        return "、".join(str(Channel(channel).label) for channel in sorted(self.channels))


def person_reminders(user: User, person: Person) -> Sequence[ReminderRow]:
    """Reminders about the person's permits, lease filings and cases that the user may see,
    newest first (one query: the subjects are sub-queries scoped to the user's offices)."""
    from hukou_portal.casework.selectors import case_list_for_user
    from permits.selectors import permit_list_for_user
    from registration.selectors import lease_filing_list_for_user

    permits = permit_list_for_user(user=user).filter(holder=person).values("pk")
    filings = lease_filing_list_for_user(user=user).filter(tenant=person).values("pk")
    cases = case_list_for_user(user=user).filter(applicant=person).values("pk")
    notifications = (
        Notification.objects.filter(kind__in=Kind.values)  # leads the unique index on the subject
        .filter(
            Q(subject_type="permit", subject_id__in=permits)
            | Q(subject_type="lease_filing", subject_id__in=filings)
            | Q(subject_type="case", subject_id__in=cases)
        )
        .only("kind", "subject_type", "subject_id", "milestone", "channel", "message", "status", "created_at")
        .order_by("-created_at", "-id")[:MAX_ROWS]
    )
    rows: dict[tuple[str, str, int, str], ReminderRow] = {}
    for notification in notifications:
        key = (notification.kind, notification.subject_type, notification.subject_id, notification.milestone)
        row = rows.get(key)
        if row is None:
            row = rows[key] = ReminderRow(
                notification.kind,
                notification.subject_type,
                notification.subject_id,
                notification.milestone,
                notification.created_at,
                notification.message,
            )
        if notification.channel not in row.channels:
            row.channels.append(notification.channel)
        if notification.channel == Channel.SMS:
            row.message = notification.message  # the words the person received
        row.created_at = min(row.created_at, notification.created_at)
        row.sent = row.sent or notification.status == Notification.Status.SENT
    return list(rows.values())


SECTION = FileSection(
    code="reminders",
    title=_("Reminders sent"),
    template="notifications/partials/person_file_reminders.html",
    rows=person_reminders,
    order=60,
    empty=_("No reminders."),
)
