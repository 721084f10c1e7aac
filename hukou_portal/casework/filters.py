"""Queue filters (django-filter): status, kind, category, office, dates, officer."""

import django_filters
from django.utils.translation import gettext_lazy as _

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.selectors import office_visible_list

from .kinds import all_kinds
from .models import Case, Status


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, str(kind.label)) for kind in all_kinds()]


def _category_choices() -> list[tuple[str, str]]:
    return [(category.code, f"{kind.label} · {category.label}") for kind in all_kinds() for category in kind.categories]


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=_kind_choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=_category_choices)
    office = django_filters.ModelChoiceFilter(label=_("Office"), queryset=lambda request: _offices(request))
    assigned_officer = django_filters.ModelChoiceFilter(label=_("Officer"), queryset=lambda request: _officers(request))
    created_from = django_filters.DateFilter(label=_("Opened from"), field_name="created_at", lookup_expr="date__gte")
    created_to = django_filters.DateFilter(label=_("Opened until"), field_name="created_at", lookup_expr="date__lte")
    q = django_filters.CharFilter(label=_("Case number"), field_name="reference", lookup_expr="icontains")

    class Meta:
        model = Case
        fields = ["status", "kind", "category", "office", "assigned_officer"]


def _offices(request):  # type: ignore[no-untyped-def]
    if request is None:
        return Office.objects.none()
    return office_visible_list(user=request.user)


def _officers(request):  # type: ignore[no-untyped-def]
    if request is None:
        return User.objects.none()
    return User.objects.filter(
        office__in=office_visible_list(user=request.user), groups__name=Role.COUNTER_OFFICER
    ).order_by("username")
