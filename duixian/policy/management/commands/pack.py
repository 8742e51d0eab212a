"""``duixian pack check FILE | test [FILE] | trace [FILE] [--out FILE] | load FILE --note TEXT``.

`check` lists every error with its place (exit 1 on errors); `test` runs the pack's own test
cases; `trace` writes the notice traceability document generated from the pack; `load` stores
and activates a new version in the database (a 补充通知), audited — running it again with the
same file changes nothing.
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
        load = sub.add_parser("load", help="把政策包作为新版本载入数据库并启用（补充通知）；批次编号未出现过时作为新批次并行启用；"
                                           "同一文件重复执行不改变任何内容。")
        load.add_argument("file", metavar="FILE")
        load.add_argument("--note", default="", help="说明，如补充通知的标题")

    def handle(self, *args, action, file=None, out=None, **options):
        if action == "load":
            return self._load(file, options["note"])
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

    def _load(self, file: str, note: str) -> None:
        from duixian.policy.services import PackVersionError, pack_version_load_file

        try:
            row, created = pack_version_load_file(file, note=note)
        except PackVersionError as e:
            self.stderr.write(f"{file}: {e.message}")
            for p in e.problems:
                self.stderr.write(f"  {p}")
            raise SystemExit(1) from None
        state = "现行版本" if row.is_active else "非现行版本"
        if created:
            self.stdout.write(f"已载入并启用：批次 {row.batch_id} 版本 {row.version}（摘要 {row.digest[:12]}）")
            from duixian.policy.active import _pack_for
            from duixian.policy.packtest import run_cases

            failed = [r for r in run_cases(_pack_for(row.digest, row.pk)) if not r.ok]
            if failed:
                self.stderr.write(f"注意：文件自带的测试用例有 {len(failed)} 个未通过（不影响加载，请核对后修改文件）：")
                for r in failed:
                    self.stderr.write(f"  #{r.index + 1} {r.name}：{'；'.join(r.problems)}")
        else:
            self.stdout.write(f"已载入过，未改动：批次 {row.batch_id} 版本 {row.version}（{state}，摘要 {row.digest[:12]}）")
