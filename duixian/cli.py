"""The `duixian` console script: Django's manage command for every operation.

``duixian subsidy compute … --orgs FILE`` is a pure function of two files: it runs without
booting Django (duixian.compute.command_line.light_main), with the same output and exit codes.
"""

import os
import sys


def main() -> None:
    if sys.argv[1:3] == ["subsidy", "compute"]:
        from duixian.compute.command_line import light_main

        code = light_main(sys.argv)
        if code is not None:
            sys.exit(code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duixian.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
