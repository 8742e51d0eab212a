"""`duixian audit verify [--backup FILE ...]`: check the keyed hash chain against the checkpoints
of its head (the anchor file, and each backup given); exit 1 and name each problem."""

import sys

from django.core.management.base import BaseCommand, CommandError

from duixian.audit.anchors import anchor_path, anchors_read, backup_anchor, key_fingerprint
from duixian.audit.services import audit_verify


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链是否完整，并与链外锚点核对末尾记录"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="校验审计日志哈希链，发现篡改、删除（包括末尾记录被删除）时以非零状态退出")
        verify.add_argument("--backup", action="append", default=[], metavar="FILE",
                            help="同时与该备份文件中记录的审计锚点核对（可重复）")

    def handle(self, *args, **options):
        extra = []
        for path in options["backup"]:
            try:
                extra.append(backup_anchor(path))
            except ValueError as error:
                raise CommandError(str(error)) from error
        problems = audit_verify(extra_anchors=extra)
        for problem in problems:
            self.stderr.write(problem.message)
        if problems:
            sys.exit(1)
        reading = anchors_read()
        checked = [*reading.anchors, *extra]
        if checked:
            top = max(checked, key=lambda a: a.seq)
            self.stdout.write(f"审计日志哈希链完整，已与链外锚点核对（锚点记录到第 {top.seq} 条，{top.source}）。")
        else:
            self.stdout.write(f"审计日志哈希链完整。注意：没有找到链外锚点（{anchor_path()}），无法确认末尾记录未被删除。")
        self.stdout.write(f"密钥指纹 {key_fingerprint()}")
