"""Building blocks for tests: offices and users made through the services, like the portal."""

import datetime as dt
from dataclasses import dataclass

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.services import office_create, user_create
from hukou_portal.people import id_numbers
from hukou_portal.rules.calendar import WorkCalendar

TEST_PASSWORD = "Test-Password-2026"


@dataclass
class OfficeTree:
    city: Office
    wuxing: Office  # county-level bureau 330502
    nanxun: Office  # county-level bureau 330503
    yuehe: Office  # station under wuxing
    zhili: Office  # station under wuxing
    nanxun_station: Office  # station under nanxun

    def all(self) -> list[Office]:
        return [self.city, self.wuxing, self.nanxun, self.yuehe, self.zhili, self.nanxun_station]


def make_office_tree() -> OfficeTree:
    def create(code: str, name: str, level: str, parent: Office | None, area: str) -> Office:
        return office_create(actor=None, code=code, name=name, level=level, parent=parent, area_code=area)

    city = create("330500", "湖州市公安局", Office.Level.CITY, None, "330500")
    wuxing = create("330502", "吴兴分局", Office.Level.COUNTY, city, "330502")
    nanxun = create("330503", "南浔分局", Office.Level.COUNTY, city, "330503")
    return OfficeTree(
        city=city,
        wuxing=wuxing,
        nanxun=nanxun,
        yuehe=create("33050201", "月河派出所", Office.Level.STATION, wuxing, "330502"),
        zhili=create("33050202", "织里派出所", Office.Level.STATION, wuxing, "330502"),
        nanxun_station=create("33050301", "南浔派出所", Office.Level.STATION, nanxun, "330503"),
    )


def make_user(office: Office, *roles: str, username: str) -> User:
    return user_create(
        actor=None, username=username, full_name=f"测试{username}", office=office, roles=roles, password=TEST_PASSWORD
    )


def sign_in(client: Client, user: User) -> Client:
    """Sign ``user`` in, with a verified second factor (every account has one)."""
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True, "tolerance": 0})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    # As after the user's first page: their permissions and roles (accounts.authz) and the
    # working-day calendar are kept, so the queries a test counts are those of every later page.
    signed_in = User.objects.get(pk=user.pk)
    signed_in.get_all_permissions()
    assert signed_in.roles is not None
    WorkCalendar.load()
    return client


def code_for_now(device: TOTPDevice) -> str:
    """The device's code for a sign-in that happens now. Codes are good for their own 30-second
    step only (tolerance 0) and only once: near the end of a step, or when this step's code was
    already used, wait for the next step rather than fail at random."""
    import time

    from django_otp.oath import TOTP

    from hukou_portal.accounts.second_factor import current_code

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    left = device.step - (totp.time - device.t0) % device.step
    if left < 1.5 or totp.t() <= device.last_t:
        time.sleep(left + 0.1)
    return current_code(device)


def sign_in_through_the_pages(client: Client, user: User, password: str = TEST_PASSWORD) -> Client:
    """As a person signs in: the password, then the TOTP code, enrolling an authenticator app
    first when the account has none (every account has a second factor)."""
    response = client.post("/accounts/sign-in/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        assert client.get("/accounts/second-factor/").context["enrolling"] is True
        device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/second-factor/", {"token": code_for_now(device)})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def valid_id_number(
    *, address_code: str = "330502", birth_date: dt.date = dt.date(1990, 5, 17), sequence: int = 123
) -> str:
    return id_numbers.make(address_code=address_code, birth_date=birth_date, sequence=sequence)


def zh(message: str, context: str | None = None) -> str:
    """The zh-hans translation of ``message``; fails if there is none (the UI is Chinese first)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        translated = translation.pgettext(context, message) if context else translation.gettext(message)
    assert translated != message, f"no zh-hans translation for {message!r}"
    return translated


def database_url_of_the_tests() -> str:
    """The test database as a URL, for a command or a worker run in its own process."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


# What a page says to whoever sent a citizen ID number in its address (core.middleware).
ID_NUMBER_IN_ADDRESS = (
    "Find a citizen ID number with the search box at the top of the page: it keeps the number out of the address bar."
)


def get_with_id_number_refused(client: Client, url: str, params: dict[str, str], number: str):  # type: ignore[no-untyped-def]
    """GET ``url`` with a citizen ID number in its query string, as a user or an old link would:
    the portal must not serve a page built on it. Asserts the redirect to the same page without
    the number, and returns that page (which says to use the header search)."""
    response = client.get(url, params)
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert location.split("?")[0] == url
    assert number not in location and number[6:14] not in location
    page = client.get(location)
    assert page.status_code == 200
    body = page.content.decode()
    assert zh(ID_NUMBER_IN_ADDRESS) in body
    assert number not in body
    return page
