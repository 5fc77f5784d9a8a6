"""Start the platform on one machine: the web server and the Huey consumer, stopped together."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from yijianshi.demo.accounts import DEMO_PASSWORD


class Command(BaseCommand):
    help = "启动 Web 服务和后台任务处理进程（gunicorn + Huey），Ctrl+C 同时停止。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))

    def handle(self, *args, host, port, workers, **options):
        web = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application", "--config", "python:config.gunicorn",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4",
            "--graceful-timeout", "5", "--no-control-socket",
        ]  # fmt: skip
        queue = [sys.executable, "-m", "config.manage", "run_huey"]
        children = [subprocess.Popen(queue), subprocess.Popen(web)]  # noqa: S603 (our own interpreter)
        self._announce(host, port)

        def stop(*_):
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [child.returncode for child in children if child.returncode not in (0, -signal.SIGTERM, None)]
        if failed:
            sys.exit(1)

    def _announce(self, host: str, port: int) -> None:
        base = f"http://{host}:{port}"
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        queue = "Redis" if settings.REDIS_URL else "SQLite"
        lines = [
            "",
            f"一件事平台已启动（数据库：{database}，任务队列：Huey on {queue}）",
            f"  办事大厅      {base}/",
            f"  工作台        {base}/workbench/",
            f"  平台管理      {base}/admin/",
            f"  接口文档      {base}/api/v1/docs",
            f"  健康检查      {base}/healthz   {base}/readyz",
            f"演示账户（密码均为 {DEMO_PASSWORD}）：zhangsan（自然人）、hongtu（法人）、chuangkou（综合窗口）、",
            "  shenpi-wjw 等（各部门审批）、jiancha（监察）、mulu（目录管理）、admin（系统管理）。完整列表见 README。",
            "按 Ctrl+C 停止。",
            "",
        ]
        self.stdout.write("\n".join(lines))
