"""The Celery application.

Configuration comes from Django settings under the ``CELERY_`` namespace; the broker is Redis
in production and kombu's filesystem transport in the zero-setup default (see settings/base.py).
Periodic schedules live in ``hukou_portal/schedules.py`` and are stored by django-celery-beat.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hukou_portal.settings.local")

app = Celery("hukou_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
