"""The authorization registry (duixian/authz/__init__.py): one answer, with its reason, for the
views, the templates and the services; refusals a view turns into 404 or 403 or its own page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpResponse
from django.template import Context, Template
from django.test import RequestFactory

from duixian import authz
from duixian.authz.roles import Role
from tests.conftest import make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    hefei = make_org("91340100MA2RXH7Q95", "合肥授权测试单位", "340100")
    wuhu = make_org("91340200MA2N8K3L1T", "芜湖授权测试单位", "340200")
    return {
        "hefei": hefei, "wuhu": wuhu,
        "applicant": make_user("authz_applicant", Role.APPLICANT, organisation=hefei),
        "other_applicant": make_user("authz_other", Role.APPLICANT, organisation=wuhu),
        "clerk": make_user("authz_clerk", Role.CITY_CLERK, city_code="340100"),
        "expert": make_user("authz_expert", Role.EXPERT),
    }


@pytest.fixture
def draft(people):
    from duixian.applications.models import Application

    return Application.objects.create(organisation=people["hefei"], clause="2", project_name="授权测试草稿",
                                      city_code="340100", batch_id="anhui-2026")


def test_a_decision_reads_as_allowed_and_reason(people, draft):
    decision = authz.check(people["clerk"], "application.view", draft)
    allowed, reason = decision
    assert (allowed, decision[1], bool(decision)) == (False, reason, False)
    assert reason == "您无权查看该申报。" and decision.hidden  # a draft is the organisation's alone


def test_every_rule_names_its_roles_and_an_unknown_action_fails():
    rules = authz.rules()
    assert {"application.view", "application.edit", "signed_in"} <= set(rules)
    assert all(rule.roles and set(rule.roles.values()) <= {authz.OWN, authz.ALL} for rule in rules.values())
    with pytest.raises(ImproperlyConfigured):
        authz.check(AnonymousUser(), "application.sing")


def test_the_role_table_is_a_ceiling(people, draft, monkeypatch):
    """A rule function that allows too much is still refused for a role its table does not list."""
    import dataclasses

    rule = authz.get_rule("application.view")
    monkeypatch.setitem(authz._rules, "application.view",
                        dataclasses.replace(rule, function=lambda user, obj: authz.allow()))
    assert authz.check(people["other_applicant"], "application.view", draft).allowed  # OWN: the matrix catches that
    refused = authz.check(people["expert"], "application.view", draft)
    assert not refused.allowed and refused.reason == "您无权进行此操作。"


def test_a_second_rule_for_one_action_is_refused():
    with pytest.raises(ImproperlyConfigured):
        authz.rule("application.view", roles={Role.PROVINCE: authz.ALL})(lambda user, obj: authz.allow())


def test_the_guard_hides_what_may_not_be_seen_and_tells_what_may(people, draft):
    """404 (the same words as for no such id) for another organisation's draft; its own
    viewer-only refusal goes to the view's `refused` page with the reason."""
    from duixian.applications.models import Application

    seen = []

    @authz.requires("application.edit", lambda pk: Application.objects.filter(pk=pk).first(),
                    refused=lambda request, app, decision: HttpResponse(decision.reason, status=409))
    def page(request, app, pk):
        seen.append(app)
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = people["other_applicant"]
    with pytest.raises(Http404) as hidden:
        page(request, pk=draft.pk)
    assert str(hidden.value) == str(authz.NOT_FOUND)
    with pytest.raises(Http404):
        page(request, pk=draft.pk + 1000)
    request.user = people["applicant"]
    assert page(request, pk=draft.pk).content == b"ok" and seen == [draft]
    draft.state = "submitted"
    draft.save(update_fields=["state"])
    answer = page(request, pk=draft.pk)
    assert answer.status_code == 409 and "已不能修改" in answer.content.decode()
    assert page.authz == authz.Guard("application.edit", page.authz.load)


def test_a_told_refusal_without_its_own_page_is_403(people):
    with pytest.raises(PermissionDenied):
        authz.refuse(authz.deny("不行", hidden=False))
    with pytest.raises(Http404):
        authz.refuse(authz.deny("不行"))


def test_templates_ask_the_same_rule(people, draft, rf):
    template = Template('{% load authz %}{% can "application.edit" app as may %}{% if may %}可修改{% else %}只读{% endif %}')
    request = rf.get("/")
    for who, shown in (("applicant", "可修改"), ("clerk", "只读"), ("other_applicant", "只读")):
        request.user = people[who]
        assert template.render(Context({"request": request, "app": draft})) == shown
