import pytest

from duixian.applications.workflow import application_transition
from tests.review.conftest import at, make_submitted, signin  # noqa: F401


@pytest.fixture
def recommended(users, time_machine):
    """Two recommended 合肥 applications (24 and 100 万元) and one still submitted."""
    first = make_submitted(users["hefei_applicant"], "医院影像辅助诊断大模型应用", time_machine=time_machine)
    second = make_submitted(users["hefei_applicant"], "智能制造质检视觉大模型应用", when="2026-04-22 10:00:00",
                            time_machine=time_machine, amount_requested_wan=100,
                            **{"scene.development_investment_wan": "650", "contact_name": "李工",
                               "contact_phone": "0551-65550000"})
    make_submitted(users["hefei_applicant"], "政务热线智能问答大模型应用", when="2026-04-23 10:00:00",
                   time_machine=time_machine)
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    application_transition(first, "recommend", users["hefei_clerk"])
    time_machine.move_to(at("2026-04-28 11:30:00"), tick=False)
    application_transition(second, "recommend", users["hefei_clerk"])
    return first, second
