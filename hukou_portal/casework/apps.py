from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "hukou_portal.casework"
    label = "casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        from hukou_portal.people.file import register_section

        from .person_file import SECTION

        register_section(SECTION)
