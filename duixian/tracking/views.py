"""Where is my application: the public lookup by 受理编号, the 好差评 form, the province's ratings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duixian.authz import requires
from duixian.applications.selectors import application_of
from duixian.core import ratelimit
from duixian.tracking import selectors
from duixian.tracking.forms import RatingForm, StatusLookupForm
from duixian.tracking.lookup import status_lookup
from duixian.tracking.models import RatedStage
from duixian.tracking.services import RatingRefused, rating_submit


@login_not_required
@requires("anyone")
@ratelimit.ratelimit(setting="RATE_LIMIT_STATUS_LOOKUP", scope="tracking.lookup")  # anonymous: per address
def lookup(request):
    form = StatusLookupForm(request.GET or None)
    found, searched = None, False
    if form.is_bound and form.is_valid():
        searched = True
        found = status_lookup(form.cleaned_data["reference"], form.cleaned_data["uscc"], request=request)
    return render(request, "tracking/lookup.html", {"form": form, "found": found, "searched": searched})


def _to_status(request, app, decision):
    messages.error(request, decision.reason)
    return redirect("applications:status", pk=app.pk)


@require_POST
@requires("tracking.rate", application_of, refused=_to_status)
def rate(request, app, **_url):
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            rating_submit(app, stage=form.cleaned_data["stage"], score=form.cleaned_data["score"],
                          comment=form.cleaned_data["comment"], user=request.user, request=request)
        except RatingRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("感谢您的评价。"))
    return redirect("applications:status", pk=app.pk)


@requires("tracking.ratings")
def ratings(request):
    return render(request, "tracking/ratings.html", {
        "rows": selectors.ratings_by_city_and_stage(), "stages": RatedStage.choices,
        "comments": selectors.recent_comments()})
