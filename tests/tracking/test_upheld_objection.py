"""After an upheld 公示 objection the money is stopped (funding_record refuses it): the applicant's
stages and the public lookup say so instead of still promising the money after the 公示."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from duixian.decisions.services import objection_answer, objection_submit
from duixian.tracking.progress import application_stages


def _current(app):
    return next(s for s in application_stages(app) if s.status == "current")


def test_an_upheld_objection_says_the_money_is_stopped(published, users):
    item = published.items.order_by("pk").first()
    app = item.application
    app.refresh_from_db()
    assert "下达资金并拨付" in _current(app).next_step
    objection = objection_submit(publication=published, item=item, name="赵敏", phone="13705516482", body="申报内容不实")
    objection_answer(objection, answer="经核实，异议成立。", outcome="upheld", user=users["province"])
    said = _current(app).next_step
    assert "公示异议经核实成立" in said and "暂停资金下达和拨付" in said and "下达资金并拨付" not in said
    page = Client().get(reverse("tracking:lookup"), {"reference": app.reference,
                                                     "uscc": app.organisation.uscc}).content.decode()
    assert "暂停资金下达和拨付" in page


def test_a_dismissed_objection_changes_nothing(published, users):
    item = published.items.order_by("pk").first()
    objection = objection_submit(publication=published, item=item, name="赵敏", phone="13705516482", body="申报内容不实")
    objection_answer(objection, answer="经核实，异议不成立。", outcome="dismissed", user=users["province"])
    assert "下达资金并拨付" in _current(item.application).next_step
