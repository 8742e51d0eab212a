"""``duixian evaluate --clause N --facts FILE|-`` (CONTRACTS §2): the policy calculator.

Prints the verdict as JSON on stdout. Unknown fact names, wrong types and clauses that take no
application in this batch exit with status 2 and a JSON error naming the field on stderr.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from duixian.policy.cli import run_evaluate


class Command(BaseCommand):
    help = "政策自测：按政策包判断一组事实是否满足某一条款，输出 JSON。"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--clause", required=True, help="条款编号（本批次受理 2、4、5）")
        parser.add_argument("--facts", required=True, metavar="FILE|-", help="事实 JSON 文件；- 表示从标准输入读取")
        parser.add_argument("--pack", default=None, metavar="FILE", help="政策包文件（默认为 2026 年安徽政策包）")

    def handle(self, *args, clause, facts, pack=None, **options):
        if facts == "-":
            text = sys.stdin.read()
        else:
            try:
                with open(facts, encoding="utf-8") as fh:
                    text = fh.read()
            except OSError as e:
                self.stderr.write(f'{{"error": "无法读取事实文件：{e.strerror}", "field": null}}')
                raise SystemExit(2)
        result = run_evaluate(clause, text, pack)
        if result.stdout:
            self.stdout.write(result.stdout)
        if result.stderr:
            self.stderr.write(result.stderr)
        if result.code:
            raise SystemExit(result.code)
