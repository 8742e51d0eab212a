"""Confirming or objecting answers the result the organisation saw: when the province publishes a
new run of the same batch while the page is open (a rerun after an upheld objection), the old
page's 确认 is refused with a message to look at the new result, instead of confirming figures
the organisation never saw."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from duixian.compute.demo import SAMPLE
from duixian.compute.models import SubsidyObjection
from duixian.compute.services import metering_import, subsidy_run, subsidy_run_publish
from duixian.core.clock import SHANGHAI

pytestmark = pytest.mark.django_db

HEFEI = "91340100MA2RXH7Q95"


def test_a_press_on_a_page_of_an_earlier_run_answers_nothing(client, login, users):
    with time_machine.travel(datetime(2026, 5, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        metering_import(SAMPLE, original_name=SAMPLE.name)
        first = subsidy_run(user=users["province"])
        subsidy_run_publish(first, user=users["province"], last_day=date(2026, 5, 20))
        hefei = login(client, users["hefei_applicant"])
        page = hefei.get(reverse("compute:mine")).content.decode()
        assert f'name="run" value="{first.pk}"' in page  # the forms say which result they answer
        second = subsidy_run(user=users["province"])
        subsidy_run_publish(second, user=users["province"], last_day=date(2026, 5, 25))
        stale = {"batch": first.batch_id, "run": first.pk}
        response = hefei.post(reverse("compute:mine_confirm"), stale, follow=True)
        assert "新的计算结果" in response.content.decode()
        hefei.post(reverse("compute:mine_object"), {**stale, "reason": "不认可"})
        assert not second.results.get(uscc=HEFEI).response and not first.results.get(uscc=HEFEI).response
        assert SubsidyObjection.objects.count() == 0
        assert hefei.post(reverse("compute:mine_confirm"), {"batch": second.batch_id, "run": second.pk}).status_code == 302
        assert second.results.get(uscc=HEFEI).response == "confirmed"
