from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hukou_portal.core"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from hukou_portal import schedules

        post_migrate.connect(schedules.sync, dispatch_uid="core.sync_schedules")
