"""Default message texts (administrators edit them); only missing ones are added."""

from typing import Any

DEFAULT_TEXTS = {
    (
        "N1",
        "sms",
    ): "【湖州公安】{name}您好：您的居住证（{permit_number}）已于{date}持有满规定期限，可按规定申请在居住地城镇落户（S5.1）。详询{office}。",
    ("N1", "inbox"): "居住证 {permit_number}（{name}）已于{date}持有满规定期限（S5.1）。",
    (
        "N2",
        "sms",
    ): "【湖州公安】{name}您好：您的房屋租赁登记备案（{filing_number}）已于{date}满规定期限，可按规定申请落户（S1.2）。详询{office}。",
    ("N2", "inbox"): "租赁登记备案 {filing_number}（{name}）已于{date}满规定期限（S1.2）。",
    (
        "N3",
        "sms",
    ): "【湖州公安】{name}您好：您的居住证（{permit_number}）签注有效期至{date}，请及时到{office}办理签注。",
    ("N4", "inbox"): "案件 {case_number} 办理时限为{date}，请及时办理。",
}


def load_default_templates(model: Any, using: str = "default") -> None:
    for (kind, channel), text in DEFAULT_TEXTS.items():
        model.objects.using(using).get_or_create(kind=kind, channel=channel, defaults={"text": text})


def ensure_loaded(*args: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from .models import MessageTemplate

    if "notifications_messagetemplate" in connections[using].introspection.table_names():
        load_default_templates(MessageTemplate, using)
