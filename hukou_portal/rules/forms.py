from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.vocabulary import say
from hukou_portal.core.widgets import DateInput

from .models import CalendarDay
from .parameters import ParameterSpec


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=50, required=False)


class PublishYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class ParameterScheduleForm(forms.Form):
    """A new value for one parameter, with the field its kind needs: a number in its range, 是/否,
    one of the named choices, or the recognised regions by name (the service checks again)."""

    effective_from = forms.DateField(label=_("In force from"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args: Any, spec: ParameterSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"value": _value_field(spec), **self.fields}


def _value_field(spec: ParameterSpec) -> forms.Field:
    label = _("New value")
    if spec.kind == "int":
        return forms.IntegerField(
            label=label,
            help_text=_("From %(low)s to %(high)s.")
            % {"low": say(spec.minimum, spec.words), "high": say(spec.maximum, spec.words)},
        )
    if spec.kind == "bool":
        return forms.ChoiceField(label=label, choices=[("true", _("Yes")), ("false", _("No"))])
    if spec.kind == "choice":
        return forms.ChoiceField(label=label, choices=[(code, say(code, spec.words)) for code in spec.choices])
    return forms.MultipleChoiceField(
        label=label,
        choices=[(code, say(code, spec.words)) for code in spec.choices],
        widget=forms.CheckboxSelectMultiple,
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)
