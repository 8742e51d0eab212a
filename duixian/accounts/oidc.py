"""The OpenID Connect client of the unified identity service (统一身份认证), through Authlib.

Everything about talking to the provider is here: the authorisation redirect (state, nonce and
a PKCE S256 challenge kept in the session), the code exchange (Authlib checks the state against
the session, the ID token's signature, issuer, audience, expiry and nonce), the end-session URL
for RP-initiated logout, and the translation of the ID token's claims into an `Identity`, with
the claim names from settings. What an identity means on the platform is `accounts.identity`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _

from duixian.core.errors import DomainError

# Where the ID token of the current sign-in is kept (the end-session request names it).
ID_TOKEN_SESSION_KEY = "_duixian_oidc_id_token"


class OidcError(DomainError):
    """A refused sign-in: the Chinese message the person sees; its `code` (also `reason`) is the
    short reason the audit event records (`state`, `nonce`, `provider: …`)."""

    def __init__(self, message: str, reason: str):
        super().__init__(message, code=reason)

    @property
    def reason(self) -> str:
        return self.code


@dataclass(frozen=True)
class Identity:
    """What the provider asserted about the person signing in (from the verified ID token)."""

    issuer: str
    subject: str
    name: str = ""
    phone: str = ""
    uscc: str = ""  # a legal-person (法人) login names its organisation's code
    org_name: str = ""
    acr: str = ""
    amr: tuple[str, ...] = ()

    @property
    def legal_person(self) -> bool:
        return bool(self.uscc)

    @property
    def second_factor(self) -> str:
        """The asserted second factor ("acr=…" or "amr=…"), or "" when the provider asserted none
        that settings count (OIDC_MFA_ACR, OIDC_MFA_AMR)."""
        if self.acr and self.acr in settings.OIDC_MFA_ACR:
            return f"acr={self.acr}"
        counted = [method for method in self.amr if method in settings.OIDC_MFA_AMR]
        return "amr=" + ",".join(counted) if counted else ""

    def as_session(self) -> dict:
        return {"issuer": self.issuer, "subject": self.subject, "name": self.name, "phone": self.phone,
                "uscc": self.uscc, "org_name": self.org_name, "acr": self.acr, "amr": list(self.amr)}

    @classmethod
    def from_session(cls, data: dict) -> Identity:
        return cls(**{**data, "amr": tuple(data.get("amr") or ())})

    def audit_detail(self) -> dict:
        return {"issuer": self.issuer, "subject": self.subject, "uscc": self.uscc, "acr": self.acr,
                "amr": list(self.amr), "second_factor": self.second_factor}


# The error codes a provider may send back (RFC 6749 4.1.2.1 and 5.2, OpenID Connect Core 3.1.2.6).
# The return address is public, so anything else in its `error` parameter is a link's own text:
# neither shown as the service's words nor written into the audit trail.
ERROR_CODES = frozenset({
    "invalid_request", "unauthorized_client", "access_denied", "unsupported_response_type", "invalid_scope",
    "server_error", "temporarily_unavailable", "invalid_client", "invalid_grant", "unsupported_grant_type",
    "interaction_required", "login_required", "account_selection_required", "consent_required",
    "invalid_request_uri", "invalid_request_object", "request_not_supported", "request_uri_not_supported",
    "registration_not_supported"})


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def _client():
    return _registered(settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET,
                       settings.OIDC_SCOPES, settings.OIDC_TIMEOUT_SECONDS)


@lru_cache(maxsize=4)
def _registered(issuer: str, client_id: str, client_secret: str, scopes: str, timeout: int):
    """One Authlib client per configuration; it caches the provider's metadata and keys."""
    from authlib.integrations.django_client import OAuth

    registry = OAuth()
    return registry.register(
        name="unified_identity",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": scopes, "code_challenge_method": "S256", "timeout": timeout},
    )


def authorize_redirect(request, redirect_uri: str):
    """The redirect to the provider's sign-in page; state, nonce and the PKCE verifier go to the session."""
    try:
        return _client().authorize_redirect(request, redirect_uri)
    except Exception as error:  # noqa: BLE001 - the provider is down or its metadata is wrong
        raise OidcError(_("暂时无法连接统一身份认证服务，请稍后再试，或使用本平台账号密码登录。"),
                        f"unreachable: {type(error).__name__}") from error


def identity_from_callback(request) -> tuple[Identity, str]:
    """Check the provider's answer at the redirect URI and exchange the code; returns the identity
    and the raw ID token. Raises OidcError for a refusal at the provider, a state that is not this
    browser's, a token whose signature, issuer, audience, expiry or nonce does not hold."""
    from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
    from joserfc.errors import ClaimError, JoseError

    try:
        token = _client().authorize_access_token(request)
    except MismatchingStateError as error:
        raise OidcError(_("登录请求已失效或不是从本浏览器发起的（state 校验未通过），请重新登录。"), "state") from error
    except OAuthError as error:
        if error.error == "access_denied":
            raise OidcError(_("您在统一身份认证页面取消了授权，未登录。"), "access_denied") from error
        code = error.error if error.error in ERROR_CODES else "unknown"
        raise OidcError(_("统一身份认证服务拒绝了本次登录（%(error)s），请重新登录。") % {"error": code},
                        f"provider: {code}") from error
    except JoseError as error:
        reason = "nonce" if isinstance(error, ClaimError) and getattr(error, "claim", "") == "nonce" else f"id_token: {error.error}"
        raise OidcError(_("统一身份认证返回的身份凭证校验未通过（%(what)s），本次登录无效，请重新登录。")
                        % {"what": "nonce" if reason == "nonce" else _("签名、签发方或有效期")}, reason) from error
    except Exception as error:  # noqa: BLE001 - the token endpoint failed or answered nonsense
        raise OidcError(_("暂时无法完成统一身份认证登录，请稍后再试，或使用本平台账号密码登录。"),
                        f"exchange: {type(error).__name__}") from error
    claims = token.get("userinfo")
    if not claims or not token.get("id_token"):
        raise OidcError(_("统一身份认证没有返回身份凭证（ID Token），无法登录。"), "no_id_token")
    return identity_from_claims(claims), token["id_token"]


def _text(claims: dict, name: str) -> str:
    value = claims.get(name)
    return str(value).strip() if value not in (None, "") else ""


def _verified_phone(claims: dict) -> str:
    """The phone claim, unless the provider marks it unverified (`<phone claim>_verified`, as
    OpenID Connect's phone_number_verified, false): a typed, unchecked number must not match a
    member's phone and sign in as that member. A provider that sends no such flag asserts its
    phone claim is the real-name-verified one (docs/deploy.md)."""
    flag = claims.get(f"{settings.OIDC_CLAIM_PHONE}_verified")
    if flag is not None and str(flag).strip().lower() in ("false", "0", ""):
        return ""
    return _text(claims, settings.OIDC_CLAIM_PHONE)


def identity_from_claims(claims: dict) -> Identity:
    subject = _text(claims, settings.OIDC_CLAIM_SUBJECT)
    if not subject:
        raise OidcError(_("统一身份认证没有返回本人的身份标识，无法登录。"), "no_subject")
    amr = claims.get("amr") or ()
    return Identity(
        issuer=_text(claims, "iss"), subject=subject,
        name=_text(claims, settings.OIDC_CLAIM_NAME), phone=_verified_phone(claims),
        uscc=_text(claims, settings.OIDC_CLAIM_USCC).upper(), org_name=_text(claims, settings.OIDC_CLAIM_ORG_NAME),
        acr=_text(claims, "acr"), amr=tuple(str(m) for m in (amr if isinstance(amr, (list, tuple)) else [amr])),
    )


def logout_url(id_token: str, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session URL for RP-initiated logout, or None where it has none."""
    try:
        client = _client()
        if not client.load_server_metadata().get("end_session_endpoint"):
            return None
        return client.create_logout_url(post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=id_token,
                                        client_id=settings.OIDC_CLIENT_ID)["url"]
    except Exception:  # noqa: BLE001 - our own session is over either way
        import logging

        logging.getLogger(__name__).warning("OIDC end-session URL unavailable", exc_info=True)
        return None
