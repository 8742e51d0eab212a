"""Recommended applications to decide on, experts and a panel, and moments in Beijing time."""

from __future__ import annotations

import pytest

from duixian.authz.roles import Role
from duixian.applications.services import application_create, application_save_answers, application_submit
from duixian.applications.workflow import application_transition
from duixian.policy.pack import default_pack
from tests.applications.conftest import CLAUSE2_ANSWERS, at, fill_materials
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_recommended(user, clerk, name: str, *, amount=24, contact=("张晓明", "13912346594"), recommend=True):
    """A clause-2 application of `user`'s organisation, submitted on 4-21 and recommended on 4-22.

    The caller's clock must allow it (4-20 … 5-5): the fixture below moves it.
    """
    app = application_create(user=user, clause="2", project_name=name)
    answers = dict(CLAUSE2_ANSWERS, amount_requested_wan=amount, contact_name=contact[0], contact_phone=contact[1])
    app = application_save_answers(app, answers, user=user)
    fill_materials(app, user)
    app = application_submit(app, user=user, token=f"tok-{name}", declaration=True)
    if recommend:
        app = application_transition(app, "recommend", clerk)
    return app


@pytest.fixture
def recommended(users, time_machine):
    """Two 合肥 and one 芜湖 recommended clause-2 applications; the clock then stands at 5-20 10:00."""
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    apps = [
        make_recommended(users["hefei_applicant"], users["hefei_clerk"], "医院影像辅助诊断大模型应用"),
        make_recommended(users["hefei_applicant"], users["hefei_clerk"], "智慧工厂质检大模型应用", amount=20,
                         contact=("李娜", "0551-62999803")),
        make_recommended(users["wuhu_applicant"], users["wuhu_clerk"], "港口调度大模型应用", amount="18.50",
                         contact=("欧阳晓娜", "18655106789")),
    ]
    time_machine.move_to(at("2026-05-20 10:00:00"), tick=False)
    return apps


@pytest.fixture
def experts(db):
    return [make_user(f"expert{i}", Role.EXPERT, full_name=name) for i, name in
            enumerate(["王建国", "刘芳", "陈志强"], 1)]


@pytest.fixture
def panel(experts, users):
    from duixian.decisions.services import panel_create

    return panel_create(batch_id=default_pack().batch_id, clause="2", name="第二条评比专家组",
                         members=experts, user=users["province"])


@pytest.fixture
def published(recommended, users, time_machine):
    """The three approved and published on Thursday 2026-06-18 10:00 for 5 working days."""
    from duixian.decisions.services import decision_approve, publication_create

    province = users["province"]
    for app, amount in zip(recommended, ("24", "20", "18.5")):
        decision_approve(app, amount=amount, user=province, without_panel_reason="专家组线下评审，评分表纸质存档")
    time_machine.move_to(at("2026-06-18 10:00:00"), tick=False)
    return publication_create(applications=recommended, working_days=5, title="2026年度政策兑现拟支持项目公示",
                              contact="省科技厅人工智能处 0551-62626995", user=province)
