"""后台分类审批: tasks become active along the flow, departments decide, suspend and resume them, and the case
completes when every task is decided.

Every function here expects the case and its tasks locked (`locking.lock_case`, `locking.lock_tasks`). The steps of
a decision (`tasks_activate_ready`, `case_complete_if_done`…) append events with the case's head kept in memory; the
decision's last save of the case writes it (`events.HEAD`).
"""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.cases import notices
from yijianshi.cases.clocks import GREEN, RED, YELLOW, case_schedule, colour, task_schedule
from yijianshi.cases.events import HEAD, event_append
from yijianshi.cases.extensions import extensions
from yijianshi.cases.licensing import license_issue_for_task
from yijianshi.cases.locking import lock_case_of_task, lock_tasks
from yijianshi.cases.models import Case, DeliveryMethod, ResultFile, Suspension, Task
from yijianshi.core.calendar import WorkCalendar, current_calendar
from yijianshi.core.errors import Conflict, InvalidInput

APPROVE, REFUSE = "approve", "refuse"
MAX_SUSPENSION_DAYS = 366


def startable(tasks: list[Task]) -> list[Task]:
    """The waiting tasks whose predecessors are all approved."""
    approved = {t.item_code for t in tasks if t.status == Task.Status.APPROVED}
    return [t for t in tasks if t.status == Task.Status.WAITING and set(t.depends_on) <= approved]


def tasks_activate_ready(case: Case, tasks: list[Task], *, by, role: str, calendar: WorkCalendar, today) -> list[Task]:
    """Activate every waiting task whose predecessors are all approved; their clocks start today. The caller saves
    the case's head."""
    now = timezone.now()
    activated = startable(tasks)
    for task in activated:
        task.status = Task.Status.ACTIVE
        task.activated_at, task.started_on = now, today
        task_schedule(task, calendar)
    # One UPDATE per distinct deadline (tasks started together mostly share one), not a CASE per task and column.
    deadlines: dict[tuple, list] = {}
    for task in activated:
        deadlines.setdefault((task.due_date, task.warning_date), []).append(task.pk)
    for (due, warning), ids in deadlines.items():
        Task.objects.filter(pk__in=ids).update(
            status=Task.Status.ACTIVE, activated_at=now, started_on=today, due_date=due, warning_date=warning
        )
    for task in activated:
        event_append(
            case=case,
            action="task_activated",
            by=by,
            role=role,
            data={"task": task.pk, "item": task.item_code, "department": task.department.code, "due": task.due_date},
            save_head=False,
        )
        notices.task_announce(task, "activated")
    return activated


def _close_dependents(case: Case, tasks: list[Task], *, by, role: str) -> list[Task]:
    """Close, as not applicable, every waiting task that (transitively) needed a result that will not come. The
    caller saves the case's head."""
    closed = []
    failed = {t.item_code: t for t in tasks if t.status in Task.FAILED_STATUSES}
    changed = True
    while changed:
        changed = False
        for task in tasks:
            blockers = [failed[code] for code in task.depends_on if code in failed]
            if task.status == Task.Status.WAITING and blockers:
                task.status = Task.Status.NOT_APPLICABLE
                task.closed_reason = _("前置事项“%(item)s”未获准予许可，本事项不再办理。") % {
                    "item": blockers[0].item_name
                }
                failed[task.item_code] = task
                closed.append(task)
                changed = True
    if closed:
        Task.objects.bulk_update(closed, ["status", "closed_reason"])
    for task in closed:
        event_append(
            case=case,
            action="task_not_applicable",
            by=by,
            role=role,
            data={"task": task.pk, "item": task.item_code, "reason": task.closed_reason},
            save_head=False,
        )
    return closed


def case_complete_if_done(case: Case, tasks: list[Task], *, by, role: str) -> bool:
    """Complete the case once no task is open: 办结 when all were approved, partly or not at all otherwise."""
    if any(task.is_open for task in tasks):
        return False
    case.outcome = _outcome(tasks)
    now = timezone.now()
    case.status, case.completed_at, case.updated_at = Case.Status.COMPLETED, now, now
    if case.delivery_method == DeliveryMethod.PICKUP:
        case.pickup_code = f"{secrets.randbelow(10**6):06d}"
    if case.delivery_method == DeliveryMethod.ELECTRONIC:
        case.delivered_at = now
    event_append(
        case=case,
        action="completed",
        by=by,
        role=role,
        data={"outcome": case.outcome, "tasks": {t.item_code: t.status for t in tasks}},
        save_head=False,
    )
    case.save(update_fields=["outcome", "status", "completed_at", "updated_at", "pickup_code", "delivered_at", *HEAD])
    notices.case_announce(case, "completed", tasks=tasks)
    return True


def _locked(task_id) -> tuple[Case, list[Task], Task]:
    case = lock_case_of_task(task_id)
    tasks = lock_tasks(case)
    return case, tasks, next(t for t in tasks if t.pk == task_id)


def _not_active(task: Task) -> Conflict:
    if task.status == Task.Status.WAITING:
        return Conflict(_("前置事项尚未办结，该任务还不能办理。"), code="task_waiting")
    if task.status == Task.Status.SUSPENDED:
        return Conflict(_("该任务正处于特别程序中，请先结束特别程序。"), code="task_suspended")
    if task.status in (Task.Status.NOT_APPLICABLE, Task.Status.TERMINATED):
        return Conflict(
            _("该任务已不再办理（%(reason)s），不能作出决定。") % {"reason": task.closed_reason}, code="task_closed"
        )
    when = timezone.localtime(task.decided_at).strftime("%Y-%m-%d %H:%M") if task.decided_at else ""
    return Conflict(
        _("该任务已于 %(when)s 作出决定（%(status)s），不能重复决定。")
        % {"when": when, "status": task.get_status_display()},
        code="task_decided",
    )


def check_decision(*, decision: str, opinion: str, refusal_reason: str, legal_basis: str) -> None:
    problems = {}
    if decision not in (APPROVE, REFUSE):
        problems["decision"] = _("决定应为 approve（准予）或 refuse（不予）")
    elif decision == APPROVE and not opinion.strip():
        problems["opinion"] = _("请填写审批意见")
    elif decision == REFUSE:
        if not refusal_reason.strip():
            problems["refusal_reason"] = _("不予许可须说明理由")
        if not legal_basis.strip():
            problems["legal_basis"] = _("不予许可须写明法律依据")
    if problems:
        raise InvalidInput.for_fields(problems)


def task_decide_locked(
    case: Case, tasks: list[Task], task: Task, *, by, role: str, decision: str, opinion: str = "",
    refusal_reason: str = "", legal_basis: str = "", results=(),
) -> Task:  # fmt: skip
    """Decide an active task of a locked case, then move the flow on: activate successors, close dependents of a
    refusal, complete the case."""
    if task.status != Task.Status.ACTIVE:
        raise _not_active(task)
    check_decision(decision=decision, opinion=opinion, refusal_reason=refusal_reason, legal_basis=legal_basis)
    for extension in extensions():
        extension.before_decision(case, task, decision=decision)
    now = timezone.now()
    task.status = Task.Status.APPROVED if decision == APPROVE else Task.Status.REFUSED
    task.decided_at = now
    task.decided_by, task.decided_by_client = getattr(by, "user", None), getattr(by, "client", None)
    task.opinion, task.refusal_reason, task.legal_basis = opinion.strip(), refusal_reason.strip(), legal_basis.strip()
    task.save(
        update_fields=[
            "status", "decided_at", "decided_by", "decided_by_client", "opinion", "refusal_reason", "legal_basis",
        ]
    )  # fmt: skip
    ResultFile.objects.bulk_create(ResultFile(task=task, file=stored, name=stored.name) for stored in results)
    event_append(
        case=case,
        action="task_approved" if decision == APPROVE else "task_refused",
        by=by,
        role=role,
        data={
            "task": task.pk,
            "item": task.item_code,
            "opinion": task.opinion,
            "refusal_reason": task.refusal_reason,
            "legal_basis": task.legal_basis,
            "results": [{"file": stored.pk, "sm3": stored.sm3} for stored in results],
        },
        save_head=False,
    )
    if decision == APPROVE:
        license_issue_for_task(case, task, by=by, role=role)
    for extension in extensions():
        extension.decided(case, task, decision=decision, by=by, role=role)
    notices.task_announce(task, "decided")
    # The calendar is read only when a deadline is set: when tasks start (and the case's follows theirs).
    calendar = None
    if decision == APPROVE:
        if startable(tasks):
            calendar = current_calendar()
            tasks_activate_ready(case, tasks, by=by, role=role, calendar=calendar, today=timezone.localdate())
    else:
        _close_dependents(case, tasks, by=by, role=role)
    _move_on(case, tasks, by=by, role=role, now=now, calendar=calendar)
    return task


def _move_on(case: Case, tasks: list[Task], *, by, role: str, now, calendar: WorkCalendar | None) -> None:
    """Complete the case if nothing is open any more; otherwise, when tasks started (`calendar` given), bring its
    deadline up to date: it is due no earlier than its latest task. Saves the case."""
    if not case_complete_if_done(case, tasks, by=by, role=role):
        if calendar is not None:
            case_schedule(case, tasks, calendar)
        case.updated_at = now
        case.save(update_fields=["due_date", "warning_date", "updated_at", *HEAD])


def task_terminate_locked(case: Case, tasks: list[Task], task: Task, *, by, role: str, reason: str) -> Task:
    """终止办理 an open task (e.g. a deferred material it needs was not supplied in time): those waiting for it are
    closed, and the case completes if nothing else is open."""
    if not task.is_open:
        raise _not_active(task)
    if task.status == Task.Status.SUSPENDED:  # its special procedure ends with it
        calendar, today = current_calendar(), timezone.localdate()
        for suspension in task.suspensions.filter(ended_at__isnull=True):
            suspension.ended_at, suspension.ended_on = timezone.now(), today
            suspension.days = calendar.span(suspension.started_on, today, task.limit_unit)
            suspension.save(update_fields=["ended_at", "ended_on", "days"])
    task.status, task.closed_reason = Task.Status.TERMINATED, reason
    task.save(update_fields=["status", "closed_reason"])
    event_append(
        case=case,
        action="task_terminated",
        by=by,
        role=role,
        data={"task": task.pk, "item": task.item_code, "reason": reason},
        save_head=False,
    )
    notices.task_announce(task, "terminated")
    _close_dependents(case, tasks, by=by, role=role)
    _move_on(case, tasks, by=by, role=role, now=timezone.now(), calendar=None)
    return task


def task_revoke_locked(case: Case, tasks: list[Task], task: Task, *, by, role: str, reason: str, data: dict) -> Task:
    """Revoke an approval (撤销准予决定, e.g. a commitment found false): the task records why, a completed case's
    outcome counts it no more; the case's head is saved."""
    if task.status != Task.Status.APPROVED:
        raise Conflict(_("只有已准予许可的事项可以撤销准予决定。"), code="task_not_approved")
    task.status, task.closed_reason = Task.Status.REVOKED, reason
    task.save(update_fields=["status", "closed_reason"])
    event_append(
        case=case,
        action="task_revoked",
        by=by,
        role=role,
        data={"task": task.pk, "item": task.item_code, "reason": reason, **data},
        save_head=False,
    )
    notices.task_announce(task, "revoked")
    if case.status == Case.Status.COMPLETED:
        case.outcome = _outcome(tasks)
    case.updated_at = timezone.now()
    case.save(update_fields=["updated_at", "outcome", *HEAD])
    return task


def _outcome(tasks: list[Task]) -> str:
    approved = sum(task.status == Task.Status.APPROVED for task in tasks)
    if approved == len(tasks):
        return Case.Outcome.APPROVED
    return Case.Outcome.PARTIAL if approved else Case.Outcome.REFUSED


def task_decide(*, task_id, by, role: str, decision: str, opinion="", refusal_reason="", legal_basis="", results=()):
    with transaction.atomic():
        case, tasks, task = _locked(task_id)
        return task_decide_locked(
            case, tasks, task, by=by, role=role, decision=decision, opinion=opinion,
            refusal_reason=refusal_reason, legal_basis=legal_basis, results=results,
        )  # fmt: skip


def task_suspend(*, task_id, by, role: str, kind: str, reason: str, expected_end) -> Task:
    """Start a special procedure: the task's clock stops until it is resumed."""
    today = timezone.localdate()
    problems = {}
    if kind not in Suspension.Kind.values:
        problems["kind"] = _("特别程序应为：%(kinds)s") % {
            "kinds": "、".join(f"{label}（{value}）" for value, label in Suspension.Kind.choices)
        }
    if not reason.strip():
        problems["reason"] = _("请说明进入特别程序的原因")
    if expected_end < today:
        problems["expected_end"] = _("预计结束日期不能早于今天")
    elif (expected_end - today).days > MAX_SUSPENSION_DAYS:
        problems["expected_end"] = _("特别程序预计不能超过一年")
    if problems:
        raise InvalidInput.for_fields(problems)
    with transaction.atomic():
        case, _tasks, task = _locked(task_id)
        if task.status != Task.Status.ACTIVE:
            raise _not_active(task)
        suspension = Suspension.objects.create(
            task=task, kind=kind, reason=reason.strip(), started_on=today, expected_end=expected_end,
            started_by=getattr(by, "user", None),
        )  # fmt: skip
        task.status = Task.Status.SUSPENDED
        task.save(update_fields=["status"])
        event_append(
            case=case,
            action="task_suspended",
            by=by,
            role=role,
            data={"task": task.pk, "item": task.item_code, "kind": kind, "reason": suspension.reason,
                  "expected_end": expected_end},
        )  # fmt: skip
        notices.task_announce(task, "suspended", suspension=suspension)
    return task


def _raised_against(task: Task) -> int:
    """The highest alert level the deadline scan raised against the task's current due date."""
    levels = task.alerts.filter(due_date=task.due_date).values_list("level", flat=True)
    return max(levels, default=Task.AlertLevel.NONE)


def task_resume(*, task_id, by, role: str, note: str = "") -> Task:
    """End the running special procedure: the due date moves by the days it took (working or calendar days, as the
    limit counts)."""
    with transaction.atomic():
        case, tasks, task = _locked(task_id)
        if task.status != Task.Status.SUSPENDED:
            raise Conflict(_("该任务不在特别程序中。"), code="task_not_suspended")
        calendar, today = current_calendar(), timezone.localdate()
        suspension = task.suspensions.filter(ended_at__isnull=True).order_by("-started_at").first()
        suspension.ended_at, suspension.ended_on = timezone.now(), today
        suspension.days = calendar.span(suspension.started_on, today, task.limit_unit)
        suspension.ended_by = getattr(by, "user", None)
        suspension.save(update_fields=["ended_at", "ended_on", "days", "ended_by"])
        task.status = Task.Status.ACTIVE
        task.suspended_days += suspension.days
        raised = max(task.carried_alert_level, _raised_against(task))
        task_schedule(task, calendar)
        # What was raised carries over while it still holds: a deadline that moved out of yellow or red may warn
        # again when it gets there, one still overdue does not warn twice.
        current = {GREEN: Task.AlertLevel.NONE, YELLOW: Task.AlertLevel.YELLOW, RED: Task.AlertLevel.RED}
        task.carried_alert_level = min(raised, current[colour(task.due_date, task.warning_date, today)])
        task.save(update_fields=["status", "suspended_days", "due_date", "warning_date", "carried_alert_level"])
        case_schedule(case, tasks, calendar)
        case.save(update_fields=["due_date", "warning_date"])
        event_append(
            case=case,
            action="task_resumed",
            by=by,
            role=role,
            data={"task": task.pk, "item": task.item_code, "days": suspension.days, "due": task.due_date,
                  "note": note.strip()},
        )  # fmt: skip
        notices.task_announce(task, "resumed", suspension=suspension)
    return task
