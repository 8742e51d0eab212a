"""``duixian export summary --city CITY_CODE --format xlsx|docx --out FILE`` (CONTRACTS §4).

Writes the 附件2 兑现申报（汇总）表 of the city's recommended applications: the same bytes the
city clerk downloads in the browser for the same data. Also ``export letter`` (推荐函) and
``export materials`` (a zip, one folder per application).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def _city(code: str) -> str:
    from duixian.applications import policy_bridge

    code = (code or "").strip()
    pack = policy_bridge.get_pack()
    if pack.contacts.city(code) is None:
        known = "、".join(f"{c.city_code} {c.city}" for c in pack.contacts.cities)
        raise CommandError(f"未知的地市代码：{code}。可选：{known}", returncode=2)
    return code


def _batch(batch_id: str | None):
    """The batch's pack (`--batch`; without it, the default batch)."""
    from duixian.policy.active import batches, current_pack, has_batch, pack_of

    if not batch_id:
        return current_pack()
    if not has_batch(batch_id):
        known = "、".join(p.batch_id for p in batches())
        raise CommandError(f"未知的批次：{batch_id}。可选：{known}", returncode=2)
    return pack_of(batch_id)


class Command(BaseCommand):
    help = "导出地市汇总表（附件2）、推荐函和材料包。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
        summary = sub.add_parser("summary", help="附件2 兑现申报（汇总）表：本市已推荐的申报")
        summary.add_argument("--city", required=True, help="地市代码，如 340100（合肥市）")
        summary.add_argument("--format", required=True, choices=["xlsx", "docx"], dest="fmt")
        summary.add_argument("--out", required=True, help="输出文件路径")
        letter = sub.add_parser("letter", help="推荐函（docx）")
        letter.add_argument("--city", required=True)
        letter.add_argument("--date", help="落款日期 YYYY-MM-DD，默认今天（北京时间）")
        letter.add_argument("--out", required=True)
        materials = sub.add_parser("materials", help="推荐申报的材料包（zip，每个申报一个文件夹）")
        materials.add_argument("--city", required=True)
        materials.add_argument("--out", required=True)
        for command in (summary, letter, materials):
            command.add_argument("--batch", help="批次编号（默认：当前批次）")

    def handle(self, *args, what: str, **options):
        from duixian.exports import services

        city = _city(options["city"])
        pack = _batch(options.get("batch"))
        out = Path(options["out"])
        if what == "summary":
            content, data = services.export_summary(city, options["fmt"], via="cli", pack=pack)
            out.write_bytes(content)
            self.stdout.write(f"{out}：{data.bureau} {len(data.rows)} 项，合计 {data.total_wan} 万元")
        elif what == "letter":
            from datetime import date

            from duixian.core import clock

            try:
                issued = date.fromisoformat(options["date"]) if options.get("date") else clock.local_now().date()
            except ValueError:
                raise CommandError("--date 应为 YYYY-MM-DD", returncode=2) from None
            if problem := services.letter_date_problem(issued, pack):
                raise CommandError(problem, returncode=2)
            content, data = services.export_letter(city, issued, via="cli", pack=pack)
            out.write_bytes(content)
            self.stdout.write(f"{out}：{data.bureau} 推荐 {len(data.rows)} 项，合计 {data.total_wan} 万元")
        elif what == "materials":
            handle, apps, files = services.export_materials(city, via="cli", pack=pack)
            with handle, out.open("wb") as target:
                shutil.copyfileobj(handle, target)
            self.stdout.write(f"{out}：{apps} 个申报，{files} 个文件")
