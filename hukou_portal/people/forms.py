from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import id_numbers
from .models import mobile_validator


class PersonForm(forms.Form):
    id_number = forms.CharField(
        label=_("Citizen ID number"),
        max_length=24,
        validators=[id_numbers.validate_id_number],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    mobile = forms.CharField(label=_("Mobile number"), max_length=11, required=False, validators=[mobile_validator])

    def clean_id_number(self) -> str:
        return id_numbers.normalise(self.cleaned_data["id_number"])


class TownUrbanForm(forms.Form):
    is_urban = forms.BooleanField(label=_("Urban area"), required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=200)
