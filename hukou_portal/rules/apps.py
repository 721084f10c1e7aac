from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "hukou_portal.rules"
    label = "rules"
    verbose_name = _("Rules and calendar")

    def ready(self) -> None:
        from .reference_data import ensure_loaded

        post_migrate.connect(ensure_loaded, sender=self, dispatch_uid="rules.reference_data")
