from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.forms import run_service

from . import services
from .forms import CalendarDayForm, PublishYearForm
from .models import CalendarDay, CalendarYear


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
        {"published": published, "pending_days": pending_days, "form": form, "publish_form": PublishYearForm()},
    )


@require_POST
@permission_needed("rules.delete_calendarday")
def calendar_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.calendar_day_remove(actor=request.user, day_id=pk)
    except ApplicationError as error:
        messages.error(request, error.message)
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
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(year)d published.") % {"year": form.cleaned_data["year"]})
    else:
        messages.error(request, _("Enter a year between 2000 and 2100."))
    return redirect("rules:calendar")
