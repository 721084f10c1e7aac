from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    """Residence registration (居住登记) and lease filings: RULES.md R1, issue 5."""

    name = "registration"
    verbose_name = _("Residence registration")

    def ready(self) -> None:
        from hukou_portal.casework.kinds import register

        from .kinds import REGISTRATION_CANCEL, REGISTRATION_CHANGE, RESIDENCE_DECLARATION

        for kind in (RESIDENCE_DECLARATION, REGISTRATION_CHANGE, REGISTRATION_CANCEL):
            register(kind)

        from hukou_portal.people.file import register_section

        from .person_file import LEASE_FILINGS, REGISTRATIONS

        register_section(REGISTRATIONS)
        register_section(LEASE_FILINGS)
