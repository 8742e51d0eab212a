"""``duixian org check CODE [CODE ...]`` (CONTRACTS §1).

Prints one JSON object per line (UTF-8, not ASCII-escaped) in the order the codes were given and exits
with status 0 when every code is valid, 1 otherwise. ``org`` is a command with subcommands because
``duixian check`` is Django's system check.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from duixian.codes.uscc import check_uscc


class Command(BaseCommand):
    help = "统一社会信用代码与所属地市核验等组织机构操作。"
    # A pure check needs neither the database nor URL/system checks; integrators call it from scripts.
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        check = sub.add_parser(
            "check",
            help="核验统一社会信用代码：每个代码输出一行 JSON；全部有效时退出码为0，否则为1。",
            description="核验统一社会信用代码（GB 32100-2015 校验码）并给出登记机关所属地市。",
        )
        check.add_argument("codes", nargs="+", metavar="CODE", help="统一社会信用代码（大小写均可）")

    def handle(self, *args, action: str, **options):
        if action == "check":
            return self._check(options["codes"])
        raise CommandError(f"未知操作：{action}")  # pragma: no cover - argparse rejects it first

    def _check(self, codes: list[str]) -> None:
        invalid = 0
        for code in codes:
            result = check_uscc(code)
            invalid += not result.valid
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        if invalid:
            raise CommandError(f"{invalid} 个代码无效", returncode=1)
