"""Autosave, withdraw and copy tried as an attacker and as a careless user would (issue 15,
items 2 and 7, review): other organisations, read-only members, states, the closing second,
hostile text, beacons without headers, copies twice."""

from datetime import timedelta

import pytest

from duixian.applications import policy_bridge
from duixian.applications.models import Application, ApplicationState
from duixian.applications.questions import section_by_key
from duixian.applications.services import application_create, application_submit
from duixian.audit.models import AuditEvent
from duixian.orgs.models import OrgMembership, OrgRole

from .conftest import at, signin

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_X_DUIXIAN_AUTOSAVE": "1"}


def make_viewer(user):
    OrgMembership.objects.update_or_create(user=user, defaults={
        "organisation": user.organisation, "role": OrgRole.VIEWER, "active": True})


@pytest.fixture
def draft(users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    return application_create(user=users["hefei_applicant"], clause="2", project_name="审查草稿项目")


@pytest.fixture
def submitted(complete_draft, users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    return application_submit(complete_draft, user=users["hefei_applicant"], token="t-review", declaration=True)


def test_another_organisations_ids_are_404_for_autosave_beacon_withdraw_and_copy(client, draft, submitted, users):
    signin(client, users["wuhu_applicant"])
    assert client.post(f"/applications/{draft.pk}/section/project/", {"project_name": "x"}, **AUTOSAVE).status_code == 404
    assert client.post(f"/applications/{draft.pk}/section/project/?autosave=1", {"project_name": "x"}).status_code == 404
    assert client.get(f"/applications/{submitted.pk}/withdraw/").status_code == 404
    assert client.post(f"/applications/{submitted.pk}/withdraw/", {"confirm": "yes", "expected_state": "submitted"}).status_code == 404
    assert client.post(f"/applications/{submitted.pk}/copy/").status_code == 404
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert draft.project_name == "审查草稿项目" and submitted.state == ApplicationState.SUBMITTED


def test_autosave_of_a_submitted_application_is_refused_with_409_and_nothing_changes(client, submitted, users):
    signin(client, users["hefei_applicant"])
    for extra, url in ((AUTOSAVE, "section/project/"), ({}, "section/project/?autosave=1")):
        response = client.post(f"/applications/{submitted.pk}/{url}", {"project_name": "改名"}, **extra)
        assert response.status_code == 409 and "不能修改" in response.json()["message"]
    submitted.refresh_from_db()
    assert submitted.project_name == "医院影像辅助诊断大模型应用"


def test_a_beacon_without_the_csrf_token_is_refused(users, draft):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    signin(client, users["hefei_applicant"])
    response = client.post(f"/applications/{draft.pk}/section/project/?autosave=1", {"project_name": "跨站改名"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.project_name == "审查草稿项目"


def test_the_verdict_panel_of_an_autosave_escapes_what_was_typed(client, draft, users):
    signin(client, users["hefei_applicant"])
    data = client.post(f"/applications/{draft.pk}/section/project/",
                       {"project_name": "<script>alert(1)</script>"}, **AUTOSAVE).json()
    assert "<script>" not in data["verdict_html"]


def test_a_body_too_large_for_autosave_is_no_500(client, draft, users):
    signin(client, users["hefei_applicant"])
    response = client.post(f"/applications/{draft.pk}/section/project/", {"project_name": "长" * (10 * 1024 * 1024 // 3)},
                           **AUTOSAVE)
    assert response.status_code < 500


def test_a_read_only_member_cannot_save_withdraw_copy_or_create(client, submitted, draft, users):
    user = users["hefei_applicant"]
    make_viewer(user)
    signin(client, user)
    response = client.post(f"/applications/{draft.pk}/section/project/", {"project_name": "查看人改名"}, **AUTOSAVE)
    assert response.status_code == 409 and "查看人" in response.json()["message"]
    client.post(f"/applications/{submitted.pk}/withdraw/", {"confirm": "yes", "expected_state": "submitted"})
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED
    Application.objects.filter(pk=submitted.pk).update(state=ApplicationState.WITHDRAWN)
    count = Application.objects.count()
    client.post(f"/applications/{submitted.pk}/copy/")
    client.post("/applications/new/", {"choice": "2", "project_name": "查看人新建"})
    assert Application.objects.count() == count


def test_copying_twice_or_next_to_a_draft_of_the_same_project_says_so_in_chinese(client, submitted, users):
    signin(client, users["hefei_applicant"])
    client.post(f"/applications/{submitted.pk}/withdraw/", {"expected_state": "submitted", "confirm": "yes"})
    first = client.post(f"/applications/{submitted.pk}/copy/")
    assert first.status_code == 302
    second = client.post(f"/applications/{submitted.pk}/copy/", follow=True)
    assert second.status_code == 200 and "不要重复创建" in second.content.decode()
    assert Application.objects.filter(project_name=submitted.project_name, state=ApplicationState.DRAFT).count() == 1
    events = AuditEvent.objects.filter(action__in=["application.copy", "application.withdraw"]).values_list("action", "outcome")
    assert sorted(events) == [("application.copy", "success"), ("application.withdraw", "success")]


def test_a_project_name_with_control_characters_is_refused_by_autosave(client, draft, users):
    signin(client, users["hefei_applicant"])
    data = client.post(f"/applications/{draft.pk}/section/project/", {"project_name": "项目\x01名称\x0b"}, **AUTOSAVE).json()
    assert data["errors"].get("project_name")
    draft.refresh_from_db()
    assert draft.project_name == "审查草稿项目"


def test_an_autosave_changes_only_the_fields_its_tab_changed(client, draft, users):
    """Two tabs on one section: tab B saves the contact, then tab A (opened before, still showing
    the old contact) saves the amount. autosave.js names the fields the tab changed; the old
    values tab A still shows for the others must not overwrite tab B's save."""
    signin(client, users["hefei_applicant"])
    url = f"/applications/{draft.pk}/section/project/"
    shown = {"project_name": "审查草稿项目", "contact_name": "", "contact_phone": "", "amount_requested_wan": ""}
    client.post(url, {**shown, "contact_name": "标签页B", "autosave_fields": "contact_name"}, **AUTOSAVE)
    response = client.post(url, {**shown, "amount_requested_wan": "10", "autosave_fields": "amount_requested_wan"},
                           **AUTOSAVE)
    assert response.json()["saved"] is True
    draft.refresh_from_db()
    assert (draft.contact_name, draft.amount_requested_wan) == ("标签页B", 10)
    # The button's save (without autosave) names them too; nothing named, nothing changed.
    client.post(url, {**shown, "autosave_fields": ""})
    draft.refresh_from_db()
    assert (draft.contact_name, draft.amount_requested_wan) == ("标签页B", 10)


def test_an_autosave_that_finds_the_application_submitted_meanwhile_does_not_say_saved(
        client, complete_draft, users, monkeypatch):
    """The page's check passed, then another tab's submission committed before the save took
    its lock: the answer is the 409 refusal, not 已保存 with the refusal as a side note."""
    import dataclasses

    from duixian import authz

    signin(client, users["hefei_applicant"])
    rule = authz.get_rule("application.edit")

    def submitted_meanwhile(user, app):
        decision = rule.function(user, app)
        Application.objects.filter(pk=app.pk).update(state=ApplicationState.SUBMITTED)
        return decision

    monkeypatch.setitem(authz._rules, "application.edit", dataclasses.replace(rule, function=submitted_meanwhile))
    response = client.post(f"/applications/{complete_draft.pk}/section/project/",
                           {"contact_name": "李四", "autosave_fields": "contact_name"}, **AUTOSAVE)
    assert response.status_code == 409
    assert response.json()["saved"] is False and "不能修改" in response.json()["message"]
    complete_draft.refresh_from_db()
    assert complete_draft.contact_name == "张晓明"


def test_from_the_closing_second_the_section_page_and_its_autosave_say_it_can_no_longer_be_submitted(
        client, draft, users, time_machine):
    close = policy_bridge.get_pack().application_close
    closed = f"申报系统已于{policy_bridge.format_moment(close)}关闭，不能再提交申报。"
    url = f"/applications/{draft.pk}/section/project/"
    time_machine.move_to(close - timedelta(seconds=1), tick=False)
    signin(client, users["hefei_applicant"])
    assert closed not in client.get(url).content.decode()
    data = client.post(url, {"contact_name": "甲", "autosave_fields": "contact_name"}, **AUTOSAVE).json()
    assert data["non_field_errors"] == []
    time_machine.move_to(close, tick=False)
    assert closed in client.get(url).content.decode()
    data = client.post(url, {"contact_name": "乙", "autosave_fields": "contact_name"}, **AUTOSAVE).json()
    assert any(closed in message for message in data["non_field_errors"])


def test_a_copy_that_fails_halfway_leaves_no_empty_draft(client, submitted, users, monkeypatch):
    """Nothing half-saved: the draft, its copied answers and the audit event come together."""
    from duixian.applications import services

    signin(client, users["hefei_applicant"])
    client.post(f"/applications/{submitted.pk}/withdraw/", {"expected_state": "submitted", "confirm": "yes"})
    record = services.audit_record

    def failing(action, **kwargs):
        if action == "application.copy":
            raise RuntimeError("audit store down")
        return record(action, **kwargs)

    monkeypatch.setattr(services, "audit_record", failing)
    with pytest.raises(RuntimeError):
        services.application_copy(Application.objects.get(pk=submitted.pk), user=users["hefei_applicant"])
    assert not Application.objects.filter(state=ApplicationState.DRAFT).exists()


def test_an_untouched_multi_choice_group_still_counts_as_none_chosen_but_never_clears_a_choice(client, draft, users):
    """“没有则不选”: a group left empty is answered “none” by the first save of its section (as
    before autosave named fields); a later save of another field does not clear what another tab
    ticked meanwhile."""
    signin(client, users["hefei_applicant"])
    url = f"/applications/{draft.pk}/section/scene/"
    client.post(url, {"scene__status": "in_use", "autosave_fields": "scene__status"}, **AUTOSAVE)
    draft.refresh_from_db()
    assert draft.facts["scene"]["prior_support"] == []
    prior = next(x for x in section_by_key("2", "", "scene").questions if x.name == "scene.prior_support")
    choice = prior.choices[0][0]
    client.post(url, {"scene__prior_support": [choice], "autosave_fields": "scene__prior_support"}, **AUTOSAVE)
    client.post(url, {"scene__status": "building", "autosave_fields": "scene__status"}, **AUTOSAVE)
    draft.refresh_from_db()
    assert draft.facts["scene"]["prior_support"] == [choice] and draft.facts["scene"]["status"] == "building"
