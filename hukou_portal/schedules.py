"""Every periodic job of the portal, in one place, with when and why.

Stored in django-celery-beat's tables so administrators can see and adjust them; ``sync``
(run after every migrate) creates the missing ones and never overwrites an administrator's edit.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    minute: str
    hour: str
    description: str  # stored in django-celery-beat's row (seen by operators in its tables)
    label: str | Promise = ""  # what the schedules page calls the job
    purpose: str | Promise = ""  # what the job does and why, on the schedules page


SCHEDULES = [
    # 01:30 nightly: the reminders (N1–N4) that fell due since the last sweep; a missed night is
    # caught up by the next one.
    Schedule(
        name="sweep-reminders",
        task="hukou_portal.notifications.tasks.sweep_reminders_task",
        minute="30",
        hour="1",
        description="每晚 01:30 生成到期提醒（N1–N4） / Nightly 01:30: sweep the reminders due.",
        label=_("Reminder sweep"),
        purpose=_(
            "Creates the reminders (N1–N4) that fell due since the last sweep; a night it missed is caught up "
            "by the next run, and no reminder is made twice."
        ),
    ),
    # Every minute: deliver pending reminders; failed sends wait out their backoff here.
    Schedule(
        name="deliver-reminders",
        task="hukou_portal.notifications.tasks.deliver_pending_task",
        minute="*",
        hour="*",
        description="每分钟发送待发提醒（失败按指数退避重试） / Every minute: deliver pending reminders.",
        label=_("Reminder delivery"),
        purpose=_("Sends the reminders waiting to go out by SMS and e-mail; a failed send is retried later."),
    ),
    # 03:10 nightly, when the counters are closed: sessions end after 15 idle minutes but their
    # rows stay until removed.
    Schedule(
        name="clear-expired-sessions",
        task="hukou_portal.core.tasks.clear_expired_sessions_task",
        minute="10",
        hour="3",
        description="每晚 03:10 清理过期会话 / Nightly 03:10: delete expired sessions.",
        label=_("Expired sign-in sessions"),
        purpose=_("Deletes the sign-in sessions that have expired (a session ends after 15 idle minutes)."),
    ),
    # Every minute: denied accesses past the per-user cap are counted, not recorded one by one;
    # each finished minute's count goes into the audit trail as one event (audit/middleware.py).
    Schedule(
        name="summarise-suppressed-denials",
        task="hukou_portal.audit.tasks.summarise_suppressed_denials_task",
        minute="*",
        hour="*",
        description="每分钟汇总超出上限未逐条记录的拒绝访问 / Every minute: audit the count of suppressed denials.",
        label=_("Denied-access summary"),
        purpose=_(
            "Writes to the audit trail how many denied accesses of a user in a minute went past the limit "
            "recorded one by one, so that a scan cannot flood the trail and no denial goes uncounted."
        ),
    ),
    # 00:40 daily, after midnight so yesterday is closed: the statistics rollups (E1) of every day
    # since the last rolled-up one; a night it missed is caught up by the next run.
    Schedule(
        name="rollup-statistics",
        task="hukou_portal.stats.tasks.rollup_days_task",
        minute="40",
        hour="0",
        description="每天 00:40 汇总前一日统计（E1） / Daily 00:40: roll up yesterday's statistics.",
        label=_("Daily statistics rollup"),
        purpose=_(
            "Adds up yesterday's cases, registrations and permits per office for the statistics; a day it "
            "missed is caught up by the next run, and a rerun never counts a day twice."
        ),
    ),
    # 00:20 daily: anchor the head of the audit chain in an append-only file (printed too, for
    # copying off the host); audit_verify --anchor then detects a chain rewritten since.
    Schedule(
        name="anchor-audit-trail",
        task="hukou_portal.audit.tasks.anchor_audit_trail_task",
        minute="20",
        hour="0",
        description="每天 00:20 锚定审计链头 / Daily 00:20: anchor the audit chain's head.",
        label=_("Audit trail anchor"),
        purpose=_(
            "Writes the latest audit event's number and hash to the append-only anchor file, so that a "
            "rewritten audit trail no longer matches it when it is verified."
        ),
    ),
]

BY_NAME = {schedule.name: schedule for schedule in SCHEDULES}


def _two_digits(value: str) -> str:
    return value.zfill(2)


def timing_sentence(*, minute: str, hour: str) -> str:
    """When a job with this crontab runs, as a sentence (every day, Asia/Shanghai time). The
    schedules page accepts only ``*`` or a number for the minute and the hour."""
    every_minute, every_hour = minute == "*", hour == "*"
    if every_minute and every_hour:
        return gettext("Every minute, day and night.")
    if every_hour and minute.isdigit():
        return gettext("Every hour, at minute %(minute)s.") % {"minute": _two_digits(minute)}
    if every_minute and hour.isdigit():
        return gettext("Every minute from %(hour)s:00 to %(hour)s:59 each day.") % {"hour": _two_digits(hour)}
    if minute.isdigit() and hour.isdigit():
        return gettext("Every day at %(time)s.") % {"time": f"{_two_digits(hour)}:{_two_digits(minute)}"}
    return gettext("At the times its schedule sets (minute %(minute)s, hour %(hour)s).") % {
        "minute": minute,
        "hour": hour,
    }


def sync(*args: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    if "django_celery_beat_periodictask" not in connections[using].introspection.table_names():
        return
    for schedule in SCHEDULES:
        if PeriodicTask.objects.using(using).filter(name=schedule.name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
            minute=schedule.minute,
            hour=schedule.hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.using(using).create(
            name=schedule.name, task=schedule.task, crontab=crontab, description=schedule.description
        )
