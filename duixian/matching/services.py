"""Writes of the matching app: a member's choice of channels (audited)."""

from __future__ import annotations

from django.db import transaction

from duixian.audit.services import audit_record

from .models import ChannelPreference


@transaction.atomic
def channels_set(user, *, in_app: bool, email: bool, sms: bool, request=None) -> ChannelPreference:
    preference, _created = ChannelPreference.objects.select_for_update().get_or_create(user=user)
    preference.in_app, preference.email, preference.sms = in_app, email, sms
    preference.save()
    audit_record("matching.channels.set", user=user, request=request, obj=preference,
                 detail={"in_app": in_app, "email": email, "sms": sms})
    return preference
