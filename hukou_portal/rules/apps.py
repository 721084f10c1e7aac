from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "hukou_portal.rules"
    label = "rules"
    verbose_name = _("Rules and calendar")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .calendar import forget
        from .models import CalendarDay, CalendarYear
        from .reference_data import ensure_loaded

        post_migrate.connect(ensure_loaded, sender=self, dispatch_uid="rules.reference_data")
        for model in (CalendarDay, CalendarYear):  # the kept calendar (calendar.WorkCalendar.load)
            post_save.connect(forget, sender=model, dispatch_uid=f"rules.calendar_saved.{model.__name__}")
            post_delete.connect(forget, sender=model, dispatch_uid=f"rules.calendar_deleted.{model.__name__}")
