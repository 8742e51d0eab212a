"""Machine clients (e.g. the provincial compute scheduling platform) and their API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duixian.core.fields import PlatformDateTimeField


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class MachineToken(models.Model):
    """Only the SHA-256 of a token is stored; the token itself is shown once at creation."""

    name = models.CharField(_("客户端名称"), max_length=100)
    scope = models.CharField(_("权限范围"), max_length=40, help_text=_("例如 metering:write"))
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = PlatformDateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, name: str, scope: str, *, created_by=None) -> tuple["MachineToken", str]:
        raw = "dx_" + secrets.token_urlsafe(32)
        return cls.objects.create(name=name, scope=scope, digest=_digest(raw), created_by=created_by), raw

    @classmethod
    def find(cls, raw: str, scope: str) -> "MachineToken | None":
        return cls.objects.filter(digest=_digest(raw), scope=scope, revoked_at__isnull=True).first()
