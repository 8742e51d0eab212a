"""The audit trail: append-only rows, each carrying the SM3 hash of the one before it.

A row is written inside the business transaction it records (so it exists exactly when the
change does) with its chain fields empty; right after commit it is sealed: given the next
`seq`, the previous row's hash and its own. Writers therefore never wait on each other's
transactions; only the short sealing step is serialised.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("序号"), unique=True, null=True, blank=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    username = models.CharField(_("用户"), max_length=150, blank=True, db_index=True)
    role = models.CharField(_("角色"), max_length=20, blank=True)
    organisation_id = models.BigIntegerField(_("单位"), null=True, blank=True)
    city_code = models.CharField(_("地市"), max_length=6, blank=True)
    ip = models.CharField(_("IP 地址"), max_length=45, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象"), max_length=64, blank=True)
    outcome = models.CharField(_("结果"), max_length=20, default="success")
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    # Unique: a row can be followed only once, so two concurrent sealers cannot fork the chain.
    prev_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["id"]

    @property
    def role_label(self) -> str:
        """The role in words (审计管理员), as the audit administrator reads it; an unknown key as stored."""
        from duixian.authz.roles import Role

        return str(Role(self.role).label) if self.role in Role.values else self.role

    @property
    def outcome_label(self) -> str:
        from duixian.audit.forms import OUTCOMES

        return str(dict(OUTCOMES).get(self.outcome) or self.outcome) if self.outcome else ""

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除。")
