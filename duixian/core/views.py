"""Public pages (home, notice) and the signed-in landing page."""

from pathlib import Path

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

NOTICE_FILE = Path(__file__).resolve().parent.parent / "policy" / "packs" / "anhui-2026-notice.txt"


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


@login_not_required
@requires("anyone")
def notice(request):
    return render(request, "core/notice.html", {"pack": current_pack(), "text": NOTICE_FILE.read_text(encoding="utf-8")})


@login_not_required
@requires("anyone")
def notice_text(request):
    return HttpResponse(NOTICE_FILE.read_bytes(), content_type="text/plain; charset=utf-8")


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
