import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from yijianshi.cases.events import ACTIONS, chain_problems
from yijianshi.cases.models import Case, CaseEvent

REASONS = {
    "content": "记录内容与其哈希不符（记录被改动）",
    "previous": "前一条哈希不符（记录被插入、删除或改动）",
    "missing": "序号不连续（记录被删除）",
    "head": "办件记录的最新哈希或条数与留痕不符（末尾记录被删除或追加）",
    "form": "申请表内容与该次提交时留痕的摘要不符（申请表被改动）",
    "materials": "申请材料与该次提交时留痕的摘要不符（材料文件被更换、增删）",
}


class Command(BaseCommand):
    help = "校验全部办件的全程留痕哈希链（SM3），报告每个办件第一处断裂；发现断裂时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("numbers", nargs="*", help="只校验这些办件编号")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度")

    def handle(self, *args, numbers, no_progress, **options):
        if numbers:
            known = set(Case.objects.filter(number__in=numbers).values_list("number", flat=True))
            unknown = [n for n in numbers if n not in known]
            if unknown:
                raise CommandError(f"没有这些办件：{'、'.join(unknown)}")
        total = len(numbers) if numbers else Case.objects.count()
        broken = 0
        with tqdm(total=total, desc="校验", unit="件", file=sys.stderr, disable=no_progress or total < 1000) as bar:
            for problem in chain_problems(case_numbers=numbers or None, progress=bar.update):
                broken += 1
                link = problem.link
                event = (
                    CaseEvent.objects.filter(case_id=problem.case_id, position=link.position)
                    .values_list("action", flat=True)
                    .first()
                )
                label = f"（{ACTIONS.get(event, event)}）" if event else ""
                self.stdout.write(
                    f"办件 {problem.case_number or problem.case_id}：第 {link.position} 条{label}"
                    f"{REASONS.get(link.reason, link.reason)}；应为 {link.expected}，实为 {link.stored}"
                )
        if broken:
            raise CommandError(f"{broken} 个办件的留痕链断裂。")
        self.stdout.write(f"已校验 {total} 个办件，留痕链完整。")
