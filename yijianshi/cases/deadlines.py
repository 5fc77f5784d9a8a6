"""电子监察预警: the deadline scan. Set-based: a million open tasks cost one statement and no write to a task.

A task raises each level once per due date: yellow when its warning date has come, red once its due date has
passed, and red alone when it is overdue by the time it is first seen. Resuming after a special procedure moves the
due date; what was raised against the old one carries over only while it still holds (`carried_alert_level`), so a
task that is still overdue does not warn twice, and one that moved out of yellow or red warns again when it gets
there.

The alerts are the record of what was raised: the statement finds the due tasks through task_deadline_scan (active
tasks by warning date) and leaves out those with an alert of that level and due date already. It writes alerts only:
writing a level on each task, or locking it through a foreign key, wrote every such task's page to the WAL whole
after each checkpoint. The departments' counts come from the scan's alerts through alert_raised_at. With a million
open tasks, the day's first scan (30,000 alerts) takes about 1.5 s: docs/performance.md.
"""

import datetime

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.accounts.models import RoleAssignment
from yijianshi.cases.models import Alert, Task
from yijianshi.notifications.services import notify

TASKS, ALERTS = Task._meta.db_table, Alert._meta.db_table
RED, YELLOW = int(Task.AlertLevel.RED), int(Task.AlertLevel.YELLOW)
# The level a task reached: warning_date <= due_date, so every task past its warning date is at least yellow.
LEVEL = f"(CASE WHEN t.due_date < %(today)s THEN {RED} ELSE {YELLOW} END)"
SCAN = (
    f"INSERT INTO {ALERTS} (task_id, case_id, department_id, level, due_date, raised_at) "  # noqa: S608
    f"SELECT t.id, t.case_id, t.department_id, {LEVEL}, t.due_date, %(now)s FROM {TASKS} t "
    f"WHERE t.status = 'active' AND t.warning_date <= %(today)s AND t.carried_alert_level < {LEVEL} "
    f"AND NOT EXISTS (SELECT 1 FROM {ALERTS} a WHERE a.task_id = t.id AND a.due_date = t.due_date "
    f"AND a.level >= {LEVEL}) "
    # Two scans at once (a slow one overtaken by the next): the second raises nothing twice.
    "ON CONFLICT DO NOTHING"
)


def alerts_raise(*, today: datetime.date) -> dict[int, int]:
    """Raise the alerts due today; return how many tasks reached each level, and tell their departments."""
    now = timezone.now()
    # Raw SQL gets values as the ORM would store them (SQLite keeps datetimes as text in its own format).
    params = {
        "now": connection.ops.adapt_datetimefield_value(now),
        "today": connection.ops.adapt_datefield_value(today),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SCAN, params)
        raised = cursor.rowcount
    counts = _counts(now) if raised else []
    if counts:
        _tell_departments(counts)
    totals = {RED: 0, YELLOW: 0}
    for row in counts:
        totals[row["level"]] += row["n"]
    return totals


def _counts(raised_at) -> list[dict]:
    """The scan's alerts by department and level."""
    return list(
        Alert.objects.filter(raised_at=raised_at)
        .values("department_id", "level")
        .annotate(n=Count("id"))
        .order_by("department_id", "level")
    )


def _tell_departments(counts: list[dict]) -> None:
    approvers: dict[int, list] = {}
    for assignment in RoleAssignment.objects.filter(
        role__code="approver", department_id__in={row["department_id"] for row in counts}
    ).select_related("user"):
        approvers.setdefault(assignment.department_id, []).append(assignment.user)
    for row in counts:
        if row["level"] == Task.AlertLevel.RED:
            title, body = _("审批任务已超期"), _("本部门有 %(n)d 件审批任务已超过办理期限（红灯），请立即处理。")
        else:
            title, body = _("审批任务即将到期"), _("本部门有 %(n)d 件审批任务即将到期（黄灯），请抓紧办理。")
        notify(
            users=approvers.get(row["department_id"], []),
            title=title,
            body=body % {"n": row["n"]},
            link="/workbench/tasks/?colour=" + ("red" if row["level"] == Task.AlertLevel.RED else "yellow"),
            sms=False,
        )
