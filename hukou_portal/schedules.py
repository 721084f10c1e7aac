"""Every periodic job of the portal, in one place, with when and why.

Stored in django-celery-beat's tables so administrators can see and adjust them; ``sync``
(run after every migrate) creates the missing ones and never overwrites an administrator's edit.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    minute: str
    hour: str
    description: str


SCHEDULES = [
    # 01:30 nightly: the reminders (N1–N4) that fell due since the last sweep; a missed night is
    # caught up by the next one.
    Schedule(
        name="sweep-reminders",
        task="hukou_portal.notifications.tasks.sweep_reminders_task",
        minute="30",
        hour="1",
        description="每晚 01:30 生成到期提醒（N1–N4） / Nightly 01:30: sweep the reminders due.",
    ),
    # Every minute: deliver pending reminders; failed sends wait out their backoff here.
    Schedule(
        name="deliver-reminders",
        task="hukou_portal.notifications.tasks.deliver_pending_task",
        minute="*",
        hour="*",
        description="每分钟发送待发提醒（失败按指数退避重试） / Every minute: deliver pending reminders.",
    ),
    # 03:10 nightly, when the counters are closed: sessions end after 15 idle minutes but their
    # rows stay until removed.
    Schedule(
        name="clear-expired-sessions",
        task="hukou_portal.core.tasks.clear_expired_sessions_task",
        minute="10",
        hour="3",
        description="每晚 03:10 清理过期会话 / Nightly 03:10: delete expired sessions.",
    ),
]


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
