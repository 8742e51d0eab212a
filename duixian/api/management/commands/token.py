"""`duixian token issue NAME --scope SCOPE`: create a machine token and print it once."""

from django.core.management.base import BaseCommand

from duixian.api.models import MachineToken
from duixian.audit.services import audit_record


class Command(BaseCommand):
    help = "接口令牌：issue 为机器客户端签发令牌（只显示一次）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue")
        issue.add_argument("name")
        issue.add_argument("--scope", required=True, choices=["metering:write"])

    def handle(self, *args, **options):
        token, raw = MachineToken.issue(options["name"], options["scope"])
        audit_record("api_token.issue", obj=token, username="cli", detail={"name": token.name, "scope": token.scope})
        self.stdout.write(raw)
