from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hukou_portal.core.decorators import permission_needed

from . import selectors, services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_for_user(user=request.user), 25).get_page(request.GET.get("page"))
    links = selectors.inbox_subject_links(user=request.user, notifications=page.object_list)
    items = [(item, links.get(item.pk)) for item in page]
    return render(request, "notifications/inbox.html", {"page": page, "items": items})


@require_POST
@login_required
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    services.inbox_mark_read(user=request.user, notification_id=pk)
    return redirect("notifications:inbox")


WORKLIST_PAGE = 100


@permission_needed("people.view_person")
def worklist(request: HttpRequest) -> HttpResponse:
    """``?days=90`` looks 90 days ahead (the statistics' reform pipeline links here); any other
    value than the choices shows the default 30 days, as the page's heading says."""
    today = timezone.localdate()
    asked = request.GET.get("days", "")
    days = int(asked) if asked in {str(choice) for choice in selectors.WORKLIST_DAYS} else selectors.WORKLIST_DAYS[0]
    found = selectors.worklist(user=request.user, today=today, days=days)
    return render(
        request,
        "notifications/worklist.html",
        {
            "today": today,
            "days": days,
            "day_choices": selectors.WORKLIST_DAYS,
            "people": found["people"],
            # Each table a hundred rows a page: 90 days of a busy station hold thousands.
            "permits": Paginator(found["permits"], WORKLIST_PAGE).get_page(request.GET.get("permits_page")),
            "filings": Paginator(found["filings"], WORKLIST_PAGE).get_page(request.GET.get("filings_page")),
        },
    )


@permission_needed("django_celery_beat.view_periodictask")
def schedules(request: HttpRequest) -> HttpResponse:
    from django.contrib import messages
    from django_celery_beat.models import PeriodicTask

    from hukou_portal.core.exceptions import ApplicationError
    from hukou_portal.core.refusals import refusal_message

    if request.method == "POST":
        try:
            services.schedule_update(
                actor=request.user,
                task_id=int(request.POST.get("task", "0")),
                minute=request.POST.get("minute", "").strip(),
                hour=request.POST.get("hour", "").strip(),
                enabled=request.POST.get("enabled") == "on",
            )
        except ApplicationError as error:
            refusal_message(request, error)
        except (ValueError, PeriodicTask.DoesNotExist):
            messages.error(request, _("No such schedule."))
        return redirect("notifications:schedules")
    from hukou_portal.schedules import BY_NAME, SCHEDULES, timing_sentence

    position = {schedule.name: index for index, schedule in enumerate(SCHEDULES)}
    tasks = sorted(
        PeriodicTask.objects.select_related("crontab").exclude(name__startswith="celery."),
        key=lambda task: (position.get(task.name, len(position)), task.name),
    )
    rows = []
    for task in tasks:
        known = BY_NAME.get(task.name)
        rows.append(
            {
                "task": task,
                "label": known.label if known else task.description,
                "purpose": known.purpose if known else "",
                "timing": timing_sentence(minute=task.crontab.minute, hour=task.crontab.hour) if task.crontab else "",
            }
        )
    return render(request, "notifications/schedules.html", {"rows": rows})


@permission_needed("notifications.view_messagetemplate")
def message_templates(request: HttpRequest) -> HttpResponse:
    from django.contrib import messages

    from hukou_portal.core.exceptions import ApplicationError
    from hukou_portal.core.refusals import refusal_message

    from .models import MessageTemplate

    if request.method == "POST":
        try:
            services.message_template_update(
                actor=request.user,
                template_id=int(request.POST.get("template", "0")),
                text=request.POST.get("text", ""),
            )
        except ApplicationError as error:
            refusal_message(request, error)
        except (ValueError, MessageTemplate.DoesNotExist):
            messages.error(request, _("No such text."))
        else:
            messages.success(request, _("Text saved."))
        return redirect("notifications:message_templates")
    return render(
        request,
        "notifications/message_templates.html",
        {"templates": MessageTemplate.objects.order_by("kind", "channel")},
    )
