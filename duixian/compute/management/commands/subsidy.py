"""``duixian subsidy compute`` (CONTRACTS §3): the compute subsidy from a metering file.

``duixian subsidy compute --metering FILE [--orgs FILE] [--format json|csv|xlsx] [--out FILE]``
prints (or writes) one result per organisation. A refused file exits with status 1 and names
every bad line on stderr, one per line (``第N行：…``). The period, time zone and units come from
the default policy pack.
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

    def handle(self, *args, action: str, **options):
        if action == "compute":
            return self._compute(options)
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

    def _refuse(self, heading: str, problems) -> None:
        self.stderr.write(heading)
        for problem in problems:
            self.stderr.write(str(problem))
        sys.stderr.flush()
        raise CommandError("文件未被接受，未计算任何结果", returncode=1)
