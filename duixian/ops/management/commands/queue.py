"""`duixian queue`: how the background queues stand, one line each; exit 1 when an item has
waited QUEUE_ALERT_SECONDS or longer (for a monitoring system's check, docs/deploy.md)."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from duixian.ops.queue import queue_status

NAMES = {"receipts": "提交核验", "tasks": "后台任务"}


class Command(BaseCommand):
    help = "后台队列：等待中的提交核验与后台任务；有等待超过 QUEUE_ALERT_SECONDS 秒的项目时以状态 1 退出"

    def handle(self, *args, **options):
        stale = False
        for queue in queue_status():
            waited = f"，最早一件已等待 {int(queue.age.total_seconds())} 秒" if queue.age is not None else ""
            line = f"{NAMES[queue.name]}：等待 {queue.waiting} 件{waited}；近 10 分钟完成 {queue.checked_recently} 件"
            if queue.name == "tasks":
                line += f"；执行中 {queue.running} 件；近 24 小时失败 {queue.failed_today} 件"
            (self.stderr if queue.alert else self.stdout).write(line)
            stale = stale or queue.alert
        if stale:
            self.stderr.write(f"有等待超过 {settings.QUEUE_ALERT_SECONDS} 秒的项目：请检查 duixian worker 是否在运行、数量是否够用。")
            sys.exit(1)
