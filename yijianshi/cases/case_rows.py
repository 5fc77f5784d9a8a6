"""The rows one case's pages and API show, read with fixed SQL (`core.rows`): tasks with their departments, each
task's special procedures and results with their files, the materials and their files.

A case page is the page applicants open most (进度随时查). Read through the query builder with prefetches, these five
statements cost about 12 ms of Python at the host's slower speed, three quarters of it building the queries and
matching prefetched rows; made once per connection, about 3 ms (docs/performance.md). Still five statements, each in
the order the pages show, and instances as the ORM makes them.
"""

from dataclasses import dataclass

from django.db import connection

from yijianshi.cases.models import Case, CaseMaterial, CaseMaterialFile, ResultFile, Suspension, Task
from yijianshi.core.rows import column, prep, select_models


@dataclass(frozen=True)
class CaseRows:
    tasks: list[Task]  # by position, each holding its department
    suspensions: dict  # task id → its special procedures, oldest first
    results: dict  # task id → its result files (each holding its stored file), in the order they were made
    materials: list[CaseMaterial]  # in the order they were written
    links: dict  # material id → its files (each link holding its stored file), by position


def case_rows(case: Case) -> CaseRows:
    case_id = [prep(Case, "id", case.pk)]
    quote = connection.ops.quote_name
    of_tasks = f"(SELECT {column(Task)} FROM {quote(Task._meta.db_table)} WHERE {column(Task, 'case')} = %s)"  # noqa: S608
    of_materials = (
        f"(SELECT {column(CaseMaterial)} FROM {quote(CaseMaterial._meta.db_table)} "  # noqa: S608
        f"WHERE {column(CaseMaterial, 'case')} = %s)"
    )
    tasks = select_models(
        Task, f"{column(Task, 'case')} = %s", case_id, joined=["department"], order_by=column(Task, "position")
    )
    # A case not accepted yet has no tasks, and so nothing of theirs to read; one whose materials are all licenses
    # or promises, no files.
    suspensions = results = links = []
    if tasks:
        suspensions = select_models(
            Suspension, f"{column(Suspension, 'task')} IN {of_tasks}", case_id,
            order_by=f"{column(Suspension, 'started_at')}, {column(Suspension)}",
        )  # fmt: skip
        results = select_models(
            ResultFile, f"{column(ResultFile, 'task')} IN {of_tasks}", case_id, joined=["file"],
            order_by=f"{column(ResultFile, 'created_at')}, {column(ResultFile)}",
        )  # fmt: skip
    materials = select_models(
        CaseMaterial, f"{column(CaseMaterial, 'case')} = %s", case_id, order_by=column(CaseMaterial)
    )
    if any(m.kind in HOLD_FILES for m in materials):
        links = select_models(
            CaseMaterialFile, f"{column(CaseMaterialFile, 'material')} IN {of_materials}", case_id,
            joined=["file"], order_by=f"{column(CaseMaterialFile, 'material')}, {column(CaseMaterialFile, 'position')}",
        )  # fmt: skip
    for task in tasks:
        task.case = case
    return CaseRows(
        tasks=tasks,
        suspensions=_by(suspensions, "task_id"),
        results=_by(results, "task_id"),
        materials=materials,
        links=_by(links, "material_id"),
    )


# Materials that may hold files: uploads, and 容缺 materials once supplied. Only these get links (materials.py for
# uploads, commitments' deferrals.py for supplied ones); a kind that gains files must be added here.
HOLD_FILES = (CaseMaterial.Kind.FILES, CaseMaterial.Kind.DEFERRED)


def _by(rows: list, attribute: str) -> dict:
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(getattr(row, attribute), []).append(row)
    return grouped
