"""``duixian pack check FILE | test [FILE] | trace [FILE] [--out FILE]``: policy pack tools.

`check` lists every error with its place (exit 1 on errors); `test` runs the pack's own test
cases; `trace` writes the notice traceability document generated from the pack.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from duixian.policy.cli import run_check, run_tests, run_trace


class Command(BaseCommand):
    help = "政策包工具：检查（check）、运行测试用例（test）、生成条文对照表（trace）。"
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        check = sub.add_parser("check", help="检查政策包，列出每一处错误及其位置；有错误时退出码为1。")
        check.add_argument("file", metavar="FILE")
        test = sub.add_parser("test", help="运行政策包自带的测试用例；有失败时退出码为1。")
        test.add_argument("file", nargs="?", default=None, metavar="FILE")
        trace = sub.add_parser("trace", help="由政策包生成通知条文与规则、测试的对照表（Markdown）。")
        trace.add_argument("file", nargs="?", default=None, metavar="FILE")
        trace.add_argument("--out", default=None, metavar="FILE", help="写入文件（默认输出到标准输出）")

    def handle(self, *args, action, file=None, out=None, **options):
        if action == "check":
            result = run_check(file)
        elif action == "test":
            result = run_tests(file)
        else:
            result = run_trace(file, out)
        if result.stdout:
            self.stdout.write(result.stdout)
        if result.stderr:
            self.stderr.write(result.stderr)
        if result.code:
            raise SystemExit(result.code)
