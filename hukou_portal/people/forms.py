from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hukou_portal.accounts.models import Office

from . import id_numbers
from .models import LookupReason, PersonPhoto, Town, mobile_validator


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


class TownForm(forms.Form):
    """A town's urban flag and the police station whose jurisdiction holds it: an open station
    of the town's own area, or none yet (the county-level bureau answers meanwhile)."""

    is_urban = forms.BooleanField(label=_("Urban area"), required=False)
    station = forms.ModelChoiceField(
        label=_("Police station of its jurisdiction"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("None yet: the county-level bureau of the area answers"),
        help_text=_("Reminders about rental homes in the town (N2) go to this office."),
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=200)

    def __init__(self, *args: Any, town: Town, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["station"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Office.objects.filter(
            level=Office.Level.STATION, is_active=True, area_code=town.area.code
        ).order_by("code")


class PhotoForm(forms.Form):
    """The capture page: a file — drawn from the camera's frame by ``static/portal/photo.js`` or
    chosen by the officer — how it was taken, and the current photo the page showed (a page left
    open while someone else took a photo is stale)."""

    photo = forms.FileField(
        label=_("Photo file (JPEG or PNG)"),
        allow_empty_file=True,  # people.photos says why an empty file is refused
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,.jpg,.jpeg,.png"}),
        error_messages={"required": _("Take a photo with the camera or choose a photo file.")},
    )
    source = forms.ChoiceField(
        choices=PersonPhoto.Source.choices,
        initial=PersonPhoto.Source.UPLOAD,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Say whether the photo was taken with the camera or uploaded.")},
    )
    replacing = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class PersonLookupForm(forms.Form):
    """A lookup in the city register (全域就近办): the exact full citizen ID number and why
    (policy D3). Posted, never in an address; ``other`` needs words."""

    id_number = forms.CharField(
        label=_("Citizen ID number"),
        max_length=24,
        validators=[id_numbers.validate_id_number],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.ChoiceField(
        label=_("Reason for the lookup"),
        choices=LookupReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for the lookup.")},
    )
    reason_text = forms.CharField(
        label=_("Explanation"),
        max_length=200,
        required=False,
        help_text=_("Required when the reason is “other”. Written to the audit trail with the lookup."),
    )

    def clean_id_number(self) -> str:
        return id_numbers.normalise(self.cleaned_data["id_number"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == LookupReason.OTHER and not data.get("reason_text", "").strip():
            self.add_error("reason_text", _("Say why you look this person up."))
        return data
