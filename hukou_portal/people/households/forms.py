"""The forms of the household actions: each is also the action's confirm page."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.widgets import DateInput
from hukou_portal.people.models import HouseholdRelation, Town

# What a member may be to the head when moving into a family household (the head is named by
# creating the household; collective households have no head).
JOINING_RELATIONS = [
    (code, label)
    for code, label in HouseholdRelation.choices
    if code not in (HouseholdRelation.HEAD, HouseholdRelation.COLLECTIVE_MEMBER)
]


def _today_or_earlier(value: dt.date | None) -> dt.date | None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


class MemberMoveForm(forms.Form):
    """迁出 this household, 迁入 another in Huzhou (by its 户号) or a new home of one's own."""

    INTO_HOUSEHOLD = "household"
    INTO_NEW_HOME = "new_home"

    destination = forms.ChoiceField(
        label=_("Moving into"),
        choices=[
            (INTO_HOUSEHOLD, _("An existing household in Huzhou (by its number)")),
            (INTO_NEW_HOME, _("A new family household of their own, as its head (立户)")),
        ],
        widget=forms.RadioSelect,
        initial=INTO_HOUSEHOLD,
    )
    to_household = forms.CharField(
        label=_("Household number (户号)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    relation = forms.ChoiceField(
        label=_("Relation to the head of that household"),
        choices=[("", "—"), *JOINING_RELATIONS],
        required=False,
        help_text=_("For a family household; in a collective household everyone is a member of it."),
    )
    town = forms.ModelChoiceField(
        label=_("Town or sub-district of the new home"),
        queryset=Town.objects.select_related("area"),
        required=False,
    )
    address = forms.CharField(label=_("Address of the new home"), max_length=200, required=False)
    moved_on = forms.DateField(label=_("Moved on"), widget=DateInput())
    note = forms.CharField(
        label=_("Reason and basis of the move"),
        max_length=200,
        help_text=_("Written to the audit trail with the move, e.g. the case or the document it rests on."),
    )

    def clean_moved_on(self) -> dt.date | None:
        return _today_or_earlier(self.cleaned_data.get("moved_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("destination") == self.INTO_HOUSEHOLD and not (data.get("to_household") or "").strip():
            self.add_error("to_household", _("Enter the number of the household to move into."))
        if data.get("destination") == self.INTO_NEW_HOME:
            if not data.get("town"):
                self.add_error("town", _("Choose the town of the new home."))
            if not (data.get("address") or "").strip():
                self.add_error("address", _("Enter the address of the new home."))
        return data


class MoveOutForm(forms.Form):
    """迁出 out of Huzhou."""

    destination_address = forms.CharField(label=_("Moving to (address)"), max_length=200)
    destination_reference = forms.CharField(
        label=_("Destination's move-in permit number"),
        max_length=60,
        required=False,
        help_text=_("The 准迁证 the destination's office issued, if the person brought one."),
    )
    moved_out_on = forms.DateField(label=_("Moved out on"), widget=DateInput())
    note = forms.CharField(label=_("Reason and basis of the move"), max_length=200)

    def clean_moved_out_on(self) -> dt.date | None:
        return _today_or_earlier(self.cleaned_data.get("moved_out_on"))


class MoveInConfirmationForm(forms.Form):
    """The origin office's 迁出 confirmation of a 准迁证."""

    moved_out_on = forms.DateField(label=_("Moved out of the origin on"), widget=DateInput())
    origin_office = forms.CharField(
        label=_("Origin office"),
        max_length=100,
        help_text=_("The public security office of the origin that confirmed the move out."),
    )
    origin_reference = forms.CharField(
        label=_("Origin office's reference"),
        max_length=60,
        help_text=_("The number of its confirmation or of the migration certificate (户口迁移证)."),
    )

    def clean_moved_out_on(self) -> dt.date | None:
        return _today_or_earlier(self.cleaned_data.get("moved_out_on"))
