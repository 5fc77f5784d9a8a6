import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from tqdm import tqdm

from yijianshi.catalog.exporter import catalog_data, dump
from yijianshi.catalog.models import ServiceItem


class Command(BaseCommand):
    help = "导出事项目录为 YAML（与导入格式相同）；不给文件名时写到标准输出。"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="输出文件，默认标准输出")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度")

    def handle(self, *args, file, no_progress, **options):
        total = ServiceItem.objects.count()
        show = not no_progress and total >= 200
        with tqdm(total=total, desc="导出", unit="项", file=sys.stderr, disable=not show) as bar:
            data = catalog_data(lambda stage, done: bar.update(done))
        if file == "-":
            dump(data, self.stdout)
        else:
            with Path(file).open("w", encoding="utf-8") as stream:
                dump(data, stream)
            self.stderr.write(
                self.style.SUCCESS(f"已导出 {len(data['items'])} 项事项、{len(data['life_events'])} 件一件事到 {file}")
            )
