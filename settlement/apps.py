from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    """Settlement (落户) in urban areas: RULES.md S0–S7."""

    name = "settlement"
    verbose_name = _("Settlement")

    def ready(self) -> None:
        from hukou_portal.casework.kinds import register

        from .kinds import SETTLEMENT
        from .reference_data import ensure_loaded

        register(SETTLEMENT)

        from hukou_portal.people.file import register_section

        from .person_file import SECTION

        register_section(SECTION)
        post_migrate.connect(ensure_loaded, sender=self, dispatch_uid="settlement.reference_data")
