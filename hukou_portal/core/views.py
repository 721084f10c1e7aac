from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from hukou_portal.accounts.roles import Role

from .context_processors import navigation_for
from .today import DUE_SOON_WORKING_DAYS, today_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What to do today: capped counts of the user's work, each linking to the filtered list,
    then the pages the user's roles open, each with what it is for."""
    user = request.user
    roles = [Role(role).label for role in Role.values if role in user.roles]
    pages = [
        {"label": entry.get("group_label", entry["label"]), "links": entry.get("entries") or [entry]}
        for entry in navigation_for(user)[1:]  # without Home
    ]
    return render(
        request,
        "core/home.html",
        {
            "role_labels": roles,
            "today": today_for_user(user=user),
            "due_soon_days": DUE_SOON_WORKING_DAYS,
            "pages": pages,
        },
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page has no <link rel="icon"> (a PDF, a JSON answer)."""
    return redirect(static("portal/favicon.ico"), permanent=True)
