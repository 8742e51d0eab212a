"""``duixian review sweep [--schedule]``: mark what the city deadline left open as expired (逾期).

Rarely needed by hand: every `duixian worker` runs the sweep by itself as soon as the platform
clock reaches the deadline (duixian.ops.housekeeping), and moving the demo clock past it runs it
at once. The command is for a platform running without a worker, or to see what it did."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "市级审核推荐：截止后将未审核、未补正的申报标记为逾期（后台执行进程在截止时刻会自动执行，一般无需手动运行）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        sweep = sub.add_parser("sweep", help="市级审核推荐截止后，将仍待审核或退回未补正的申报标记为逾期（可重复执行）。")
        sweep.add_argument("--schedule", action="store_true",
                           help="不立即执行，而是排入后台任务，在截止时刻由 duixian db_worker 执行。")

    def handle(self, *args, action: str, **options):
        if action != "sweep":  # pragma: no cover - argparse rejects it first
            raise CommandError(f"未知操作：{action}")
        if options["schedule"]:
            from duixian.policy.active import batches
            from duixian.review.tasks import schedule_deadline_sweep

            for pack in batches():  # each batch's city deadline
                result = schedule_deadline_sweep(pack)
                self.stdout.write(f"已排入后台任务 {result.id}（批次 {pack.batch_id}），"
                                  f"将于 {result.task.run_after.isoformat()} 后执行。")
            return
        from duixian.review.services import deadline_sweep

        result = deadline_sweep()
        self.stdout.write(result.message)
        for ref in result.expired:
            self.stdout.write(f"  {ref}")
