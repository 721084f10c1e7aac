"""How reminders and their schedules read (the portal's vocabulary)."""

from django.utils.translation import gettext_lazy as _

from hukou_portal.core.vocabulary import Field, register_fields, register_terms

from .models import Channel, Kind, Notification

register_terms("reminder_kind", dict(Kind.choices))
register_terms("reminder_channel", dict(Channel.choices))
register_terms("reminder_status", dict(Notification.Status.choices))
register_fields(
    "schedule",
    {
        "minute": Field(_("Minute"), "text"),
        "hour": Field(_("Hour"), "text"),
        "enabled": Field(_("Enabled"), "bool"),
    },
)
register_fields("reminder_text", {"text": Field(_("Text"), "text")})
