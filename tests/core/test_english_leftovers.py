"""English that used to stay on screen under zh-hans: Django's password-validator messages, the
schedules page's timings and job names, document codes on the 落户材料清单 page — and the
wrong-password alert shown twice. Each page is rendered under zh-hans (the default language)."""

import html
import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from hukou_portal.accounts.models import User
from hukou_portal.accounts.roles import Role
from hukou_portal.schedules import SCHEDULES, timing_sentence
from tests.helpers import make_user, sign_in, zh

# Three or more ASCII letters in a row: an English word left on a Chinese page.
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def visible_text(body: str) -> str:
    """The text a person reads: without tags, scripts, styles, the head and attribute values."""
    body = re.sub(r"<head>.*?</head>", " ", body, flags=re.S)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_every_password_validator_speaks_chinese_under_zh_hans(db):
    user = User(username="zhangsanfeng", full_name="张三丰", email="zhangsanfeng@example.com")
    messages: list[str] = []
    with translation.override("zh-hans"):
        for password in ("12345", "zhangsanfeng1", "password123", "Huzhou"):
            with pytest.raises(ValidationError) as refused:
                validate_password(password, user)
            messages += refused.value.messages
    assert len(messages) >= 5
    english = [message for message in messages if ENGLISH_WORD.search(message.replace("%d", ""))]
    assert english == []
    assert "密码太短，至少需要 10 个字符。" in messages


def test_the_user_form_shows_the_short_password_refusal_in_chinese(admin_client, offices):
    response = admin_client.post(
        "/accounts/users/new/",
        {"username": "newbie", "full_name": "新民警", "office": offices.yuehe.pk, "password": "Hz-1"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and not User.objects.filter(username="newbie").exists()
    assert "密码太短，至少需要 10 个字符。" in body
    assert "This password is too short" not in body


@pytest.fixture
def city_admin(offices):
    return sign_in(Client(), make_user(offices.city, Role.ADMINISTRATOR, username="city_admin"))


def test_schedules_read_as_chinese_sentences_without_job_codes(city_admin):
    text = visible_text(city_admin.get("/reminders/schedules/").content.decode())
    for schedule in SCHEDULES:
        assert schedule.name not in text  # e.g. clear-expired-sessions
        with translation.override("en"):
            label, purpose = str(schedule.label), str(schedule.purpose)
        assert zh(label) in text and zh(purpose) in text
    assert zh("Every day at %(time)s.") % {"time": "03:10"} in text
    assert zh("Every minute, day and night.") in text
    assert "minute" not in text and "or 0" not in text
    assert "Nightly" not in text and "Every minute" not in text  # the stored English descriptions


@pytest.mark.parametrize(
    ("minute", "hour", "expected"),
    [
        ("*", "*", "Every minute, day and night."),
        ("5", "*", "Every hour, at minute %(minute)s."),
        ("*", "2", "Every minute from %(hour)s:00 to %(hour)s:59 each day."),
        ("7", "4", "Every day at %(time)s."),
    ],
)
def test_each_timing_has_its_sentence(minute, hour, expected):
    values = {"minute": minute.zfill(2), "hour": hour.zfill(2), "time": f"{hour.zfill(2)}:{minute.zfill(2)}"}
    with translation.override("zh-hans"):
        assert timing_sentence(minute=minute, hour=hour) == zh(expected) % values


def test_a_bad_schedule_time_is_refused_in_chinese(city_admin):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="sweep-reminders")
    response = city_admin.post(
        "/reminders/schedules/", {"task": task.pk, "minute": "75", "hour": "2", "enabled": "on"}, follow=True
    )
    body = response.content.decode()
    assert zh("Minute: enter * (every minute) or a number from 0 to 59.") in body
    assert "minute: * or" not in body
    task.refresh_from_db()
    assert task.crontab.minute == "30"  # unchanged


def test_the_settlement_document_list_names_documents_not_codes(admin_client):
    body = admin_client.get("/settlement/documents/").content.decode()
    assert "居民身份证" in body and "租赁登记备案证明" in body
    text = visible_text(body)
    for code in ("id_card", "household_booklet", "lease_filing_certificate", "residence_permit"):
        assert code not in text


def test_a_wrong_password_shows_one_alert(db, offices):
    make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    response = Client().post("/accounts/sign-in/", {"username": "officer", "password": "wrong-password"})
    body = response.content.decode()
    error = zh("The username or password is wrong. Note that both fields may be case-sensitive.")
    assert body.count(error) == 1
    assert body.count('role="alert"') == 1


def test_a_form_refusal_is_shown_once_on_other_forms_too(admin_client, offices):
    """partials/form.html shows non-field errors once (crispy used to repeat them)."""
    make_user(offices.yuehe, Role.COUNTER_OFFICER, username="taken")
    response = admin_client.post(
        "/accounts/users/new/",
        {"username": "taken", "full_name": "重名", "office": offices.yuehe.pk, "password": "Long-Enough-2026"},
    )
    body = response.content.decode()
    assert body.count(zh("This username is taken.")) == 1
