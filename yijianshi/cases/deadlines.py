"""电子监察预警: the deadline scan. Set-based, so a million open tasks cost two indexed statements per level.

A task raises each level once per due date: yellow when its warning date has come, red once its due date has
passed. Resuming after a special procedure moves the due date, and the task may warn again at the new one.

Both statements find their tasks through task_deadline_scan (active tasks by warning date). The alert level is in
no index, so moving it rewrites the task on its own page and no index entry (a HOT update); the departments' counts
come from the scan's alerts through alert_raised_at. With a million open tasks, the day's first scan (30,000 alerts)
takes about 1.6 s: docs/performance.md.
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
LEVELS = (
    # Red first: an overdue task raises red, not yellow then red. warning_date ≤ due_date, so "warning_date <= today"
    # holds for red tasks too and lets both levels use the partial index task_deadline_scan.
    (Task.AlertLevel.RED, "warning_date <= %s AND due_date < %s"),
    (Task.AlertLevel.YELLOW, "warning_date <= %s AND due_date >= %s"),
)


def alerts_raise(*, today: datetime.date) -> dict[int, int]:
    """Raise the alerts due today; return how many tasks reached each level, and tell their departments."""
    now = timezone.now()
    # Raw SQL gets values as the ORM would store them (SQLite keeps datetimes as text in its own format).
    stamp, day = connection.ops.adapt_datetimefield_value(now), connection.ops.adapt_datefield_value(today)
    raised = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for level, condition in LEVELS:
            where = f"status = 'active' AND alert_level < %s AND {condition}"
            params = [int(level), day, day]
            cursor.execute(
                f"INSERT INTO {ALERTS} (task_id, case_id, department_id, level, due_date, raised_at) "  # noqa: S608
                f"SELECT id, case_id, department_id, %s, due_date, %s FROM {TASKS} WHERE {where} "
                "ON CONFLICT DO NOTHING",
                [int(level), stamp, *params],
            )
            cursor.execute(f"UPDATE {TASKS} SET alert_level = %s WHERE {where}", [int(level), *params])  # noqa: S608
            raised[int(level)] = cursor.rowcount
    if any(raised.values()):
        _tell_departments(now)
    return raised


def _tell_departments(raised_at) -> None:
    counts = (
        Alert.objects.filter(raised_at=raised_at)
        .values("department_id", "level")
        .annotate(n=Count("id"))
        .order_by("department_id", "level")
    )
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
