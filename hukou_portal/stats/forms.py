"""The dashboard's filter bar: the period (month, quarter, year or a range), the area and town."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.selectors import office_visible_offices
from hukou_portal.core.forms import ModelChoiceField
from hukou_portal.core.widgets import DateInput
from hukou_portal.people.models import Town

from .dashboard import Scope
from .periods import MAX_CUSTOM_MONTHS, Period, PeriodKind


class AreaChoiceField(ModelChoiceField):
    """Offices as a tree: the level shown by indentation."""

    DEPTH = {Office.Level.CITY: 0, Office.Level.COUNTY: 1, Office.Level.STATION: 2}
    INDENT = "\u3000"  # an ideographic space per level

    def label_from_instance(self, obj: Any) -> str:
        return self.INDENT * self.DEPTH.get(obj.level, 0) + obj.name


def visible_towns(user: User) -> QuerySet[Town]:
    """The towns of the user's offices: every town for the city bureau, a county's for a county
    bureau, a station's own for a station."""
    office = user.office
    towns = Town.objects.select_related("area").order_by("area__code", "name")
    if office is None:
        return towns.none()
    if office.level == Office.Level.CITY:
        return towns
    if office.level == Office.Level.COUNTY:
        return towns.filter(area__code=office.area_code)
    return towns.filter(station=office)


class DashboardForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, initial=PeriodKind.MONTH)
    on = forms.DateField(
        label=_("A day in it"),
        required=False,
        widget=DateInput(),
        help_text=_("Any day of the month, quarter or year."),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    area = AreaChoiceField(label=_("Area"), queryset=Office.objects.none(), required=False, empty_label=None)
    town = ModelChoiceField(
        label=_("Town or sub-district"),
        queryset=Town.objects.none(),
        required=False,
        empty_label=_("All"),
        help_text=_("Narrows the residence registrations."),
    )

    def __init__(self, data: Any = None, *, user: User, today: dt.date) -> None:
        super().__init__(data)
        self.user, self.today = user, today
        self.offices = office_visible_offices(user=user)
        ids = [office.pk for office in self.offices]
        self.fields["area"].queryset = Office.objects.filter(pk__in=ids).order_by("path")
        self.fields["area"].initial = user.office_id
        self.fields["on"].initial = today
        self.fields["town"].queryset = visible_towns(user)
        self.helper = FormHelper(self)
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "list-filter"
        self.helper.attrs = {"data-testid": "stats-filter"}
        self.helper.label_class = "small text-nowrap text-truncate d-block"
        self.helper.help_text_inline = False
        self.helper.layout = Layout(
            Row(
                Column(Field("period"), css_class="col-6 col-md-4 col-lg-2"),
                *(Column(Field(name), css_class="col-6 col-md-4 col-lg-2") for name in ("on", "date_from", "date_to")),
                Column(Field("area"), css_class="col-6 col-md-4 col-lg-2"),
                Column(Field("town"), css_class="col-6 col-md-4 col-lg-2"),
                Column(
                    StrictButton(_("Show"), type="submit", css_class="btn-outline-primary"),
                    css_class="col-auto list-filter-actions",
                ),
                css_class="g-2 align-items-start",
            )
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("period") or PeriodKind.MONTH
        if kind == PeriodKind.CUSTOM:
            start, end = data.get("date_from"), data.get("date_to")
            if start is None or end is None:
                raise forms.ValidationError(_("A custom range needs both its first and its last day."))
            if start > end:
                raise forms.ValidationError(_("The first day of the range comes after its last day."))
            period = Period(kind, start, end)
            if len(period.months) > MAX_CUSTOM_MONTHS:
                raise forms.ValidationError(
                    _("A range covers at most %(months)d months; choose a shorter one or a year.")
                    % {"months": MAX_CUSTOM_MONTHS}
                )
        else:
            period = Period.around(kind, data.get("on") or self.today)
        if period.start > self.today:
            raise forms.ValidationError(_("The period starts after today: there is nothing to count yet."))
        data["period_value"] = period
        return data

    def scope(self) -> Scope:
        """The figures' scope of the valid form (the defaults when it is unbound)."""
        data = self.cleaned_data if self.is_bound else {}
        area = data.get("area") or self.user.office
        period = data.get("period_value") or Period.around(PeriodKind.MONTH, self.today)
        office_ids = [office.pk for office in self.offices if office.path.startswith(area.path)]
        return Scope(
            area=area,
            office_ids=office_ids,
            period=period,
            today=self.today,
            town=data.get("town"),
            reads_people=self.user.has_perm("people.view_person") and area == self.user.office,
        )
