"""`duixian token issue NAME --scope SCOPE` (the token is printed once), `duixian token list`
and `duixian token revoke NAME|ID` (every change audited; the list never shows a token)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from duixian.api.models import MachineToken
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.clock import SHANGHAI


def _local(moment) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


class Command(BaseCommand):
    help = "接口令牌：issue 签发（只显示一次）、list 列出、revoke 吊销（按名称或编号）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="为机器客户端签发令牌，令牌只显示这一次")
        issue.add_argument("name")
        issue.add_argument("--scope", required=True, choices=["metering:write"])
        listing = sub.add_parser("list", help="列出全部令牌（编号、名称、权限、签发与吊销时间；不显示令牌本身）")
        listing.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
        revoke = sub.add_parser("revoke", help="吊销令牌：给出名称（吊销该名称下全部有效令牌）或编号")
        revoke.add_argument("target", metavar="NAME|ID")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _issue(self, options):
        with transaction.atomic():  # the token and its audit row, or neither (and nothing printed)
            token, raw = MachineToken.issue(options["name"], options["scope"])
            audit_record("api_token.issue", obj=token, username="cli", detail={"name": token.name, "scope": token.scope})
        self.stdout.write(raw)

    def _list(self, options):
        for token in MachineToken.objects.order_by("pk"):
            row = {"id": token.pk, "name": token.name, "scope": token.scope,
                   "created_at": _local(token.created_at), "revoked_at": _local(token.revoked_at) or None}
            if options["json"]:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                state = f"已吊销（{row['revoked_at']}）" if token.revoked_at else "有效"
                self.stdout.write(f"{token.pk}\t{token.name}\t{token.scope}\t签发于 {row['created_at']}\t{state}")

    def _revoke(self, options):
        target = options["target"]
        active = MachineToken.objects.filter(revoked_at__isnull=True)
        tokens = list(active.filter(pk=int(target)) if target.isdigit() else active.filter(name=target))
        if not tokens:
            raise CommandError(f"没有有效的接口令牌：{target}（用 duixian token list 查看）")
        now = clock.now()
        for token in tokens:
            with transaction.atomic():  # the revocation and its audit row, or neither
                token.revoked_at = now
                token.save(update_fields=["revoked_at"])
                audit_record("api_token.revoke", obj=token, username="cli",
                             detail={"name": token.name, "scope": token.scope})
            self.stdout.write(f"已吊销：{token.pk}\t{token.name}")
