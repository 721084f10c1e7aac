from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    """Settlement (落户) in urban areas: RULES.md S0–S7, issue 4."""

    name = "settlement"
    verbose_name = _("Settlement")
