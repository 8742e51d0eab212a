"""What the matching told an organisation, and how each member wants to be told."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duixian.core.fields import PlatformDateTimeField


class MatchEvent(models.TextChoices):
    BATCH_OPENED = "batch_opened", _("新批次开放申报")
    CLAUSE_POSSIBLE = "clause_possible", _("单位信息变更后新的可能符合条款")


class MatchNotice(models.Model):
    """One message sent to an organisation: never sent twice for the same batch (and clause)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("申报单位"))
    event = models.CharField(_("事件"), max_length=20, choices=MatchEvent.choices)
    batch_id = models.CharField(_("批次"), max_length=40)
    clause = models.CharField(_("条款"), max_length=4, blank=True)  # blank: the whole batch
    standings = models.JSONField(_("匹配结果"), default=dict, blank=True)  # clause → standing when sent
    delivered = models.JSONField(_("送达渠道"), default=dict, blank=True)  # channel → how many members
    created_at = PlatformDateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政策匹配通知")
        verbose_name_plural = _("政策匹配通知")
        constraints = [models.UniqueConstraint(fields=["organisation", "event", "batch_id", "clause"],
                                               name="one_match_notice_per_batch_clause")]


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class ChannelPreference(models.Model):
    """A member's choice of channels for the matching's messages; no row: every channel."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_channels")
    in_app = models.BooleanField(_("站内消息"), default=True)
    email = models.BooleanField(_("电子邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=True)
    updated_at = PlatformDateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政策匹配通知渠道")
        verbose_name_plural = _("政策匹配通知渠道")

    def allows(self, channel: str) -> bool:
        return bool(getattr(self, channel))
