"""Row locks for decisions, always taken in one order: the case first, then its tasks by primary key.

Every write that changes a case's state goes through `lock_case`, so two clerks or two approvers acting on the same
case at once are serialised, and the second sees the first's result (and gets a conflict if it no longer fits).
On SQLite the whole database is locked per write transaction instead (IMMEDIATE mode), with the same effect.
"""

from django.db.models import Subquery

from yijianshi.cases.models import Case, Task
from yijianshi.core.errors import NotFound


def lock_case(case_id) -> Case:
    """The case row, locked until the end of the transaction. Call inside `transaction.atomic()`."""
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


def lock_case_of_task(task_id) -> Case:
    """The case of a task, locked as `lock_case` does, found and locked in one statement."""
    case_id = Task.objects.filter(pk=task_id).order_by().values("case_id")
    case = Case.objects.select_for_update().filter(pk=Subquery(case_id)).first()
    if case is None:
        raise NotFound()
    return case


def lock_tasks(case: Case) -> list[Task]:
    """The case's tasks, locked in primary-key order, each holding `case` as its case (no query to read it again).
    Expects the case already locked (`lock_case`).

    Only the task rows are locked (`of=("self",)`): a plain FOR UPDATE would lock the joined department rows too,
    serialising every decision of a department and deadlocking decisions on cases whose tasks share departments."""
    tasks = list(
        Task.objects.select_for_update(of=("self",)).filter(case=case).order_by("pk").select_related("department")
    )
    for task in tasks:
        task.case = case
    return tasks
