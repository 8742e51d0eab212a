"""``duixian subsidy compute|import|run``: the compute subsidy (CONTRACTS §3) and its data.

``duixian subsidy compute --metering FILE [--orgs FILE] [--format json|csv|xlsx] [--out FILE]``
prints (or writes) one result per organisation. A refused file exits with status 1 and names
every bad line on stderr, one per line (``第N行：…``). The period, time zone and units come from
the default policy pack.

``duixian subsidy import FILE`` stores a metering file (all or nothing, idempotent on record_id);
``duixian subsidy run`` computes over every stored import and keeps the results.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from duixian.compute.engine import OrgsFileError, compute_subsidy, pack_parameters, read_orgs_csv
from duixian.compute.metering import MeteringError
from duixian.compute.output import FORMATS, render


class Command(BaseCommand):
    help = "第三条 算力补助（免申即享）：按调度平台计量数据计算各单位算力补助量。"
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        compute = sub.add_parser(
            "compute",
            help="按计量文件计算各单位的算力使用量、被使用量、不计入量、资格与算力补助量。",
            description="按 CONTRACTS §3 计算算力补助。文件有错误时整个文件不被接受，"
                        "退出码为1，错误行号输出到标准错误。",
        )
        compute.add_argument("--metering", required=True, metavar="FILE",
                             help="计量文件（带表头的CSV或Parquet）")
        compute.add_argument("--orgs", metavar="FILE",
                             help="组织名单CSV（uscc,name,kind,independent_legal_person,"
                                  "agi_enterprise,group_id）；不给出时使用数据库中的单位")
        compute.add_argument("--format", choices=FORMATS, default="json",
                             help="输出格式：json（JSON数组，默认）、csv 或 xlsx")
        compute.add_argument("--out", metavar="FILE", help="输出文件；不给出时写到标准输出（xlsx必须给出）")
        compute.add_argument("--memory-limit", default="256MB",
                             help="DuckDB 内存上限（默认 256MB，超出部分写临时文件）")
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
        from duixian.compute.metering import EngineSettings
        from duixian.policy.pack import default_pack

        fmt = options["format"]
        if fmt == "xlsx" and not options["out"]:
            raise CommandError("xlsx 格式必须用 --out 指定输出文件", returncode=2)
        pack = default_pack()
        period, units = pack_parameters(pack)
        if options["orgs"]:
            try:
                orgs = read_orgs_csv(options["orgs"])
            except OrgsFileError as exc:
                self._refuse(f"组织名单 {options['orgs']} 未被接受：", exc.problems)
            except OSError as exc:
                raise CommandError(f"无法读取组织名单：{exc}") from None
        else:
            from django.db import DatabaseError

            from duixian.compute.selectors import subsidy_orgs_from_database

            try:
                orgs = subsidy_orgs_from_database()
            except DatabaseError as exc:
                raise CommandError(f"无法从数据库读取单位（是否已运行 duixian migrate？），"
                                   f"也可用 --orgs 指定组织名单：{exc}") from None
        try:
            outcome = compute_subsidy(
                options["metering"], orgs, period=period, units=units,
                settings=EngineSettings(memory_limit=options["memory_limit"]),
            )
        except MeteringError as exc:
            self._refuse(f"计量文件 {options['metering']} 未被接受（共 {len(exc.lines())} 行有错误）：",
                         exc.problems)
        data = render(outcome.results, fmt, **({"period": period} if fmt == "xlsx" else {}))
        if options["out"]:
            with open(options["out"], "wb") as f:
                f.write(data)
        else:
            self.stdout.write(data.decode("utf-8"), ending="")

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
        self.stderr.write(heading)
        for problem in problems:
            self.stderr.write(str(problem))
        sys.stderr.flush()
        raise CommandError(what, returncode=1)
