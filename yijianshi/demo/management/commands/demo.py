from django.core.management.base import BaseCommand

from yijianshi.demo import accounts
from yijianshi.demo.loading import load_demo


class Command(BaseCommand):
    help = "加载演示数据（演示城市、部门、各类账户和事项目录）；可重复执行，已有数据不会重复创建。"

    def handle(self, *args, **options):
        logins, summary = load_demo()
        counts = summary.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已就绪：{len(logins)} 个演示账户（密码均为 {accounts.DEMO_PASSWORD}），"
                f"事项 {counts['items']} 项、一件事 {counts['life_events']} 件。"
            )
        )
        if options["verbosity"] > 1:
            for login in logins:
                self.stdout.write(f"  {login.role:　<16} {login.username}")
