from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hukou_portal.notifications"
    label = "notifications"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from hukou_portal.people.file import register_section

        from .person_file import SECTION
        from .reference_data import ensure_loaded

        register_section(SECTION)

        post_migrate.connect(ensure_loaded, sender=self, dispatch_uid="notifications.templates")
