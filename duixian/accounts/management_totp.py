"""`duixian demo totp USERNAME`: the current code of a demo account's authenticator.

Only devices holding the published demo key answer, so a real account's secret is never shown.
"""

from __future__ import annotations

import time

from django.core.management.base import CommandError

from duixian.accounts.models import User
from duixian.accounts.otp import DEMO_TOTP_KEY, current_code


def print_demo_totp(command, words: list[str]) -> None:
    if len(words) != 2 or words[0] != "totp":
        raise CommandError("用法：duixian demo totp 用户名")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    username = words[1]
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"用户 {username} 不存在。请先运行 duixian demo 载入演示数据。")
    device = TOTPDevice.objects.filter(user=user, confirmed=True, key=DEMO_TOTP_KEY).first()
    if device is None:
        raise CommandError(f"用户 {username} 没有演示动态验证码（只有演示环境的工作人员和管理员账号有）。")
    left = device.step - int(time.time() - device.t0) % device.step
    command.stdout.write(current_code(device, fresh=True))
    command.stderr.write(f"（{left} 秒内有效；同一验证码只能使用一次）")
