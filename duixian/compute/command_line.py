"""``duixian subsidy compute`` without Django: its arguments, its run, and the light entry point.

One implementation for both ways in (CONTRACTS §3):

- the Django management command (``duixian/compute/management/commands/subsidy.py``) builds its
  ``compute`` sub-command with :func:`add_compute_arguments` and runs :func:`run_compute`;
- the console script (``duixian/cli.py``) hands ``duixian subsidy compute … --orgs FILE …`` to
  :func:`light_main` before Django is imported, because with an organisations file the command
  is a pure function of two files. Without ``--orgs`` the organisations come from the database,
  and the console script boots Django as for every other command.

Both give the same output bytes, messages and exit codes: 0; 1 for a refused file (every bad
line on stderr, then ``CommandError: …``); 2 for a usage error. Nothing here imports Django at
module level; the engine (DuckDB, pyarrow) is imported only when a computation runs, so
``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Mapping

FORMATS = ("json", "csv", "xlsx")  # what duixian.compute.output.render writes

COMPUTE_PARSER = {
    "help": "按计量文件计算各单位的算力使用量、被使用量、不计入量、资格与算力补助量。",
    "description": "按 CONTRACTS §3 计算算力补助。文件有错误时整个文件不被接受，"
                   "退出码为1，错误行号输出到标准错误。",
}


class ComputeFailure(Exception):
    """The command stops with this message and exit code (Django's CommandError carries both)."""

    def __init__(self, message: str, returncode: int = 1):
        super().__init__(message)
        self.returncode = returncode


def add_compute_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``subsidy compute``: one definition for Django and the light entry."""
    parser.add_argument("--metering", required=True, metavar="FILE",
                        help="计量文件（带表头的CSV或Parquet），或一个目录、s3://桶/前缀/ "
                             "下按分区存放的全部Parquet文件")
    parser.add_argument("--orgs", metavar="FILE",
                        help="组织名单CSV（uscc,name,kind,independent_legal_person,"
                             "agi_enterprise,group_id）；不给出时使用数据库中的单位")
    parser.add_argument("--format", choices=FORMATS, default="json",
                        help="输出格式：json（JSON数组，默认）、csv 或 xlsx")
    parser.add_argument("--out", metavar="FILE", help="输出文件；不给出时写到标准输出（xlsx必须给出）")
    parser.add_argument("--memory-limit", default="256MB",
                        help="DuckDB 内存上限（默认 256MB，超出部分写临时文件）")


def run_compute(
    options: Mapping,
    out: Callable[[str], object],
    err: Callable[[str], object],
    orgs_from_database: Callable[[], dict] | None = None,
) -> None:
    """Compute and write the results; raise ComputeFailure when the command must stop.

    ``out`` and ``err`` take text as it is to be written (every stderr line ends with a line
    break); ``orgs_from_database`` is asked for the organisations when no ``--orgs`` is given.
    """
    from duixian.compute.engine import OrgsFileError, compute_subsidy, pack_parameters, read_orgs_csv
    from duixian.compute.metering import EngineSettings, MeteringError
    from duixian.compute.output import render
    from duixian.policy.packfile import load_compute_parameters

    fmt = options["format"]
    if fmt == "xlsx" and not options["out"]:
        raise ComputeFailure("xlsx 格式必须用 --out 指定输出文件", returncode=2)
    parameters = load_compute_parameters()
    period, units = pack_parameters(parameters)
    if options["orgs"]:
        try:
            orgs = read_orgs_csv(options["orgs"])
        except OrgsFileError as exc:
            _refuse(err, f"组织名单 {options['orgs']} 未被接受：", exc.problems)
        except OSError as exc:
            raise ComputeFailure(f"无法读取组织名单：{exc}") from None
    else:
        assert orgs_from_database is not None, "without --orgs the caller reads the database"
        orgs = orgs_from_database()
    try:
        outcome = compute_subsidy(
            options["metering"], orgs, period=period, units=units,
            settings=EngineSettings(memory_limit=options["memory_limit"]),
        )
    except MeteringError as exc:
        _refuse(err, f"计量文件 {options['metering']} 未被接受（共 {len(exc.lines())} 行有错误）：",
                exc.problems)
    # The 说明 sheet's words of the notice come from the pack: its base unit and its citation.
    xlsx_options = {"period": period, "unit": parameters.base_unit, "citation": parameters.quantity_citation}
    data = render(outcome.results, fmt, **(xlsx_options if fmt == "xlsx" else {}))
    if options["out"]:
        with open(options["out"], "wb") as f:
            f.write(data)
    else:
        out(data.decode("utf-8"))


def refusal_lines(heading: str, problems: Iterable) -> list[str]:
    """The stderr lines of a refused file: the heading, then one line per problem."""
    return [_line(heading), *(_line(str(p)) for p in problems)]


def _line(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _refuse(err: Callable[[str], object], heading: str, problems: Iterable,
            what: str = "文件未被接受，未计算任何结果") -> None:
    for line in refusal_lines(heading, problems):
        err(line)
    sys.stderr.flush()
    raise ComputeFailure(what, returncode=1)


def light_main(argv: list[str]) -> int | None:
    """Run ``<prog> subsidy compute ARGS`` (``argv`` as in sys.argv) without Django.

    Returns the exit code, or None when the command needs Django: no ``--orgs`` (the database
    holds the organisations) or arguments only Django's own parser knows (which it refuses the
    same way as before). ``--help`` and usage errors end here with exit code 0 or 2.
    """
    prog = os.path.basename(argv[0])
    if prog == "__main__.py":  # as Django's ManagementUtility names it
        prog = "python -m django"
    parser = argparse.ArgumentParser(prog=f"{prog} subsidy compute", **{
        k: v for k, v in COMPUTE_PARSER.items() if k != "help"})
    add_compute_arguments(parser)
    options, extra = parser.parse_known_args(argv[3:])
    if extra or not options.orgs:
        return None
    try:
        run_compute(vars(options), sys.stdout.write, sys.stderr.write)
    except ComputeFailure as exc:
        sys.stderr.write(f"CommandError: {exc}\n")
        return exc.returncode
    return 0
