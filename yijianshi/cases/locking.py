"""Row locks for decisions, always taken in one order: the case first, then its tasks by primary key.

Every write that changes a case's state goes through `lock_case`, so two clerks or two approvers acting on the same
case at once are serialised, and the second sees the first's result (and gets a conflict if it no longer fits).
On SQLite the whole database is locked per write transaction instead (IMMEDIATE mode), with the same effect.
"""

from django.db import connection

from yijianshi.cases.models import Case, Task
from yijianshi.core.errors import NotFound
from yijianshi.core.rows import column, prep, select_models


def lock_case(case_id) -> Case:
    """The case row, locked until the end of the transaction. Call inside `transaction.atomic()`."""
    found = select_models(Case, f"{column(Case)} = %s", [prep(Case, "id", case_id)], lock=True)
    if not found:
        raise NotFound()
    return found[0]


def lock_case_of_task(task_id) -> Case:
    """The case of a task, locked as `lock_case` does, found and locked in one statement."""
    tasks = connection.ops.quote_name(Task._meta.db_table)
    where = f"{column(Case)} = (SELECT {column(Task, 'case')} FROM {tasks} WHERE {column(Task)} = %s)"  # noqa: S608
    found = select_models(Case, where, [prep(Task, "id", task_id)], lock=True)
    if not found:
        raise NotFound()
    return found[0]


def lock_tasks(case: Case) -> list[Task]:
    """The case's tasks with their departments, locked in primary-key order, each holding `case` as its case (no
    query to read it again). Expects the case already locked (`lock_case`).

    Only the task rows are locked (FOR UPDATE OF the tasks): a plain FOR UPDATE would lock the joined department rows
    too, serialising every decision of a department and deadlocking decisions on cases whose tasks share
    departments."""
    tasks = select_models(
        Task, f"{column(Task, 'case')} = %s", [prep(Case, "id", case.pk)], joined=["department"],
        order_by=column(Task), lock=True,
    )  # fmt: skip
    for task in tasks:
        task.case = case
    return tasks
