"""Django's password-validator messages that its own zh_Hans catalogue does not translate.

Django 5.2 rewrote the "too short" message with ``%d`` while its zh_Hans catalogue still holds
the older ``%(min_length)d`` text, so under zh-hans that one message showed in English. Marking
the current msgids here brings them into the portal's catalogue (``LOCALE_PATHS`` come before
Django's own), where they have their Chinese. Nothing needs to import this module: makemessages
reads it. ``tests/accounts/test_password_messages.py`` fails when Django's text changes again.
"""

from django.utils.translation import ngettext_lazy

DJANGO_PASSWORD_MESSAGES = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
)
