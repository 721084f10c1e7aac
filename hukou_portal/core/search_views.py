"""The header search's view. It answers a POST, so a full ID number typed into the box never
appears in a URL, the browser history or an access log."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hukou_portal.people import id_numbers
from hukou_portal.people.services import person_record_found_by_id_number

from .redaction import spelled_id_number
from .search import MAX_QUERY_LENGTH, RESULTS_PER_KIND, SearchResults, search_for_user
from .throttling import rate_limit


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Case number, ID number or name"), max_length=MAX_QUERY_LENGTH, strip=True)


@never_cache
@login_required
@rate_limit("search", per="user")
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """One result: go to it. Several: a page grouped by kind. None: say so in Chinese."""
    form = SearchForm(request.POST if request.method == "POST" else None)
    results: SearchResults | None = None
    shown_query = ""
    typed_id_number = False
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        results = search_for_user(user=request.user, query=query)
        if results.person_by_id_number is not None:
            person_record_found_by_id_number(actor=request.user, person=results.person_by_id_number)
        target = results.only_url()
        if target is not None:
            return redirect(target)
        # The page may repeat what was typed, but never a whole ID number: a name or a number
        # stays in the box to be corrected, an ID number is cleared.
        typed_number = spelled_id_number(query)
        typed_id_number = typed_number is not None
        shown_query = id_numbers.mask(typed_number) if typed_number else query
        form = SearchForm() if typed_id_number else SearchForm(initial={"q": query})
    return render(
        request,
        "core/search_results.html",
        {
            "form": form,
            "results": results,
            "shown_query": shown_query,
            "limit": RESULTS_PER_KIND,
            # A whole ID number that found nobody the user's offices served: the city register's
            # lookup (with a reason) may know them (全域就近办).
            "offer_lookup": typed_id_number and request.user.has_perm("people.view_person"),
        },
        status=200,
    )
