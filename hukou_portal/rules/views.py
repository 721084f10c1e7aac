from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.forms import run_service
from hukou_portal.core.refusals import refusal_message

from . import services
from .forms import CalendarDayForm, ParameterScheduleForm, PublishYearForm, WithdrawForm
from .models import CalendarDay, CalendarYear, RuleParameterValue
from .parameters import SPECS
from .selectors import parameter_history, parameters_in_force


@permission_needed("rules.view_calendarday")
def calendar(request: HttpRequest) -> HttpResponse:
    """Published years, and the days entered for the years not published yet."""
    this_year = timezone.localdate().year
    published = list(CalendarYear.objects.filter(year__gte=this_year - 1))
    published_years = {y.year for y in CalendarYear.objects.all()}
    pending_days = [
        day for day in CalendarDay.objects.filter(date__year__gte=this_year) if day.date.year not in published_years
    ]
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = run_service(form, lambda: services.calendar_day_add(actor=request.user, **form.cleaned_data))
        if day is not None:
            messages.success(request, _("%(day)s added.") % {"day": day})
            return redirect("rules:calendar")
    return render(
        request,
        "rules/calendar.html",
        {
            "published": published,
            "pending_days": pending_days,
            "form": form,
            "publish_form": PublishYearForm(),
            "may_change": services.may_change_city_wide(request.user, "rules.add_calendarday"),
        },
    )


@require_POST
@permission_needed("rules.delete_calendarday")
def calendar_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.calendar_day_remove(actor=request.user, day_id=pk)
    except ApplicationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("Day removed."))
    return redirect("rules:calendar")


@require_POST
@permission_needed("rules.add_calendaryear")
def calendar_year_publish(request: HttpRequest) -> HttpResponse:
    form = PublishYearForm(request.POST)
    if form.is_valid():
        try:
            services.calendar_year_publish(actor=request.user, year=form.cleaned_data["year"])
        except ApplicationError as error:
            refusal_message(request, error)
        else:
            messages.success(request, _("%(year)d published.") % {"year": form.cleaned_data["year"]})
    else:
        messages.error(request, _("Enter a year between 2000 and 2100."))
    return redirect("rules:calendar")


@permission_needed("rules.view_ruleparametervalue")
def parameter_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    in_force = parameters_in_force(today)
    scheduled = {
        row.key: row for row in RuleParameterValue.objects.filter(effective_from__gt=today).order_by("-effective_from")
    }
    rows = [(spec, in_force[key], scheduled.get(key)) for key, spec in SPECS.items()]
    return render(request, "rules/parameter_list.html", {"rows": rows})


@permission_needed("rules.view_ruleparametervalue")
def parameter_detail(request: HttpRequest, key: str) -> HttpResponse:
    spec = SPECS.get(key)
    if spec is None:
        raise Http404
    form = ParameterScheduleForm(request.POST or None, spec=spec)
    if request.method == "POST" and form.is_valid():
        row = run_service(
            form,
            lambda: services.parameter_schedule(
                actor=request.user,
                key=key,
                value=form.cleaned_data["value"],
                effective_from=form.cleaned_data["effective_from"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if row is not None:
            messages.success(request, _("Change scheduled."))
            return redirect("rules:parameter_detail", key=key)
    today = timezone.localdate()
    return render(
        request,
        "rules/parameter_detail.html",
        {
            "spec": spec,
            "in_force": parameters_in_force(today)[key],
            "history": parameter_history(key=key),
            "form": form,
            "today": today,
            "may_change": services.may_change_city_wide(request.user, "rules.add_ruleparametervalue"),
        },
    )


@require_POST
@permission_needed("rules.add_ruleparametervalue")
def parameter_withdraw(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("Say why the change is withdrawn."))
        services.parameter_withdraw(actor=request.user, value_id=pk, reason=form.cleaned_data["reason"])
    except ApplicationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("Scheduled change withdrawn."))
    return redirect("rules:parameter_detail", key=key)
