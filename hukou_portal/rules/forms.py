from django import forms
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.widgets import DateInput

from .models import CalendarDay


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=50, required=False)


class PublishYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class ParameterScheduleForm(forms.Form):
    value = forms.CharField(
        label=_("New value"), max_length=200, help_text=_("Lists (regions) are separated by commas.")
    )
    effective_from = forms.DateField(label=_("In force from"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)
