"""Row locks for decisions, always taken in one order: the case first, then its tasks by primary key.

Every write that changes a case's state goes through `lock_case`, so two clerks or two approvers acting on the same
case at once are serialised, and the second sees the first's result (and gets a conflict if it no longer fits).
On SQLite the whole database is locked per write transaction instead (IMMEDIATE mode), with the same effect.
"""

from yijianshi.cases.models import Case, Task
from yijianshi.core.errors import NotFound


def lock_case(case_id) -> Case:
    """The case row, locked until the end of the transaction. Call inside `transaction.atomic()`."""
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


def lock_tasks(case: Case) -> list[Task]:
    """The case's tasks, locked in primary-key order. Expects the case already locked (`lock_case`)."""
    return list(Task.objects.select_for_update().filter(case=case).order_by("pk").select_related("department"))
