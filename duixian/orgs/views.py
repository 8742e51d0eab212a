"""Organisation pages: registration, the organisation's own page, people, profile, clerk review.

Views are thin: each declares the action that guards it (``@requires``, duixian/orgs/permissions.py;
another organisation's or city's object answers 404) and calls services; domain errors come back as messages beside their fields.
"""

from __future__ import annotations

from functools import wraps
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from duixian.authz import check, requires
from duixian.accounts.identity import pending as pending_identity, sign_in as identity_sign_in
from duixian.accounts.models import User
from duixian.authz.roles import Role
from duixian.audit.services import audit_record
from duixian.core.errors import add_to_form
from duixian.core.ratelimit import ratelimit
from duixian.orgs import permissions, selectors, services
from duixian.orgs.consent import CONSENT_TEXT
from duixian.orgs.forms import (
    CityForm,
    InvitationForm,
    JoinForm,
    LetterForm,
    ProfileForm,
    RegistrationForm,
    RejectForm,
    TransferForm,
)
from duixian.orgs.models import PRIOR_SUPPORT_CHOICES, AuthorityLetter, Invitation, OrgKind, OrgRole, OrgStatus, Organisation

try:  # django-csp, when its middleware is on, must allow the 授权书 to be framed by our own pages
    from csp.decorators import csp_replace
except ImportError:  # pragma: no cover
    def csp_replace(**_kwargs):
        return lambda view: view

LOGIN_BACKEND = "duixian.accounts.backends.AccountBackend"


def organisation_of(pk, **_url) -> Organisation | None:
    return Organisation.objects.filter(pk=pk).first()


def letter_of(pk, **_url) -> AuthorityLetter | None:
    return AuthorityLetter.objects.select_related("organisation").filter(pk=pk).first()


def _staff_to_review_list(view):
    """The clerks and the province, who have no organisation of their own, look at organisations
    through the registration review: /orgs/mine/ takes them there (a way, not a permission)."""

    @wraps(view)
    def redirected(request, *args, **kwargs):
        if getattr(request.user, "role", None) in (Role.CITY_CLERK, Role.PROVINCE):
            return redirect("orgs:review_list")
        return view(request, *args, **kwargs)

    return redirected


# --- registration -------------------------------------------------------------

@login_not_required
@requires("anyone")
@ratelimit(setting="RATE_LIMIT_REGISTER", methods=("POST",), scope="orgs.register")  # anonymous: per address
def register(request):
    if request.user.is_authenticated:
        messages.info(request, _("您已登录。如需为另一个单位注册，请先退出当前账号。"))
        return redirect("core:dashboard")
    waiting = pending_identity(request)  # a legal person the unified identity service verified
    person, id_token = waiting if waiting and waiting[0].legal_person else (None, "")
    form = RegistrationForm(request.POST or None, identity=person)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.Registration(
            uscc=d["uscc"], name=d["name"].strip(), kind=d["kind"], city_code=d["city_code"],
            address=d["address"].strip(), legal_representative=d["legal_representative"].strip(),
            contact_phone=d["contact_phone"], username=d["username"], full_name=d["full_name"].strip(),
            phone=d["phone"], password=d.get("password1", ""), consent_version=d["consent_version"],
            relocated_to_anhui=d["relocated_to_anhui"],
            independent_legal_person=d.get("independent_legal_person"), agi_enterprise=d.get("agi_enterprise"),
            affiliates=tuple(d.get("affiliates") or ()), identity=person,
        )
        try:
            org, user = services.organisation_register(data, request=request)
        except services.OrgError as exc:
            add_to_form(form, exc)
        else:
            if person is None:
                login(request, user, backend=LOGIN_BACKEND)
            else:
                identity_sign_in(request, user, person, id_token, method="registration")
            if org.in_anhui is False and not org.city_code:
                messages.warning(request, _("注册已记录。根据统一社会信用代码，贵单位在安徽省外登记注册，不能申报本批次"
                                            "安徽省政策兑现。"))
            else:
                messages.success(request, _("注册成功。请上传加盖单位公章的授权书，经所属地市科技局确认后即可提交申报。"))
            return redirect("orgs:mine")
    return render(request, "orgs/register.html", {"form": form, "consent_text": CONSENT_TEXT, "identity": person})


# --- the organisation's own page ------------------------------------------------

@_staff_to_review_list
@requires("organisation.own")
def mine(request):
    return _organisation_page(request, request.user.organisation)


def _organisation_page(request, org, *, letter_form=None, reject_form=None, transfer_form=None, city_form=None,
                       status=200):
    user = request.user
    can_submit, submit_reason = permissions.organisation_can_submit(org)
    can_upload = check(user, "organisation.letter_upload", org).allowed
    can_review = check(user, "organisation.review", org).allowed
    can_transfer = check(user, "organisation.transfer", org).allowed
    can_change_city = (org.city_chosen and org.status != OrgStatus.CONFIRMED
                       and check(user, "organisation.city").allowed and permissions.is_member(user, org))
    context = {
        "org": org,
        "city_name": selectors.city_name(org.city_code),
        "contact": selectors.city_contact(org.city_code),
        "letter": selectors.current_letter(org),
        "letters": org.authority_letters.select_related("uploaded_by", "reviewed_by"),
        "can_submit": can_submit,
        "submit_reason": submit_reason,
        "is_member": permissions.is_member(user, org),
        "my_role": permissions.member_role(user),
        "can_upload": can_upload,
        "letter_form": letter_form or (LetterForm() if can_upload else None),
        "can_review": can_review and org.status == OrgStatus.PENDING,
        "reject_form": reject_form or RejectForm(),
        "can_transfer": can_transfer,
        "transfer_form": transfer_form or (TransferForm(org=org) if can_transfer else None),
        "members": selectors.organisation_members(org),
        "facts": _fact_rows(org),
        "changes_after_confirmation": _changes_after_confirmation(org),
        "can_change_city": can_change_city,
        "city_form": city_form or (CityForm(initial={"city_code": org.city_code}) if can_change_city else None),
    }
    return render(request, "orgs/organisation.html", context, status=status)


@require_POST
@requires("organisation.own")
def letter_upload(request):
    org = request.user.organisation
    allowed, reason = check(request.user, "organisation.letter_upload", org)
    if not allowed:
        messages.error(request, reason)
        return redirect("orgs:mine")
    form = LetterForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.authority_letter_upload(org, form.cleaned_data["file"], user=request.user, request=request)
        except services.OrgError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("授权书已上传，等待所属地市科技局确认。"))
            return redirect("orgs:mine")
    return _organisation_page(request, org, letter_form=form, status=400)


@require_POST
@requires("organisation.city")
def change_city(request):
    org = request.user.organisation
    form = CityForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_change_city(org, form.cleaned_data["city_code"], user=request.user, request=request)
        except services.OrgError as exc:
            if not org.city_chosen or org.status == OrgStatus.CONFIRMED:
                messages.error(request, exc.message)  # no city form on the page any more
                return redirect("orgs:mine")
            add_to_form(form, exc)
        else:
            messages.success(request, _("所在地市已更改，将由该市科技局确认。"))
            return redirect("orgs:mine")
    return _organisation_page(request, org, city_form=form, status=400)


@xframe_options_sameorigin
@csp_replace(FRAME_ANCESTORS="'self'", OBJECT_SRC="'self'")
@requires("organisation.letter", letter_of)
def letter_file(request, letter, **_url):
    """The 授权书 itself, inline (framed only by our own pages), for those who may see the organisation."""
    try:
        handle = default_storage.open(letter.file.name, "rb")
    except FileNotFoundError:
        raise Http404(_("文件不存在。")) from None
    audit_record("org.authority_letter.view", user=request.user, request=request, obj=letter.organisation,
                 detail={"letter_id": letter.pk})
    suffix = PurePosixPath(letter.file.name).suffix
    response = FileResponse(handle, content_type=letter.content_type, as_attachment=False,
                            filename=f"authority-letter-{letter.organisation_id}-{letter.pk}{suffix}")
    response["Cache-Control"] = "private, no-store"
    return response


# --- clerk side -------------------------------------------------------------------

@requires("organisation.review_list")
def review_list(request):
    user = request.user
    cities = [user.city_code] if user.role == Role.CITY_CLERK else None  # the province: every city
    qs = Organisation.objects.all() if cities is None else Organisation.objects.filter(city_code__in=cities)
    awaiting = qs.filter(status=OrgStatus.PENDING, authority_letters__status="pending").distinct().order_by("created_at")
    without_letter = (qs.filter(status=OrgStatus.PENDING).exclude(authority_letters__status="pending")
                      .order_by("created_at"))
    decided = qs.exclude(status=OrgStatus.PENDING).order_by("-confirmed_at", "name")[:200]
    return render(request, "orgs/review_list.html", {
        "awaiting": awaiting, "without_letter": without_letter, "decided": decided,
        "city_name": selectors.city_name(user.city_code) if cities else _("全省"),
        "is_clerk": user.role == Role.CITY_CLERK,
    })


@xframe_options_sameorigin
@csp_replace(FRAME_SRC="'self'")
@requires("organisation.view", organisation_of)
def review(request, org, **_url):
    return _organisation_page(request, org)


@require_POST
@requires("organisation.review", organisation_of)
def confirm(request, org, **_url):
    try:
        services.organisation_confirm(org, user=request.user, request=request)
    except services.OrgError as exc:
        messages.error(request, exc.message)
        return redirect("orgs:review", pk=org.pk)
    messages.success(request, _("已确认“%(org)s”的注册和授权书，该单位现在可以提交申报。") % {"org": org.name})
    return redirect("orgs:review_list")


@require_POST
@requires("organisation.review", organisation_of)
def reject(request, org, **_url):
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_reject(org, form.cleaned_data["reason"], user=request.user, request=request)
        except services.OrgError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("已退回“%(org)s”的授权书，申报单位将看到您填写的原因。") % {"org": org.name})
            return redirect("orgs:review_list")
    return _organisation_page(request, org, reject_form=form, status=400)


@require_POST
@requires("organisation.transfer", organisation_of)
def transfer(request, org, **_url):
    form = TransferForm(request.POST, org=org)
    if form.is_valid():
        try:
            services.organisation_transfer_ownership(org, form.cleaned_data["member"], user=request.user,
                                                     request=request)
        except services.OrgError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("经办人已变更。"))
            return redirect("orgs:review", pk=org.pk)
    return _organisation_page(request, org, transfer_form=form, status=400)


# --- people ------------------------------------------------------------------------

@requires("organisation.own")
def people(request):
    org = request.user.organisation
    can_manage = check(request.user, "organisation.people", org).allowed
    form = InvitationForm(request.POST or None)
    invite_url = None
    if request.method == "POST":
        if not can_manage:
            raise Http404(_("只有本单位经办人可以邀请成员。"))
        if form.is_valid():
            _invitation, token = services.invitation_create(
                org, form.cleaned_data["role"], form.cleaned_data["note"], user=request.user, request=request)
            invite_url = request.build_absolute_uri(reverse("orgs:join", args=[token]))
            form = InvitationForm()
    invitations = org.invitations.filter(used_at__isnull=True, revoked_at__isnull=True) if can_manage else []
    return render(request, "orgs/people.html", {
        "org": org, "members": selectors.organisation_members(org), "can_manage": can_manage, "form": form,
        "invite_url": invite_url, "invitations": invitations, "role_choices": [OrgRole.EDITOR, OrgRole.VIEWER],
    })


def member_of(user_id, **_url) -> User | None:
    return User.objects.select_related("organisation").filter(pk=user_id).first()


def invitation_of(pk, **_url) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(pk=pk).first()


@require_POST
@requires("organisation.people", member_of)
def member_remove(request, member, **_url):
    org = member.organisation
    try:
        services.member_remove(org, member, user=request.user, request=request)
    except services.OrgError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已移除“%(member)s”，其账号已停用并已退出登录。") % {"member": member})
    return redirect("orgs:people")


@require_POST
@requires("organisation.people", member_of)
def member_role(request, member, **_url):
    org = member.organisation
    try:
        services.member_set_role(org, member, request.POST.get("role", ""), user=request.user, request=request)
    except services.OrgError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已修改“%(member)s”的角色。") % {"member": member})
    return redirect("orgs:people")


@require_POST
@requires("organisation.people", invitation_of)
def invitation_revoke(request, invitation, **_url):
    try:
        services.invitation_revoke(invitation, user=request.user, request=request)
    except services.OrgError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("邀请已撤销，该链接不能再使用。"))
    return redirect("orgs:people")


@login_not_required
@requires("anyone")
@ratelimit(setting="RATE_LIMIT_JOIN", methods=("POST",), scope="orgs.join")  # anonymous: per address
def join(request, token: str):
    invitation = services.invitation_by_token(token)
    problem = services.invitation_problem(invitation)
    if problem is None and request.user.is_authenticated:
        problem = _("您已以“%(user)s”登录。请先退出当前账号，再打开邀请链接注册新账号。") % {"user": request.user}
    if problem:
        return render(request, "orgs/join.html", {"problem": problem}, status=410 if invitation else 404)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.Joining(username=d["username"], full_name=d["full_name"].strip(), phone=d["phone"],
                                password=d["password1"], consent_version=d["consent_version"])
        try:
            user = services.invitation_accept(token, data, request=request)
        except services.OrgError as exc:
            if exc.field is None:
                return render(request, "orgs/join.html", {"problem": exc.message}, status=410)
            add_to_form(form, exc)
        else:
            login(request, user, backend=LOGIN_BACKEND)
            messages.success(request, _("您已加入“%(org)s”。") % {"org": invitation.organisation.name})
            return redirect("orgs:mine")
    return render(request, "orgs/join.html", {
        "form": form, "invitation": invitation, "consent_text": CONSENT_TEXT,
    })


# --- profile -----------------------------------------------------------------------

FACT_LABELS = {
    "kind": gettext_lazy("单位类型"),
    "independent_legal_person": gettext_lazy("具有独立法人资格"),
    "agi_enterprise": gettext_lazy("属于通用人工智能企业"),
    "affiliates": gettext_lazy("关联企业"),
    "owns_ip": gettext_lazy("拥有明晰的自主知识产权"),
    "credit_good": gettext_lazy("社会信用记录良好"),
    "major_violation": gettext_lazy("有重大违法行为"),
    "prior_support": gettext_lazy("已获得的支持"),
    "address": gettext_lazy("单位地址"),
    "legal_representative": gettext_lazy("法定代表人"),
    "contact_phone": gettext_lazy("单位联系电话"),
}
_SUPPORT_LABELS = dict(PRIOR_SUPPORT_CHOICES)


def _show(value, fact: str = "") -> str:
    if fact == "kind" and value:
        return str(OrgKind(value).label) if value in OrgKind.values else str(value)
    if fact == "affiliates" and isinstance(value, list):
        return _("、").join(value) or _("无")
    if value is None or value == "":
        return _("未填写")
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if isinstance(value, list):
        return _("、").join(str(_SUPPORT_LABELS.get(v, v)) for v in value) or _("无")
    return str(value)


def _fact_rows(org) -> list[dict]:
    return [{"label": FACT_LABELS[name], "value": _show(getattr(org, name), name), "fact": name} for name in FACT_LABELS]


def _changes_after_confirmation(org) -> list[dict]:
    """What the organisation changed after its city confirmed it: shown to the clerk on its page."""
    if org.status != OrgStatus.CONFIRMED:
        return []
    changes = org.fact_changes.select_related("stated_by")
    if org.confirmed_at:  # confirmed without a time (loaded data): every change counts
        changes = changes.filter(stated_at__gt=org.confirmed_at)
    return [{"change": c, "label": FACT_LABELS.get(c.fact, c.fact), "old": _show(c.old_value, c.fact),
             "new": _show(c.new_value, c.fact)} for c in changes[:100]]


@requires("organisation.own")
def profile(request):
    org = request.user.organisation
    can_edit, reason = check(request.user, "organisation.profile_edit", org)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(org), org=org)
    if request.method == "POST":
        if not can_edit:
            messages.error(request, reason)
            return redirect("orgs:profile")
        if form.is_valid():
            try:
                changed = services.organisation_profile_update(org, form.cleaned_data, user=request.user,
                                                               request=request)
            except services.OrgError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("已保存（%(n)s 项有变化）。") % {"n": len(changed)} if changed else _("没有变化。"))
                return redirect("orgs:profile")
    history = [
        {"change": c, "label": FACT_LABELS.get(c.fact, c.fact), "old": _show(c.old_value, c.fact),
         "new": _show(c.new_value, c.fact)}
        for c in selectors.fact_history(org)[:200]
    ]
    return render(request, "orgs/profile.html", {
        "org": org, "form": form, "can_edit": can_edit, "reason": reason, "history": history,
        "facts": _fact_rows(org),
    }, status=400 if form.errors else 200)
