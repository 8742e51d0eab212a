"""`duixian demo`: load the demo data (idempotent) and print the demo logins."""

from django.core.management.base import BaseCommand

from duixian.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "载入演示数据（可重复执行），并列出演示账号"

    def handle(self, *args, **options):
        logins = load_demo()
        self.stdout.write("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
        for username, label in logins:
            self.stdout.write(f"  {username:<16} {label}")
