"""Autosave in a real browser, with a slow and a failing server (issue 15).

The section form used to re-post on each change and swap itself for the server's copy, so a
reply that landed after the applicant typed on wiped what was typed (a clause-二 scene section
with 800 ms latency: "300" typed, the field empty after the reply). Here every save is held
800 ms on the server while the applicant goes on typing; one save fails with a 500.
"""

import time
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from duixian.applications import views
from duixian.applications.models import Application
from duixian.applications.services import application_create
from tests.applications.conftest import at
from tests.conftest import PASSWORD, browser_sign_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LATENCY = 0.8


@pytest.fixture
def slow_saves(monkeypatch):
    """Every save reaches the database at once and answers 800 ms later."""
    save = views.application_save_answers

    def slow(*args, **kwargs):
        result = save(*args, **kwargs)
        time.sleep(LATENCY)
        return result

    monkeypatch.setattr(views, "application_save_answers", slow)


def scene_facts(pk):
    return Application.objects.get(pk=pk).facts.get("scene", {})


def investment(pk):
    return Decimal(scene_facts(pk).get("development_investment_wan") or "-1")


def test_typing_survives_slow_saves_and_a_failed_save_is_shown_and_retried(
        live_server, browser, users, time_machine, settings, slow_saves):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=True)
    applicant = users["hefei_applicant"]
    applicant.set_password(PASSWORD)
    applicant.save()
    app = application_create(user=applicant, clause="2", project_name="医院影像辅助诊断大模型应用")
    page, base = new_page(browser), live_server.url
    browser_sign_in(page, base, applicant)
    page.goto(f"{base}/applications/{app.pk}/section/scene/")
    status = page.locator("#autosave-status")

    def state(name):  # the page's CSP forbids string evaluation: poll the attribute
        expect(page.locator("#autosave")).to_have_attribute("data-state", name, timeout=10000)

    # A change starts a save; the applicant types on while it is on its way.
    page.select_option("#id_scene__status", "in_use")
    state("saving")
    page.type("#id_scene__development_investment_wan", "300", delay=30)
    state("saved")
    assert page.input_value("#id_scene__development_investment_wan") == "300"
    assert investment(app.pk) == Decimal("300.00")

    # The question 否 makes relevant appears at once, before any save has answered.
    purchased = page.locator("#q-scene__purchased_solution")
    assert purchased.is_hidden()
    page.check('input[name="scene__own_supply_capability"][value="false"]')
    assert purchased.is_visible()
    page.check('input[name="scene__purchased_solution"][value="true"]')
    # Typing into a field while two saves are on their way: nothing typed is lost.
    page.fill("#id_scene__development_investment_wan", "")
    page.type("#id_scene__development_investment_wan", "482.5", delay=30)
    assert "保存中" in status.inner_text() or "尚未保存" in status.inner_text()
    state("saved")
    assert page.input_value("#id_scene__development_investment_wan") == "482.5"
    assert status.inner_text().startswith("已保存")
    facts = scene_facts(app.pk)
    assert Decimal(facts["development_investment_wan"]) == Decimal("482.5")
    assert facts["own_supply_capability"] is False and facts["purchased_solution"] is True
    # The verdict panel followed: 20% of 482.5, at most 100.
    assert "96.50 万元" in page.inner_text("#verdict-panel")

    # One save fails: the page says so, offers 重试, and tries again by itself.
    failed = []

    def fail_once(route):
        if not failed:
            failed.append(route.request.url)
            route.fulfill(status=500, body="Server Error")
        else:
            route.continue_()

    page.route("**/section/scene/?autosave=1", fail_once)
    page.select_option("#id_scene__status", "building")
    state("failed")
    assert "保存失败" in status.inner_text()
    assert page.locator("#autosave-retry").is_visible()
    assert scene_facts(app.pk)["status"] == "in_use"  # not saved yet, and the page does not pretend
    state("saved")
    assert failed and scene_facts(app.pk)["status"] == "building"
    assert page.locator("#autosave-retry").is_hidden()

    # Failing again, 重试 saves at once.
    failed.clear()
    page.select_option("#id_scene__status", "in_use")
    state("failed")
    page.click("#autosave-retry")
    state("saved")
    assert scene_facts(app.pk)["status"] == "in_use"
    page.unroute("**/section/scene/?autosave=1")

    # The button pressed while a save is on its way: the save lands first, then the button's.
    page.fill("#id_scene__development_investment_wan", "")
    page.type("#id_scene__development_investment_wan", "250", delay=30)
    page.locator("#id_scene__development_investment_wan").blur()
    state("saving")
    page.click("text=保存并返回任务清单")
    page.wait_for_url("**/tasks/")
    assert investment(app.pk) == Decimal("250.00")

    # A link away while a save is on its way waits for it.
    page.goto(f"{base}/applications/{app.pk}/section/scene/")
    page.fill("#id_scene__development_investment_wan", "")
    page.type("#id_scene__development_investment_wan", "2501", delay=30)
    page.click("text=返回任务清单")
    page.wait_for_url("**/tasks/")
    assert investment(app.pk) == Decimal("2501.00")

    # The amount is checked against the cap as it is typed (no blur, no button), told once,
    # beside the field; the verdict panel does not repeat it.
    page.goto(f"{base}/applications/{app.pk}/section/project/")
    page.type("#id_amount_requested_wan", "150", delay=30)
    errors = page.locator("#id_amount_requested_wan_error")
    expect(errors).to_be_visible(timeout=10000)
    # a screen reader reads the error with the field (issue 20)
    assert "id_amount_requested_wan_error" in (page.get_attribute("#id_amount_requested_wan", "aria-describedby") or "")
    assert errors.inner_text() == "拟申请兑现金额不能超过本条款可兑现上限 100.00 万元（按已填写的信息计算）。"
    assert page.get_by_text("不能超过本条款可兑现上限").count() == 1
    assert page.input_value("#id_amount_requested_wan") == "150"
    page.fill("#id_amount_requested_wan", "")
    page.type("#id_amount_requested_wan", "100", delay=30)
    expect(errors).to_be_hidden(timeout=10000)
    assert "id_amount_requested_wan_error" not in (page.get_attribute("#id_amount_requested_wan", "aria-describedby") or "")
    state("saved")
    assert Application.objects.get(pk=app.pk).amount_requested_wan == Decimal("100")

    # Signed out meanwhile (the 30-minute idle timeout): the page says so and keeps the value;
    # after signing in again in another tab, 重试 saves it.
    page.context.clear_cookies()
    page.fill("#id_contact_name", "王工")
    page.locator("#id_contact_name").blur()
    state("failed")
    assert "登录已过期" in status.inner_text()
    assert page.input_value("#id_contact_name") == "王工"
    other = page.context.new_page()
    browser_sign_in(other, base, applicant)
    other.close()
    page.click("#autosave-retry")
    state("saved")
    assert Application.objects.get(pk=app.pk).contact_name == "王工"


def test_two_tabs_on_one_section_keep_each_others_saves(live_server, browser, users, time_machine, settings):
    """Tab A was opened before tab B saved the contact; A's own saves (autosave and the button)
    carry only what was changed in A, never A's stale copy of the contact."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=True)
    applicant = users["hefei_applicant"]
    applicant.set_password(PASSWORD)
    applicant.save()
    app = application_create(user=applicant, clause="2", project_name="两个标签页的申报")
    tab_a, base = new_page(browser), live_server.url
    browser_sign_in(tab_a, base, applicant)
    url = f"{base}/applications/{app.pk}/section/project/"
    tab_a.goto(url)
    tab_b = tab_a.context.new_page()
    tab_b.goto(url)

    def saved(page):
        expect(page.locator("#autosave")).to_have_attribute("data-state", "saved", timeout=10000)

    tab_b.fill("#id_contact_name", "标签页B的联系人")
    tab_b.locator("#id_contact_name").blur()
    saved(tab_b)
    tab_a.fill("#id_amount_requested_wan", "10")
    tab_a.locator("#id_amount_requested_wan").blur()
    saved(tab_a)
    saved_app = Application.objects.get(pk=app.pk)
    assert (saved_app.contact_name, saved_app.amount_requested_wan) == ("标签页B的联系人", Decimal("10"))

    tab_b.fill("#id_contact_phone", "13155113928")
    tab_b.locator("#id_contact_phone").blur()
    saved(tab_b)
    tab_a.click("text=保存并返回任务清单")
    tab_a.wait_for_url("**/tasks/")
    saved_app = Application.objects.get(pk=app.pk)
    assert (saved_app.contact_name, saved_app.contact_phone) == ("标签页B的联系人", "13155113928")

    # A link within the page (跳到正文, an error's anchor) is no leaving: later, with a save
    # failing, closing the tab still warns (and the beacon goes) instead of dropping the typing.
    tab_b.click("#id_contact_name")
    tab_b.keyboard.type("甲")
    tab_b.locator(".skip-link").focus()
    tab_b.keyboard.press("Enter")
    saved(tab_b)
    tab_b.route("**/section/project/?autosave=1", lambda route: route.fulfill(status=500, body="Server Error"))
    tab_b.click("#id_contact_name")
    tab_b.keyboard.type("乙")
    tab_b.locator("#id_contact_name").blur()
    expect(tab_b.locator("#autosave")).to_have_attribute("data-state", "failed", timeout=10000)
    dialogs = []
    tab_b.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    tab_b.close(run_before_unload=True)
    tab_a.wait_for_timeout(1000)  # lets the dialog event arrive
    assert dialogs == ["beforeunload"]

    # Signed out meanwhile and the page knows it: the button does not carry the typing off to
    # the sign-in page (where it would be lost), it says so and keeps the page.
    tab_a.goto(url)
    tab_a.context.clear_cookies()
    tab_a.fill("#id_contact_name", "过期后输入")
    tab_a.locator("#id_contact_name").blur()
    expect(tab_a.locator("#autosave")).to_have_attribute("data-state", "failed", timeout=10000)
    tab_a.click("text=保存并返回任务清单")
    tab_a.wait_for_timeout(1000)
    assert tab_a.url == url and tab_a.input_value("#id_contact_name") == "过期后输入"
    assert "登录已过期" in tab_a.inner_text("#autosave-status")
