"""`duixian backup --out DIR`: one file with the database and the materials (CONTRACTS §5).

The file's path is the last line printed, so scripts (and the systemd timer) can pick it up.
"""

from django.core.management.base import BaseCommand, CommandError

from duixian.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份：把数据库、材料文件和计量数据写入 DIR 下的一个文件，最后一行输出其路径"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, metavar="DIR", help="备份文件写入的目录")

    def handle(self, *args, out, **options):
        try:
            result = backup_create(out)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        files = result.manifest.get("files", {})
        rows = sum(result.manifest.get("counts", {}).values())
        self.stderr.write(f"已备份 {rows} 行数据、{sum(1 for f in files if not f.startswith('db/'))} 个文件。")
        self.stdout.write(str(result.path.resolve()))
