"""Undoing unified identity bindings (统一身份认证, `IdentityLink`): by the account's holder, by
the system administrator, and on a password change or reset. Each removal is audited
(`oidc.unlink`, with whose identity it was and why).

A password change or reset removes every binding except the one made when the account was
registered through the service. A binding confirmed with the password (`password`) may have been
made by anyone who knew the old password; it must not outlive it. A binding by the member's phone
(`member_phone`) is made again by itself at the next legal-person sign-in while the verified phone
still matches the account's, so removing it costs the holder nothing and also covers a phone
someone holding the password changed. The registration binding is the identity that created the
account (nobody else's password made it) and, for an account registered without a password, its
way in.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from duixian.accounts.models import IdentityLink, User
from duixian.audit.services import audit_record
from duixian.core.errors import DomainError


class UnlinkError(DomainError):
    """A removal refused: the account's only way in."""


def _audit(link: IdentityLink, *, by, reason: str, request=None, outcome: str = "success") -> None:
    audit_record("oidc.unlink", user=by, request=request, obj=link.user, outcome=outcome,
                 detail={"issuer": link.issuer, "subject": link.subject, "method": link.method,
                         "account": link.user.username, "reason": reason})


def identity_unlink(link: IdentityLink, *, by: User, request=None) -> None:
    """Remove one binding: by its account's holder (`by` is the account) or the system
    administrator. An account without a password keeps its last binding: its only way in."""
    reason = "holder" if by.pk == link.user_id else "administrator"
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=link.user_id)
        only_way_in = not user.has_usable_password() and IdentityLink.objects.filter(user=user).count() <= 1
        if not only_way_in:
            link.delete()
            _audit(link, by=by, reason=reason, request=request)
    if only_way_in:  # audited outside the transaction, which a refusal would roll back
        _audit(link, by=by, reason=reason, request=request, outcome="failure")
        if reason == "holder":
            raise UnlinkError(_("您的账号没有本平台密码，这是唯一的登录方式，不能解除。"
                                "如需更换统一身份认证身份，请联系系统管理员。"))
        raise UnlinkError(_("该账号没有本平台密码，这是唯一的登录方式，不能解除。"
                            "可先发送密码重置链接，由本人设置密码后再解除。"))
    _end_sessions_signed_in_with(link, keep=getattr(getattr(request, "session", None), "session_key", None))


def _end_sessions_signed_in_with(link: IdentityLink, *, keep: str | None) -> None:
    """Sign out whoever is signed in through the removed identity (but the session removing it):
    removing a stranger's binding must also end the session it gave them. (A password change
    ends them anyway: Django ties sessions to the password.)"""
    from duixian.accounts.identity import IDENTITY_SESSION_KEY
    from duixian.accounts.sessions import end_sessions

    signed_in_with = [link.issuer, link.subject]
    end_sessions(link.user, where=lambda data: data.get(IDENTITY_SESSION_KEY) == signed_in_with, keep=keep)


def unlink_after_password_set(user: User, *, reason: str, request=None) -> list[str]:
    """After a password change (`password_change`) or reset (`password_reset`): remove every
    binding but the registration's (see the module's note); returns whose identities were removed."""
    removed = []
    with transaction.atomic():
        for link in IdentityLink.objects.filter(user=user).exclude(method=IdentityLink.Method.REGISTRATION):
            link.delete()
            _audit(link, by=user, reason=reason, request=request)
            removed.append(link.display)
    return removed


def removed_message(removed: list[str]) -> str:
    return _("为防止知道旧密码的人继续登录，以下统一身份认证绑定已解除：%(who)s。如需继续通过统一身份认证登录，"
             "请退出后选择统一身份认证登录，并用新密码确认绑定。") % {"who": "；".join(removed)}
