"""`duixian demo`: load the demo data (idempotent) and print the demo logins."""

from django.core.management.base import BaseCommand

from duixian.demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "载入演示数据（可重复执行），并列出演示账号"

    def add_arguments(self, parser):
        parser.add_argument("what", nargs="*", help="totp USERNAME：显示演示账号当前的 6 位动态验证码")

    def handle(self, *args, **options):
        if options["what"]:
            from duixian.accounts.management_totp import print_demo_totp

            return print_demo_totp(self, options["what"])
        logins = load_demo()
        self.stdout.write("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
        for username, label in logins:
            self.stdout.write(f"  {username:<16} {label}")
        self.stdout.write("工作人员和管理员登录时还需动态验证码：duixian demo totp 用户名")
