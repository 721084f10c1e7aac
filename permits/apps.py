from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    """Residence permits (居住证): RULES.md R2–R3, issue 5."""

    name = "permits"
    verbose_name = _("Residence permits")
