"""The member's choice of how the matching tells them (the matches themselves are on the dashboard)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from duixian.matching.forms import ChannelsForm
from duixian.authz import requires
from duixian.matching.selectors import channel_preference
from duixian.matching.services import channels_set


@requires("matching.channels")
def channels(request):
    current = channel_preference(request.user)
    form = ChannelsForm(request.POST or None, initial={"in_app": current.in_app, "email": current.email,
                                                       "sms": current.sms})
    if request.method == "POST" and form.is_valid():
        channels_set(request.user, request=request, **form.cleaned_data)
        messages.success(request, _("通知方式已保存。"))
        return redirect("matching:channels")
    return render(request, "matching/channels.html", {"form": form})
