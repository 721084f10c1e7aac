"""``python manage.py export KIND --format csv|xlsx [--office CODE] [--from D --to D] --out FILE``.

Bulk exports for the city bureau's analysts, without the web's rate limit. The rows are those
the office's own users would see (the same selectors; ``--office`` absent: the city bureau,
i.e. the whole city); ``--from``/``--to`` bound each kind's date (a case's or person's creation,
a registration's start, a filing's date, a permit's issue, an audit event's time) in Asia/Shanghai,
both days included. Full citizen ID numbers are written: the command is run by the system's
operators, and the export is audited as the system (no actor) with the command's arguments and
the row count.
"""

import datetime as dt
import shlex
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict
from django.utils import timezone

from hukou_portal.accounts.models import Office, User
from hukou_portal.stats import services
from hukou_portal.stats.exports import FORMATS, write_csv, write_xlsx
from hukou_portal.stats.kinds import Scope, export_kinds


class _ScopeRequest:
    """What a FilterSet reads from a request (``request.user`` for its office choices)."""

    def __init__(self, user: User) -> None:
        self.user = user


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Export a list (cases, people, registrations, ...) to a CSV or XLSX file and print its row count."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(export_kinds()))
        parser.add_argument("--format", dest="file_format", choices=FORMATS, required=True)
        parser.add_argument("--office", default="", help="office code (its subtree); default: the city bureau")
        parser.add_argument("--from", dest="date_from", default="", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", default="", help="last day, YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        spec = export_kinds()[options["kind"]]
        office = self._office(options["office"])
        date_from = _day(options["date_from"], "--from") if options["date_from"] else None
        date_to = _day(options["date_to"], "--to") if options["date_to"] else None
        if date_from and date_to and date_from > date_to:
            raise CommandError("--from is after --to")
        # An unsaved user at the office: the selectors scope by ``user.office`` alone.
        scope = Scope(user=User(office=office), full_id_numbers=True, today=timezone.localdate())
        params = QueryDict(mutable=True)
        bound = spec.bind(scope, params, _ScopeRequest(scope.user))
        rows = spec.ordered(self._in_range(spec, bound.filtered(), date_from, date_to), params)
        export = spec.export(scope, rows)
        arguments = shlex.join(
            [
                spec.name,
                "--format",
                options["file_format"],
                *(["--office", office.code] if options["office"] else []),
                *(["--from", options["date_from"]] if date_from else []),
                *(["--to", options["date_to"]] if date_to else []),
                "--out",
                options["out"],
            ]
        )
        complete = False
        try:
            if options["file_format"] == "xlsx":
                count = write_xlsx(export, options["out"], sheet_name=str(spec.label))
            else:
                with open(options["out"], "wb") as out:
                    count = write_csv(export, out)
            complete = True
        finally:
            services.export_recorded(
                actor=None,
                kind=spec.name,
                file_format=options["file_format"],
                filters=self._filters(office, date_from, date_to),
                rows=export.written,
                full_id_numbers=True,
                complete=complete,
                arguments=arguments,
            )
        self.stdout.write(str(count))

    def _office(self, code: str) -> Office:
        if code:
            office = Office.objects.filter(code=code, is_active=True).first()
            if office is None:
                raise CommandError(f"No open office has the code {code!r}")
            return office
        city = Office.objects.filter(parent__isnull=True, is_active=True).order_by("path").first()
        if city is None:
            raise CommandError("No city bureau is recorded")
        return city

    @staticmethod
    def _in_range(spec: Any, rows: Any, date_from: dt.date | None, date_to: dt.date | None) -> Any:
        """Rows whose date lies in [from, to]; a time bound by the days' midnights in the portal's
        time zone, so the date column's index serves it."""
        if date_from is not None:
            start: Any = date_from
            if spec.date_is_datetime:
                start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
            rows = rows.filter(**{f"{spec.date_field}__gte": start})
        if date_to is not None:
            if spec.date_is_datetime:
                end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
                rows = rows.filter(**{f"{spec.date_field}__lt": end})
            else:
                rows = rows.filter(**{f"{spec.date_field}__lte": date_to})
        return rows

    @staticmethod
    def _filters(office: Office, date_from: dt.date | None, date_to: dt.date | None) -> str:
        from django.utils.translation import gettext as _

        parts = [f"{_('Office')}：{office.name}"]
        if date_from:
            parts.append(f"{_('From')}：{date_from.isoformat()}")
        if date_to:
            parts.append(f"{_('To')}：{date_to.isoformat()}")
        return "；".join(parts)
