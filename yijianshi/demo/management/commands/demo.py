from django.core.management.base import BaseCommand

from yijianshi.demo import accounts


class Command(BaseCommand):
    help = "加载演示数据（演示城市、部门和各类账户）；可重复执行，已有数据不会重复创建。"

    def handle(self, *args, **options):
        logins = accounts.load()
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已就绪：{len(logins)} 个演示账户，密码均为 {accounts.DEMO_PASSWORD}")
        )
        if options["verbosity"] > 1:
            for login in logins:
                self.stdout.write(f"  {login.role:　<16} {login.username}")
