import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hukou_portal.people.models import Town


class DeclarationForm(forms.Form):
    town = forms.ModelChoiceField(label=_("Town or sub-district"), queryset=Town.objects.select_related("area"))
    address = forms.CharField(label=_("Address"), max_length=200)
    lived_since = forms.DateField(label=_("Living there since"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_lived_since(self) -> dt.date:
        value = self.cleaned_data["lived_since"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value
