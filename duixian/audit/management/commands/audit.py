"""`duixian audit verify`: check the hash chain; exit 1 and name each broken row."""

import sys

from django.core.management.base import BaseCommand

from duixian.audit.services import audit_verify


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链是否完整"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验审计日志哈希链，发现篡改或删除时以非零状态退出")

    def handle(self, *args, **options):
        problems = audit_verify()
        for problem in problems:
            self.stderr.write(problem.message)
        if problems:
            sys.exit(1)
        self.stdout.write("审计日志哈希链完整。")
