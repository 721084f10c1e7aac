"""Demo data for the zero-setup portal: offices (each station with the town of its jurisdiction),
one user per role per station, the city bureau's accounts, a statistics analyst at the 吴兴 county
bureau (no station holds one), some people,
and demo cases at 月河派出所: a residence declaration in every state it reaches, a settlement case
waiting for approval, completed settlements that leave households (户) to open — one with a
准迁证 waiting for the origin's 迁出 confirmation — and registrations, lease filings and permits
near their six-month marks.

Safe to run twice: it creates what is missing and leaves the rest alone. Refuses to run where
``DEMO_DATA_ALLOWED`` is off (production settings). Every demo account comes with a confirmed
TOTP device (every account signs in with a second factor); ``demo_otp_code <username>`` prints
its current code.
"""

import datetime as dt
import io

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from hukou_portal.accounts.bootstrap import ensure_city_and_counties
from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.services import office_create, user_create
from hukou_portal.casework.demo import seed_demo_cases
from hukou_portal.people import id_numbers
from hukou_portal.people.models import Person, PersonOffice, Town
from hukou_portal.people.services import person_office_touch
from permits.demo import seed_demo_permits
from settlement.demo import seed_demo_households, seed_demo_settlement

DEMO_PASSWORD = "Huzhou-Demo-2026"  # noqa: S105  (the demo password is printed on purpose)

# (county code, station code, station name, username prefix)
STATIONS = [
    ("330502", "33050201", "月河派出所", "yuehe"),
    ("330502", "33050202", "织里派出所", "zhili"),
    ("330503", "33050301", "南浔派出所", "nanxun"),
    ("330503", "33050302", "练市派出所", "lianshi"),
    ("330521", "33052101", "武康派出所", "wukang"),
    ("330521", "33052102", "新市派出所", "xinshi"),
    ("330522", "33052201", "雉城派出所", "zhicheng"),
    ("330522", "33052202", "泗安派出所", "sian"),
    ("330523", "33052301", "递铺派出所", "dipu"),
    ("330523", "33052302", "孝丰派出所", "xiaofeng"),
]

# The town each demo station's jurisdiction holds (辖区): N2 about a rental home there goes to the
# station; every other town is answered for by its county-level bureau until an administrator
# names its station (管理 › 乡镇（街道）).
STATION_TOWNS = {
    "33050201": "月河街道",
    "33050202": "织里镇",
    "33050301": "南浔镇",
    "33050302": "练市镇",
    "33052101": "武康街道",
    "33052102": "新市镇",
    "33052201": "雉城街道",
    "33052202": "泗安镇",
    "33052301": "递铺街道",
    "33052302": "孝丰镇",
}

ROLE_SUFFIX = {
    Role.COUNTER_OFFICER: ("officer", "窗口民警"),
    Role.SUPERVISOR: ("supervisor", "审批领导"),
    Role.ADMINISTRATOR: ("admin", "系统管理员"),
    Role.SECURITY_ADMINISTRATOR: ("secadmin", "安全管理员"),
    Role.AUDITOR: ("auditor", "审计员"),
    Role.STATISTICIAN: ("analyst", "统计分析员"),
}
# The security administrator, who grants the administrative roles, sits at the city bureau.
CITY_ROLES = [Role.SUPERVISOR, Role.ADMINISTRATOR, Role.SECURITY_ADMINISTRATOR, Role.AUDITOR, Role.STATISTICIAN]
STATION_ROLES = [Role.COUNTER_OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR, Role.AUDITOR]
# Accounts at county-level bureaus: (county code, username prefix, name prefix, roles). A
# statistics analyst works at the city or a county-level bureau, never at a station.
COUNTY_USERS = [("330502", "wuxing", "吴兴分局", [Role.STATISTICIAN])]

DEMO_PEOPLE = [
    ("王小明", "330502", dt.date(1990, 5, 17), 123, "13800000001"),
    ("李华", "330503", dt.date(1985, 11, 2), 246, "13800000002"),
    ("张伟", "320102", dt.date(1995, 2, 28), 357, "13800000003"),
    ("刘芳", "340104", dt.date(2001, 8, 9), 468, "13800000004"),
]


class Command(BaseCommand):
    help = "Create demo offices, users (per station, the city's, a county analyst) and people. Safe to run twice."

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data are not allowed here (DEMO_DATA_ALLOWED is off).")
        created = self._seed()
        # The dashboard reads the nightly rollups and pipeline snapshot: the first ones now
        # (docs/statistics.md), as the nightly job would take them.
        call_command("stats_rollup", stdout=io.StringIO())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} users, {self.cases} cases created)."))
        self.stdout.write(f"Every demo user's password: {DEMO_PASSWORD}")
        self.stdout.write(
            "Usernames: <station>_<role>, e.g. yuehe_officer, yuehe_supervisor, yuehe_admin, "
            "yuehe_auditor; city_admin, city_secadmin, city_auditor, city_supervisor, city_analyst at the "
            "city bureau; wuxing_analyst (statistics analyst) at the 吴兴 county-level bureau."
        )
        self.stdout.write("Every account needs a code as well: python manage.py demo_otp_code yuehe_officer")

    @transaction.atomic
    def _seed(self) -> int:
        city, counties = ensure_city_and_counties()
        by_code = {county.code: county for county in counties}
        created = self._ensure_users(city, "city", "湖州市局", CITY_ROLES)
        for county_code, prefix, label, roles in COUNTY_USERS:
            created += self._ensure_users(by_code[county_code], prefix, label, roles)
        for county_code, code, name, prefix in STATIONS:
            station = Office.objects.filter(code=code).first() or office_create(
                actor=None,
                code=code,
                name=name,
                level=Office.Level.STATION,
                parent=by_code[county_code],
                area_code=county_code,
            )
            created += self._ensure_users(station, prefix, name.removesuffix("派出所"), STATION_ROLES)
            # An administrator's choice is kept: only a town with no station yet gets the demo's.
            Town.objects.filter(area__code=county_code, name=STATION_TOWNS[code], station__isnull=True).update(
                station=station
            )
        first_station = Office.objects.get(code=STATIONS[0][1])
        applicants = []
        for name, address_code, birth_date, sequence, mobile in DEMO_PEOPLE:
            number = id_numbers.make(address_code=address_code, birth_date=birth_date, sequence=sequence)
            person, _ = Person.objects.get_or_create_by_id_number(
                number, defaults={"name": name, "office": first_station, "mobile": mobile}
            )
            person_office_touch(person=person, office=person.office, via=PersonOffice.Via.RECORDED)
            applicants.append(person)
        officer = User.objects.get(username=f"{STATIONS[0][3]}_officer")
        self.cases = seed_demo_cases(station=first_station, officer=officer, applicants=applicants)
        self.cases += seed_demo_settlement(officer=officer, applicant=applicants[1])
        supervisor = User.objects.get(username=f"{STATIONS[0][3]}_supervisor")
        self.cases += seed_demo_households(officer=officer, supervisor=supervisor)
        seed_demo_permits(officer=officer, people=applicants[2:])
        return created

    def _ensure_users(self, office: Office, prefix: str, label: str, roles: list[str]) -> int:
        created = 0
        for role in roles:
            suffix, role_name = ROLE_SUFFIX[role]
            username = f"{prefix}_{suffix}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    actor=None,
                    username=username,
                    full_name=f"{label}{role_name}",
                    office=office,
                    roles=[role],
                    password=DEMO_PASSWORD,
                    is_demo=True,
                )
                created += 1
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                TOTPDevice.objects.create(user=user, name="demo", confirmed=True, tolerance=0)
        return created
