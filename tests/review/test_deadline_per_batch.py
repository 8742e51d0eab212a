"""The city deadline's words come from each application's own batch pack (issue 18): the 逾期
reason and the province's notice cite the sentence the pack names
(`windows.city_review_expiry_sentence`), a batch whose pack names none cites nothing, the sweep's
"not yet" message names the first deadline of all open batches, and a city's 附件1 phone in the
汇总表 of a batch is that batch's."""

from pathlib import Path

import pytest
from django.urls import reverse

from duixian.applications.models import Application, Notification, StateChange
from duixian.policy.active import current_pack, pack_of
from duixian.policy.services import pack_version_load
from duixian.review import selectors
from duixian.review.services import deadline_sweep

from .conftest import at, make_submitted, signin

FULL = Path(__file__).resolve().parents[1] / "policy" / "packs" / "made-up-2027-full.yaml"
OLD, NEW = "anhui-agi-2.0-2026", "made-up-2027-full"

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(users, time_machine):
    """A 2026 application and one moved into the made-up batch (its deadline 5月20日 12:00), both submitted."""
    old = make_submitted(users["hefei_applicant"], "二〇二六年的申报", time_machine=time_machine)
    new = make_submitted(users["hefei_applicant"], "虚构批次的申报")
    pack_version_load(FULL.read_text(encoding="utf-8"), user=users["province"], note="（虚构）人才培训")
    assert current_pack().batch_id == NEW  # the default batch is the made-up one
    Application.objects.filter(pk=new.pk).update(batch_id=NEW)
    return old, new


def test_the_not_yet_message_names_the_first_deadline_of_all_batches(two, time_machine):
    time_machine.move_to(at("2026-05-07 16:59:59"), tick=False)
    result = deadline_sweep()
    assert not result.ran and "2026年5月7日 17:00" in result.message


def test_each_batch_expires_with_its_own_packs_citation(two, users, time_machine):
    old, new = two
    time_machine.move_to(at("2026-05-07 17:00:00"), tick=False)
    assert deadline_sweep().expired == [old.reference]
    reason = StateChange.objects.get(action="expire", application=old).reason
    assert "（通知六、（四））" in reason
    time_machine.move_to(at("2026-05-20 12:00:00"), tick=False)
    assert deadline_sweep().expired == [new.reference]
    reason = StateChange.objects.get(action="expire", application=new).reason
    assert "2026年5月20日 12:00" in reason and "六、" not in reason  # the made-up notice names no such sentence
    told = Notification.objects.filter(event="review.deadline_sweep", user=users["province"]).order_by("pk")
    assert "六、（四）" in told[0].body and "六、" not in told[1].body


def test_the_deadline_box_cites_its_batchs_sentence(two):
    assert selectors.city_deadline(pack=pack_of(OLD)).citation == "通知六、（四）"
    assert "今年不得参加政策兑现" in selectors.city_deadline(pack=pack_of(OLD)).rule
    assert selectors.city_deadline(pack=pack_of(NEW)).citation == ""


def test_a_citys_phone_in_a_batch_is_that_batchs_annex_1(two):
    assert selectors.city_contact("340100", pack=pack_of(NEW)) == ("", "0000-0000001")
    assert selectors.city_contact("340100", pack=pack_of(OLD))[1] != "0000-0000001"
    assert selectors.city_contact_line("340100", pack=pack_of(NEW)) == "0000-0000001"


def test_the_clerks_deadline_box_quotes_its_batchs_sentence(two, users, client, time_machine):
    time_machine.move_to(at("2026-05-21 09:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    old = client.get(reverse("review:worklist"), {"batch": OLD}).content.decode()
    assert "通知六、（四）：“满足当前批次兑现条件，逾期未报送的项目今年不得参加政策兑现申报。”" in old
    new = client.get(reverse("review:worklist"), {"batch": NEW}).content.decode()
    assert "市级审核推荐已截止" in new and "六、（四）" not in new
