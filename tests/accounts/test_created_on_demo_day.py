"""An account the system administrator creates on the demo day says so on the security
administrator's 待授予角色的账号 list (it said the real 12月7日 while every other time said 4月20日)."""

from datetime import datetime

import pytest
from django.test import override_settings

from duixian.accounts.services import user_create
from duixian.core import clock

pytestmark = pytest.mark.django_db

DEMO = datetime(2026, 4, 20, 10, 0, tzinfo=clock.SHANGHAI)


@override_settings(DEMO_MODE=True)
def test_new_account_is_created_at_the_platform_clocks_time(client, users, time_machine, mailoutbox):
    time_machine.move_to("2026-12-07T09:44:00+08:00", tick=False)
    clock.set_demo_time(DEMO)
    user, _masked = user_create(by=users["system_admin"], username="bengbu_clerk", email="bengbu@example.org",
                                full_name="蚌埠市科技局经办人")
    assert user.date_joined.astimezone(clock.SHANGHAI) == DEMO

    client.force_login(users["security_admin"])
    page = client.get("/accounts/manage/roles/").content.decode()
    assert "bengbu_clerk" in page
    assert "2026年4月20日 10:00" in page
    assert "2026年12月7日" not in page
