"""`duixian restore FILE [--noinput]`: replace the current data with a backup (CONTRACTS §5).

Without --noinput it says what will be replaced and asks; a file that is not a complete,
intact backup of this platform is refused before anything changes (exit status 1).
"""

from django.core.management.base import BaseCommand, CommandError

from duixian.ops.backup import BackupError, backup_describe, backup_restore


class Command(BaseCommand):
    help = "恢复：用备份文件替换当前全部数据和材料文件（--noinput 时不询问）"

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="duixian backup 生成的备份文件")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="不询问，直接恢复")

    def handle(self, *args, file, interactive, **options):
        if interactive:
            manifest = backup_describe(file)
            made = manifest.get("created_at", "未知时间")
            answer = input(
                f"将用备份 {file}（生成于 {made}）替换当前全部数据、材料文件和计量数据，此操作不可撤销。\n"
                "确定恢复吗？请输入 yes 继续："
            )
            if answer.strip().lower() not in {"yes", "y", "是"}:
                raise CommandError("已取消，未做任何更改。")
        try:
            manifest = backup_restore(file)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        rows = sum(manifest.get("counts", {}).values())
        self.stdout.write(f"已从 {file} 恢复 {rows} 行数据（备份生成于 {manifest.get('created_at')}）。")
