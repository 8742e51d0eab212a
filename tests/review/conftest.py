"""Fixtures for the city review: submitted clause-2 applications in 合肥 and 芜湖."""

import pytest

from duixian.applications.services import application_create, application_save_answers, application_submit
from tests.applications.conftest import CLAUSE2_ANSWERS, PDF, at, fill_materials, signin  # noqa: F401


def make_submitted(user, project: str, *, when: str = "2026-04-21 09:00:00", time_machine=None, **answers):
    if time_machine is not None:
        time_machine.move_to(at(when), tick=False)
    app = application_create(user=user, clause="2", project_name=project)
    app = application_save_answers(app, {**CLAUSE2_ANSWERS, **answers}, user=user)
    fill_materials(app, user)
    return application_submit(app, user=user, token=f"tok-{project}", declaration=True)


@pytest.fixture
def submitted(users, time_machine):
    return make_submitted(users["hefei_applicant"], "医院影像辅助诊断大模型应用", time_machine=time_machine)


@pytest.fixture
def wuhu_submitted(users, time_machine):
    return make_submitted(users["wuhu_applicant"], "芜湖港口调度大模型应用", time_machine=time_machine)
