"""`duixian admin create USERNAME ROLE --email ADDRESS [--full-name NAME]`: at installation, an
account for one of the three administrators (system_admin, security_admin, audit_admin).

Run on the server (it needs the environment file and database access, not a web page). The
password is asked twice on the terminal, or read from standard input with --password-stdin.
Business roles are never set here: the security administrator grants them on the platform.
"""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from duixian.authz.roles import ADMIN_ROLES


class Command(BaseCommand):
    help = "安装时创建系统管理员、安全管理员或审计管理员账号（三员分立：各用一个账号）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="创建管理员账号")
        create.add_argument("username")
        create.add_argument("role", choices=sorted(ADMIN_ROLES))
        create.add_argument("--email", required=True, help="本人工作邮箱（接收密码重置链接）")
        create.add_argument("--full-name", default="")
        create.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")

    def handle(self, *args, **options):
        from duixian.accounts.services import AccountError, administrator_create

        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("密码：")
            if getpass.getpass("再次输入密码：") != password:
                raise CommandError("两次输入的密码不一致。")
        try:
            user = administrator_create(username=options["username"], role=options["role"], email=options["email"],
                                        full_name=options["full_name"], password=password)
        except AccountError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        self.stdout.write(f"已创建 {user.username}（{user.role_label}）。首次登录时须绑定身份验证器。")
