from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.roles import Role
from hukou_portal.people import id_numbers

from .kinds import CaseKind
from .on_file import documents_on_file
from .workflow import Action


class CaseIntakeForm(forms.Form):
    """Intake at the counter: the applicant (already recorded) and the category applied for."""

    category = forms.ChoiceField(label=_("Category"))
    applicant_id_number = forms.CharField(
        label=_("Applicant's citizen ID number"), max_length=24, validators=[id_numbers.validate_id_number]
    )

    def __init__(self, *args, kind: CaseKind, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.code, str(c.label)) for c in kind.categories]

    def clean_applicant_id_number(self) -> str:
        return id_numbers.normalise(self.cleaned_data["applicant_id_number"])


class VersionedForm(forms.Form):
    """Carries the case version the page was rendered with: a stale form is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActionForm(VersionedForm):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    reason = forms.CharField(
        label=_("Reason (shown to the applicant)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    # The kind names what this box is for (CaseKind.justification_label); this is the default.
    justification = forms.CharField(
        label=_("Reason or explanation (理由/说明)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    officer = forms.ModelChoiceField(label=_("Counter officer"), queryset=User.objects.none())
    office = forms.ModelChoiceField(label=_("Responsible police station"), queryset=Office.objects.none())

    def __init__(self, *args, action: Action, case, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for name in ["comment", "reason", "justification", "officer", "office"]:
            if name != action.field:
                del self.fields[name]
        if action.field == "justification" and case.kind_spec.justification_label:
            self.fields["justification"].label = case.kind_spec.justification_label
        if action.field == "officer":
            # Officers of the case's office or an office above it: those who may work on it.
            parts = case.office.path.rstrip("/").split("/")
            ancestor_paths = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
            self.fields["officer"].queryset = User.objects.filter(
                is_active=True, groups__name=Role.COUNTER_OFFICER, office__path__in=ancestor_paths
            ).order_by("username")
        if action.field == "office":
            self.fields["office"].queryset = Office.objects.filter(is_active=True, level=Office.Level.STATION).exclude(
                pk=case.office_id
            )


class NoteForm(VersionedForm):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class DocumentUploadForm(VersionedForm):
    requirement = forms.ChoiceField(label=_("Document"))
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))

    def __init__(self, *args, case, on_file=None, **kwargs):  # type: ignore[no-untyped-def]
        """The case's checklist, less what is on file (the applicant's photo is not asked again)."""
        super().__init__(*args, **kwargs)
        if on_file is None:
            on_file = documents_on_file(case)
        self.fields["requirement"].choices = [
            (r.code, str(r.label)) for r in case.kind_spec.required_documents(case.category) if r.code not in on_file
        ]


class DocumentVerdictForm(VersionedForm):
    accepted = forms.TypedChoiceField(
        label=_("Verdict"),
        choices=[("1", pgettext_lazy("document", "Accept")), ("0", pgettext_lazy("document", "Reject"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)
