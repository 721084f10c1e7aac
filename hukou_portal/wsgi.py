"""WSGI entry point. Production servers set DJANGO_SETTINGS_MODULE themselves."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hukou_portal.settings.production")

application = get_wsgi_application()
