"""Delivery channels. SMS goes through the gateway chosen in settings (SMS_GATEWAY):

- ``log`` (default): writes each message to the SMS log table (one row per notification, so a
  retried delivery is never logged twice) and to ``var/sms.log``, so a demo shows it;
- ``http``: POSTs JSON to ``SMS_GATEWAY_URL`` with ``SMS_GATEWAY_KEY``, and the notification id
  as the ``Idempotency-Key`` header, so the gateway drops a retried duplicate.

E-mail goes through Django's mail; inbox rows are the message itself.
"""

import json
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import Channel, Notification, SmsLog


class GatewayError(Exception):
    pass


def send(notification: Notification) -> None:
    if notification.channel == Channel.SMS:
        _send_sms(notification)
    elif notification.channel == Channel.EMAIL:
        try:
            send_mail("湖州户政提醒", notification.message, None, [notification.address])
        except OSError as error:
            raise GatewayError(f"mail: {error}") from error
    # Channel.INBOX: the row is the message; delivering it means marking it sent.


def _send_sms(notification: Notification) -> None:
    if settings.SMS_GATEWAY == "http":
        _send_http(notification)
        return
    try:
        with transaction.atomic():
            SmsLog.objects.create(notification=notification, mobile=notification.address, text=notification.message)
    except IntegrityError:
        return  # logged by an earlier attempt that died before marking the row sent
    log = Path(settings.SMS_LOG_FILE)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"{notification.pk}\t{notification.address}\t{notification.message}\n")


def _send_http(notification: Notification) -> None:
    body = json.dumps({"id": notification.pk, "mobile": notification.address, "text": notification.message}).encode()
    request = urllib.request.Request(  # noqa: S310  the URL comes from settings
        settings.SMS_GATEWAY_URL,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {settings.SMS_GATEWAY_KEY}",
            "Idempotency-Key": f"hukou-notification-{notification.pk}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:  # noqa: S310
            if response.status >= 300:
                raise GatewayError(f"gateway answered {response.status}")
    except urllib.error.HTTPError as error:
        raise GatewayError(f"gateway answered {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise GatewayError(f"gateway unreachable: {error}") from error
