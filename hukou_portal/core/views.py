from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hukou_portal.accounts.roles import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = [Role(role).label for role in Role.values if role in user.roles]
    return render(request, "core/home.html", {"role_labels": roles})
