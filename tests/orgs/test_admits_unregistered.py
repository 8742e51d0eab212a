"""A team without a code, or an organisation that moved in from outside the province, may apply
only for the clauses its batch's pack opens to them (`admits_unregistered`), named in the pack's words."""

from duixian.orgs.models import Organisation
from duixian.policy.pack import DEFAULT_PACK_PATH, default_pack, load_pack_text
from duixian.orgs.permissions import organisation_can_apply_for

SHIPPED = DEFAULT_PACK_PATH.read_text(encoding="utf-8")
TEAM = Organisation(kind="team", uscc=None, name="星火参赛团队", clause4_only=True)
MOVED = Organisation(kind="enterprise", uscc="91110108MA01ABCD2H", name="迁入企业", clause4_only=True)


def test_the_shipped_pack_opens_its_competition_clause_to_teams_and_names_it():
    pack = default_pack()
    assert organisation_can_apply_for(TEAM, 4, pack) == (True, "")
    allowed, reason = organisation_can_apply_for(TEAM, 2, pack)
    assert not allowed and reason == "尚无统一社会信用代码的参赛团队只能申报第四条（举办创新应用活动）。"
    allowed, reason = organisation_can_apply_for(MOVED, 5, pack)
    assert not allowed and "已迁入安徽的单位只能申报第四条" in reason


def test_another_pack_decides_which_clause_admits_them():
    text = SHIPPED.replace("    admits_unregistered: true\n", "").replace(
        "    short_title: 促进垂类模型应用\n    kind: application\n",
        "    short_title: 促进垂类模型应用\n    kind: application\n    admits_unregistered: true\n")
    pack = load_pack_text(text, "teams-in-2.yaml")
    assert organisation_can_apply_for(TEAM, 2, pack) == (True, "")
    assert not organisation_can_apply_for(TEAM, 4, pack)[0]
    none = load_pack_text(SHIPPED.replace("    admits_unregistered: true\n", ""), "no-teams.yaml")
    allowed, reason = organisation_can_apply_for(TEAM, 4, none)
    assert not allowed and "本批次不受理" in reason
