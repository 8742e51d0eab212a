"""``duixian subsidy compute|import|run``: the compute subsidy (CONTRACTS §3) and its data.

``duixian subsidy compute --metering FILE [--orgs FILE] [--format json|csv|xlsx] [--out FILE]``
prints (or writes) one result per organisation. A refused file exits with status 1 and names
every bad line on stderr, one per line (``第N行：…``). The period, time zone and units come from
the default policy pack. Its arguments and its run live in ``duixian.compute.command_line``, which
the console script also runs without Django when ``--orgs`` is given (same bytes, same codes).

``duixian subsidy import FILE`` stores a metering file (all or nothing, idempotent on record_id);
``duixian subsidy run`` computes over every stored import and keeps the results.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from duixian.compute.command_line import (
    COMPUTE_PARSER,
    ComputeFailure,
    add_compute_arguments,
    refusal_lines,
    run_compute,
)
from duixian.compute.metering import MeteringError


class Command(BaseCommand):
    help = "算力补助（免申即享）：按调度平台计量数据计算各单位算力补助量。"
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        add_compute_arguments(sub.add_parser("compute", **COMPUTE_PARSER))
        imp = sub.add_parser(
            "import",
            help="导入计量文件（全部接受或全部退回；按 record_id 去重，重复导入不改变任何数据）。",
            description="导入计量文件到系统。文件有错误时不保存任何记录，退出码为1，错误行号输出到标准错误。",
        )
        imp.add_argument("file", metavar="FILE", help="计量文件（带表头的CSV或Parquet）")
        sub.add_parser(
            "run",
            help="按已导入的全部计量数据和数据库中的单位计算算力补助，保存为新的一次计算。",
        )

    def handle(self, *args, action: str, **options):
        if action == "compute":
            return self._compute(options)
        if action == "import":
            return self._import(options["file"])
        if action == "run":
            return self._run()
        raise CommandError(f"未知操作：{action}")  # pragma: no cover - argparse rejects it first

    def _compute(self, options) -> None:
        try:
            run_compute(options, lambda text: self.stdout.write(text, ending=""), self.stderr.write,
                        orgs_from_database=self._orgs_from_database)
        except ComputeFailure as exc:
            raise CommandError(str(exc), returncode=exc.returncode) from None

    @staticmethod
    def _orgs_from_database() -> dict:
        from django.db import DatabaseError

        from duixian.compute.selectors import subsidy_orgs_from_database

        try:
            return subsidy_orgs_from_database()
        except DatabaseError as exc:
            raise CommandError(f"无法从数据库读取单位（是否已运行 duixian migrate？），"
                               f"也可用 --orgs 指定组织名单：{exc}") from None

    def _import(self, path: str) -> None:
        from duixian.compute.models import ImportSource
        from duixian.compute.services import metering_import

        try:
            imp = metering_import(path, source=ImportSource.COMMAND)
        except MeteringError as exc:
            self._refuse(f"计量文件 {path} 未被接受（共 {len(exc.lines())} 行有错误），未保存任何记录：",
                         exc.problems, what="文件未被接受，未保存任何记录")
        except OSError as exc:
            raise CommandError(f"无法读取计量文件：{exc}") from None
        self.stdout.write(
            f"已导入（第{imp.pk}次导入）：文件 {imp.rows_in_file} 行，新增 {imp.new_records} 条，"
            f"此前已导入 {imp.already_present} 条，文件内相同的重复 {imp.repeats_in_file} 条。"
        )

    def _run(self) -> None:
        from duixian.compute.services import subsidy_run

        run = subsidy_run()
        eligible = run.results.filter(eligible=True, subsidy_quantity__gt=0).count()
        self.stdout.write(f"第{run.pk}次计算已完成：{run.records} 条记录，{run.results.count()} 个单位，"
                          f"其中 {eligible} 个单位有算力补助量。")

    def _refuse(self, heading: str, problems, what: str = "文件未被接受，未计算任何结果") -> None:
        for line in refusal_lines(heading, problems):
            self.stderr.write(line)
        sys.stderr.flush()
        raise CommandError(what, returncode=1)
