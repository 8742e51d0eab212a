"""The 公示 form's default title and objection contact come from the batch's pack (`display`), not
from Python: the 2026 pack states its own, a pack without them gets its title + 拟支持项目公示 and
its province contact (issue 18)."""

from pathlib import Path

import pytest

from duixian.decisions.forms import PublicationForm
from duixian.policy.pack import default_pack, load_pack
from duixian.policy.services import pack_version_load_file

pytestmark = pytest.mark.django_db

FULL = Path(__file__).parents[1] / "policy" / "packs" / "made-up-2027-full.yaml"


def test_each_batch_publishes_under_its_own_title_and_contact():
    pack_version_load_file(FULL)
    shipped = PublicationForm(batch_id=default_pack().batch_id)
    assert shipped.fields["title"].initial == "2026年度通用人工智能政策兑现拟支持项目公示"
    assert shipped.fields["contact"].initial == "省科技厅人工智能处 0551-62999803"
    made_up = PublicationForm(batch_id="made-up-2027-full")
    assert made_up.fields["title"].initial == "（虚构）2027 年度人才培训政策兑现申报拟支持项目公示"
    assert made_up.fields["contact"].initial == "虚构处室 0000-0000000"
    assert load_pack(FULL).publication_title == made_up.fields["title"].initial
