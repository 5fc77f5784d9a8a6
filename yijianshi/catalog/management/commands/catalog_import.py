import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from yijianshi.catalog.importer import STAGE_LABELS, catalog_import
from yijianshi.catalog.yaml_source import SourceError

LARGE_FILE = 200_000  # bytes from which progress is shown


class Command(BaseCommand):
    help = "导入事项目录 YAML 文件（部门、事项、一件事）：先完整校验，全部通过才写入，否则不写入任何内容。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="YAML 文件路径，- 表示标准输入")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度")

    def handle(self, *args, file, no_progress, **options):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"无法读取 {file}：{error}") from error
        show = not no_progress and len(text.encode("utf-8")) >= LARGE_FILE
        with tqdm(desc="读取", unit="项", file=sys.stderr, disable=not show) as bar:

            def progress(stage: str, done: int, total: int | None = None) -> None:
                if total is not None:
                    bar.reset(total=total)
                bar.set_description(STAGE_LABELS[stage])
                bar.update(done)

            try:
                summary = catalog_import(text=text, progress=progress)
            except SourceError as error:
                bar.close()
                for problem in error.problems:
                    self.stderr.write(f"  {problem}")
                raise CommandError(f"文件有 {len(error.problems)} 处问题，未写入任何内容。") from error
        counts = summary.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入：部门 {counts['departments']} 个，事项 {counts['items']} 项，"
                f"一件事 {counts['life_events']} 件，同义词 {counts['synonyms']} 条；"
                f"新发布事项版本 {summary.published_items} 个，一件事版本 {summary.published_life_events} 个。"
            )
        )
