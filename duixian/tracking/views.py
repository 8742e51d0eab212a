"""Where is my application: the public lookup by 受理编号, the 好差评 form, the province's ratings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duixian.applications.models import Application
from duixian.applications.permissions import can_view_application
from duixian.core import ratelimit
from duixian.tracking import selectors
from duixian.tracking.forms import RatingForm, StatusLookupForm
from duixian.tracking.lookup import status_lookup
from duixian.tracking.models import RatedStage
from duixian.tracking.permissions import can_view_ratings
from duixian.tracking.services import RatingRefused, rating_submit


@login_not_required
@ratelimit.ratelimit(setting="RATE_LIMIT_STATUS_LOOKUP", scope="tracking.lookup")  # anonymous: per address
def lookup(request):
    form = StatusLookupForm(request.GET or None)
    found, searched = None, False
    if form.is_bound and form.is_valid():
        searched = True
        found = status_lookup(form.cleaned_data["reference"], form.cleaned_data["uscc"], request=request)
    return render(request, "tracking/lookup.html", {"form": form, "found": found, "searched": searched})


@require_POST
def rate(request, pk: int):
    app = get_object_or_404(Application, pk=pk)
    if not can_view_application(request.user, app)[0]:
        raise Http404(_("申报不存在。"))
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


def ratings(request):
    allowed, reason = can_view_ratings(request.user)
    if not allowed:
        raise Http404(reason)
    return render(request, "tracking/ratings.html", {
        "rows": selectors.ratings_by_city_and_stage(), "stages": RatedStage.choices,
        "comments": selectors.recent_comments()})
