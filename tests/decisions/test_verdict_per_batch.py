"""The province decides a 2026 application by the 2026 notice even while another batch is the
default: its current verdict and the cap a decision is held to come from its own batch's pack."""

import pytest

from duixian.decisions import selectors
from tests.policy.test_batches import load_second

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_decision_cap_follows_the_applications_own_batch(recommended, users, client, login, time_machine):
    app = recommended[0]
    cap_2026 = selectors.decision_cap(app)
    assert cap_2026 is not None
    load_second(client, login, users["province"])
    time_machine.move_to(at("2027-03-10 10:00:00"), tick=False)  # the made-up 2027 batch is the default now

    verdict = selectors.current_verdict(app)
    assert verdict.pack_version == "2026.1"
    assert selectors.decision_cap(app) == cap_2026
