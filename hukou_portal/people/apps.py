from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "hukou_portal.people"
    label = "people"
    verbose_name = _("People and areas")

    def ready(self) -> None:
        from .file import register_section
        from .households.file import SECTION
        from .reference_data import ensure_loaded

        register_section(SECTION)
        post_migrate.connect(ensure_loaded, sender=self, dispatch_uid="people.reference_data")

        from .file import register_section
        from .person_file import SECTION

        register_section(SECTION)
