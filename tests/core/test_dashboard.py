"""The signed-in landing page leads each role to its own work, and only to it."""

import pytest

pytestmark = pytest.mark.django_db

EXPECTED = {
    "hefei_applicant": ["我的申报", "政策自测", "本单位注册信息与授权书"],
    "hefei_clerk": ["审核推荐工作台", "待确认的申报单位注册"],
    "province": ["全省申报进度", "省级评审决定", "结果公示与异议处理", "政策沙盘", "维护通知公告"],
    "expert": ["我的评审任务"],
    "system_admin": ["账号管理"],
    "security_admin": ["角色授权与安全策略"],
    "audit_admin": ["审计日志查询与导出"],
}
FORBIDDEN = {
    "hefei_applicant": ["审核推荐工作台", "省级评审决定", "审计日志"],
    "hefei_clerk": ["省级评审决定", "审计日志", "账号管理"],
    "system_admin": ["审计日志", "角色授权", "省级评审决定"],
    "audit_admin": ["账号管理", "角色授权", "省级评审决定"],
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_dashboard_shows_each_role_its_own_work(client, users, login, who):
    login(client, users[who])
    page = client.get("/dashboard/").content.decode()
    for label in EXPECTED[who]:
        assert label in page, f"{who} should see {label}"
    for label in FORBIDDEN.get(who, []):
        assert label not in page, f"{who} must not see {label}"
