"""Delivery through a real HTTP gateway: failures retried with backoff, one message in the end."""

import datetime as dt

import time_machine

from hukou_portal.notifications.models import Notification
from hukou_portal.notifications.services import deliver_pending, sweep
from tests.notifications.conftest import D, at, make_permit
from tests.notifications.gateway import GatewayServer


def test_a_gateway_that_fails_three_times_then_succeeds_sends_one_message(world, settings):
    offices, _officer = world
    with GatewayServer(fail_first=3) as gateway, time_machine.travel(at(D(2026, 11, 30)), tick=False) as traveller:
        settings.SMS_GATEWAY, settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_KEY = "http", gateway.url, "k"
        make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=1)
        sweep(as_of=D(2026, 12, 15))
        sms = Notification.objects.get(channel="sms")
        for minutes in (0, 1, 2, 4):  # the backoff: 1, 2, 4 minutes between attempts
            traveller.shift(dt.timedelta(minutes=minutes, seconds=1))
            deliver_pending()
            deliver_pending()  # a second run inside the backoff changes nothing
        sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("sent", 4)
    assert [r["key"] for r in gateway.requests] == [f"hukou-notification-{sms.pk}"] * 4
    assert len(gateway.delivered) == 1
    assert sms.last_error == ""


def test_a_gateway_that_never_answers_leaves_the_row_failed_with_its_error(world, settings):
    offices, _officer = world
    with GatewayServer(fail_first=100) as gateway, time_machine.travel(at(D(2026, 11, 30)), tick=False) as traveller:
        settings.SMS_GATEWAY, settings.SMS_GATEWAY_URL = "http", gateway.url
        make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=1)
        sweep(as_of=D(2026, 12, 15))
        for _ in range(10):
            traveller.shift(dt.timedelta(hours=2))
            deliver_pending()
    sms = Notification.objects.get(channel="sms")
    assert (sms.status, sms.attempts) == ("failed", 6)
    assert "503" in sms.last_error
