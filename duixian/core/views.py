"""Public pages (home, notice) and the signed-in landing page."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duixian.authz import requires
from duixian.core import clock
from duixian.core.batches import batches, current_pack
from duixian.core.dashboard import dashboard_links, dashboard_panels
from duixian.core.forms import AnnouncementForm, DemoClockForm
from duixian.core.models import Announcement, AnnouncementKind
from duixian.core.phases import batch_phase, deadline_statement


def _batch_rows(now) -> list[dict]:
    """Each batch with its phase at `now`."""
    return [{"pack": pack, "phase": batch_phase(pack, now)} for pack in batches()]


@login_not_required
@requires("anyone")
def home(request):
    pack = current_pack()
    now = clock.now()
    visible = Announcement.objects.filter(published=True)
    return render(request, "core/home.html", {
        "pack": pack,
        "now": now,
        "phase": batch_phase(pack, now),
        "close_statement": deadline_statement(pack.application_close),
        "batch_rows": _batch_rows(now),
        "notices": visible.filter(kind=AnnouncementKind.NOTICE),
        "faqs": visible.filter(kind=AnnouncementKind.FAQ),
    })


def _chosen_batch(request):
    """The batch `?batch=` names among the running ones, else the default batch; and every batch."""
    every = batches()
    wanted = request.GET.get("batch", "")
    return next((p for p in every if wanted and p.batch_id == wanted), None) or current_pack(), every


@login_not_required
@requires("anyone")
def notice(request):
    """The chosen batch's notice as its pack carries it (`notice_text`); with several batches, a
    selector. A pack without the full text is pointed to its sentences (policy:notice)."""
    pack, every = _chosen_batch(request)
    return render(request, "core/notice.html", {
        "pack": pack, "batch": pack, "batches": every, "text": pack.notice_text,
        "batch_query": f"?{urlencode({'batch': pack.batch_id})}" if len(every) > 1 else "",
    })


@login_not_required
@requires("anyone")
def notice_text(request):
    """The chosen batch's notice as plain text (UTF-8), as the pack carries it; 404 without one."""
    pack, _every = _chosen_batch(request)
    if not pack.notice_text:
        raise Http404(_("本批次的政策包没有附通知全文。"))
    return HttpResponse(pack.notice_text.encode("utf-8"), content_type="text/plain; charset=utf-8")


@requires("signed_in")
def dashboard(request):
    pack = current_pack()
    now = clock.now()
    return render(request, "core/dashboard.html", {
        "pack": pack, "now": now, "phase": batch_phase(pack, now), "dashboard_links": dashboard_links(request.user),
        "batch_rows": _batch_rows(now), "dashboard_panels": dashboard_panels(request.user),
    })


@requires("core.announcements")
def announcements(request):
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from duixian.core.services import announcement_publish

        announcement_publish(form, user=request.user, request=request)
        messages.success(request, _("公告已发布。"))
        return redirect("core:announcements")
    return render(request, "core/announcements.html", {"form": form, "items": Announcement.objects.all()})


@require_POST
@requires("core.announcements")
def announcement_withdraw(request, pk: int):
    from duixian.core.services import announcement_withdraw as withdraw

    try:
        withdraw(pk, user=request.user, request=request)
    except Announcement.DoesNotExist:
        raise Http404(_("公告不存在。")) from None
    messages.success(request, _("公告已撤下。"))
    return redirect("core:announcements")


@requires("core.demo_clock")
def demo_clock(request):
    if not clock.demo_enabled():
        raise Http404(_("演示时钟仅在演示模式下可用。"))
    form = DemoClockForm(request.POST or None, pack=current_pack())
    if request.method == "POST" and form.is_valid():
        from duixian.core.services import demo_clock_move

        said = demo_clock_move(form.cleaned_data["moment"], user=request.user, request=request)
        messages.success(request, _("演示时钟已调整。"))
        for sentence in said:
            messages.info(request, sentence)
        return redirect("core:demo_clock")
    return render(request, "core/demo_clock.html", {"form": form})
