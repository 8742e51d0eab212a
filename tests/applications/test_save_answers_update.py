"""application_save_answers writes its UPDATE without the ORM's save (services._update_row): the
row stored is the one `save(update_fields=...)` stores, on SQLite and PostgreSQL."""

from decimal import Decimal

import pytest
from django.db.models.signals import post_save

from duixian.applications import services
from duixian.applications.models import Application
from duixian.applications.services import ApplicationError, application_create, application_save_answers

from .conftest import at

pytestmark = pytest.mark.django_db

VALUES = {"project_name": "改名<script>", "amount_requested_wan": Decimal("24.5"), "contact_name": "张工",
          "contact_phone": "13155113928", "project.in_anhui": True, "project.occurred_on": "2025-12-01"}


def _row(pk):
    return Application.objects.filter(pk=pk).values().get()


def _saved(users, time_machine, name, monkeypatch=None):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    app = application_create(user=users["hefei_applicant"], clause="2", project_name=name)
    time_machine.move_to(at("2026-04-21 11:30:00"), tick=False)
    app = application_save_answers(app, {**VALUES, "project_name": name + "改"}, user=users["hefei_applicant"])
    application_save_answers(app, {"amount_requested_wan": None, "contact_phone": "", "project.in_anhui": False},
                             user=users["hefei_applicant"])
    return app


def test_the_update_stores_what_the_orms_save_stores(users, time_machine, monkeypatch):
    written = _saved(users, time_machine, "甲")
    monkeypatch.setattr(services, "_update_row", lambda locked, names: locked.save(update_fields=names))
    saved = _saved(users, time_machine, "乙")
    mine, theirs = _row(written.pk), _row(saved.pk)
    for row in (mine, theirs):
        row.pop("id"), row.pop("project_name"), row.pop("created_at"), row.pop("reference")
    assert mine == theirs
    assert mine["updated_at"] == at("2026-04-21 11:30:00") and mine["amount_requested_wan"] is None
    assert mine["facts"]["project"] == {"in_anhui": False, "occurred_on": "2025-12-01"}
    assert _row(written.pk)["project_name"] == "甲改" and written.project_name == "甲改"


def test_a_duplicate_name_is_still_refused_and_nothing_is_kept(users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    user = users["hefei_applicant"]
    application_create(user=user, clause="2", project_name="重名")
    app = application_create(user=user, clause="2", project_name="另一个")
    with pytest.raises(ApplicationError) as refused:
        application_save_answers(app, {"project_name": "重名", "contact_name": "李"}, user=user)
    assert refused.value.field == "project_name" and "同名项目" in refused.value.message
    assert _row(app.pk)["project_name"] == "另一个" and _row(app.pk)["contact_name"] != "李"


def test_a_listener_of_the_models_signals_still_hears_the_save(users, time_machine):
    heard = []

    def listener(sender, instance, update_fields, **kwargs):
        heard.append(set(update_fields or ()))

    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    post_save.connect(listener, sender=Application)
    try:
        app = application_create(user=users["hefei_applicant"], clause="2", project_name="听")
        heard.clear()
        application_save_answers(app, {"contact_name": "王"}, user=users["hefei_applicant"])
    finally:
        post_save.disconnect(listener, sender=Application)
    assert heard == [{"contact_name", "facts", "updated_at"}]
