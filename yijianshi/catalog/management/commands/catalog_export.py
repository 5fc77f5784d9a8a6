import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from tqdm import tqdm

from yijianshi.catalog.exporter import catalog_export
from yijianshi.catalog.models import LifeEvent, ServiceItem

LARGE = 200  # items from which progress is shown


class Command(BaseCommand):
    help = "导出事项目录为 YAML（与导入格式相同）；不给文件名时写到标准输出。"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="输出文件，默认标准输出")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度")

    def handle(self, *args, file, no_progress, **options):
        items, life_events = ServiceItem.objects.count(), LifeEvent.objects.count()
        show = not no_progress and items >= LARGE
        with tqdm(total=items + life_events, desc="导出", unit="项", file=sys.stderr, disable=not show) as bar:

            def progress(stage: str, done: int) -> None:
                bar.update(done)

            if file == "-":
                catalog_export(self.stdout, progress)
            else:
                # Write beside the target and rename: a failure never leaves a truncated export in its place.
                target = Path(file)
                partial = target.with_name(f".{target.name}.partial")
                try:
                    with partial.open("w", encoding="utf-8") as stream:
                        catalog_export(stream, progress)
                    partial.replace(target)
                finally:
                    partial.unlink(missing_ok=True)
        if file != "-":
            self.stderr.write(self.style.SUCCESS(f"已导出 {items} 项事项、{life_events} 件一件事到 {file}"))
