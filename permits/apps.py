from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    """Residence permits (居住证): RULES.md R2–R3."""

    name = "permits"
    verbose_name = _("Residence permits")

    def ready(self) -> None:
        from hukou_portal.casework.kinds import register

        from .kinds import PERMIT_APPLICATION, PERMIT_CONVERSION

        register(PERMIT_APPLICATION)
        register(PERMIT_CONVERSION)

        from hukou_portal.people.file import register_section

        from .person_file import SECTION

        register_section(SECTION)
