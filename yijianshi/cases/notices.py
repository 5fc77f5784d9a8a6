"""Telling people and systems what happened to a case: in-app notices (with email and SMS copies) to the applicant,
and webhook deliveries to department systems. Both are written in the deciding transaction; sending happens after
it commits (Huey), so nothing is announced that did not happen."""

from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.accounts.models import Department
from yijianshi.cases.models import Case, Task, WebhookDelivery, WebhookSubscription
from yijianshi.notifications.services import notify_accounts
from yijianshi.notifications.sms import sms_text
from yijianshi.notifications.tasks import send_sms

CASE_WEBHOOKS = {"accepted": "case.accepted", "completed": "case.completed"}
# A task ended without a decision of its department (终止办理) or whose approval was revoked is told as a decision:
# the payload's `status` says which.
TASK_WEBHOOKS = {
    "activated": "task.activated",
    "decided": "task.decided",
    "terminated": "task.decided",
    "revoked": "task.decided",
}


def _case_message(case: Case, action: str, **context) -> tuple[str, str] | None:
    subject = _("“%(title)s”（%(number)s）") % {"title": case.title, "number": case.number}
    if action == "submitted":
        return _("申请已提交"), subject + _("已提交，请等待窗口受理。")
    if action == "resubmitted":
        return _("补正材料已提交"), subject + _("的补正材料已提交，请等待窗口审核。")
    if action == "correction_requested":
        notice = context["notice"]
        items = "；".join(f"{p['label']}：{p['message']}" for p in notice.problems)
        return _("请补正申请材料"), subject + _("需要补正 %(n)d 项：%(items)s") % {
            "n": len(notice.problems),
            "items": items,
        }
    if action == "refused":
        return _("申请不予受理"), subject + _("不予受理。理由：%(reason)s") % {"reason": case.refusal_reason}
    if action == "accepted":
        return _("申请已受理"), subject + _("已受理，承诺于 %(due)s 前办结。") % {"due": case.due_date}
    if action == "completed":
        text = subject + _("已办结（%(outcome)s）。") % {"outcome": case.get_outcome_display()}
        if case.pickup_code:
            text += _("请凭取件码 %(code)s 到窗口领取结果。") % {"code": case.pickup_code}
        elif case.delivery_method == "electronic":
            text += _("电子结果可在办件详情中下载。")
        elif case.delivery_method == "mail":
            text += _("结果将邮寄送达。")
        return _("申请已办结"), text
    if action == "delivered":
        if case.tracking_number:
            return _("结果已寄出"), subject + _("的结果已寄出，快递单号 %(no)s。") % {"no": case.tracking_number}
        return _("结果已领取"), subject + _("的结果已领取。")
    return None


def _link(case: Case) -> str:
    return reverse("portal:my-case", args=[case.pk])


def case_announce(case: Case, action: str, *, tasks=None, **context) -> None:
    message = _case_message(case, action, **context)
    if message is not None:
        tell_applicant(case, *message)
    if action in CASE_WEBHOOKS:
        departments = {t.department_id: t.department for t in tasks}.values() if tasks is not None else None
        _webhooks(case, CASE_WEBHOOKS[action], departments, _case_payload(case))


def task_announce(task: Task, action: str, **context) -> None:
    case = task.case
    if action == "decided":
        title = _("“%(item)s”%(status)s") % {"item": task.item_name, "status": task.get_status_display()}
        body = _("您的申请（%(number)s）中的“%(item)s”：%(status)s。") % {
            "number": case.number, "item": task.item_name, "status": task.get_status_display(),
        }  # fmt: skip
        if task.refusal_reason:
            body += _("理由：%(reason)s") % {"reason": task.refusal_reason}
        tell_applicant(case, title, body)
    elif action in ("terminated", "revoked"):
        title = _("“%(item)s”%(status)s") % {"item": task.item_name, "status": task.get_status_display()}
        body = _("您的申请（%(number)s）中的“%(item)s”%(status)s。原因：%(reason)s") % {
            "number": case.number, "item": task.item_name, "status": task.get_status_display(),
            "reason": task.closed_reason,
        }  # fmt: skip
        tell_applicant(case, title, body)
    elif action in ("suspended", "resumed"):
        suspension = context["suspension"]
        if action == "suspended":
            title = _("“%(item)s”进入%(kind)s") % {"item": task.item_name, "kind": suspension.get_kind_display()}
            body = _("特别程序期间不计入办理时限，预计 %(end)s 结束。") % {"end": suspension.expected_end}
        else:
            title = _("“%(item)s”%(kind)s结束") % {"item": task.item_name, "kind": suspension.get_kind_display()}
            body = _("办理期限顺延至 %(due)s。") % {"due": task.due_date}
        tell_applicant(case, title, body, sms=False)
    if action in TASK_WEBHOOKS:
        _webhooks(case, TASK_WEBHOOKS[action], [task.department], {**_case_payload(case), "task": _task_payload(task)})


def tell_applicant(case: Case, title: str, body: str, *, sms: bool = True) -> None:
    """An in-app notice to the case's applicant side — the applicant's own account, the agent and whoever submitted
    for them (when an applicant) — with SMS and e-mail copies; a walk-in without an account gets the SMS."""
    told = notify_accounts(
        applicant_id=case.applicant_id, user_ids=(case.agent_id, case.created_by_id), title=title, body=body,
        link=_link(case), sms=sms,
    )  # fmt: skip
    if not told and sms and case.applicant.phone:
        text = sms_text(title, body)
        transaction.on_commit(lambda: send_sms(case.applicant.phone, text), robust=True)


def _case_payload(case: Case) -> dict:
    return {
        "case": {
            "id": str(case.pk),
            "number": case.number,
            "title": case.title,
            "status": case.status,
            "outcome": case.outcome,
            "region_code": case.region_code,
            "due_date": case.due_date.isoformat() if case.due_date else None,
        }
    }


def _task_payload(task: Task) -> dict:
    return {
        "id": str(task.pk),
        "item_code": task.item_code,
        "item_name": task.item_name,
        "department": task.department.code,
        "status": task.status,
        "due_date": task.due_date.isoformat() if task.due_date else None,
        "decided_at": task.decided_at.isoformat() if task.decided_at else None,
    }


# (department id, code, webhooks version) → ((subscription id, event types), …): read once per process and version.
_SUBSCRIPTIONS: dict[tuple, tuple] = {}
MAX_SUBSCRIPTION_ENTRIES = 4096


def _subscriptions_of(department: Department) -> tuple[tuple[int, frozenset], ...]:
    """The active subscriptions of a department's active systems, as of the department row just read."""
    key = (department.pk, department.code, department.webhooks_version)
    found = _SUBSCRIPTIONS.get(key)
    if found is None:
        rows = WebhookSubscription.objects.filter(
            is_active=True, client__is_active=True, client__department_id=department.pk
        ).values_list("pk", "events")
        found = tuple((pk, frozenset(events)) for pk, events in rows)
        if len(_SUBSCRIPTIONS) >= MAX_SUBSCRIPTION_ENTRIES:
            _SUBSCRIPTIONS.clear()
        _SUBSCRIPTIONS[key] = found
    return found


def subscriptions_changed(department_ids) -> None:
    """The subscriptions of these departments' systems changed (ids, or a query of them): every process reads them
    again (within the caller's transaction)."""
    if not isinstance(department_ids, QuerySet):
        department_ids = [d for d in department_ids if d is not None]
    Department.objects.filter(pk__in=department_ids).update(webhooks_version=F("webhooks_version") + 1)
    _SUBSCRIPTIONS.clear()


def _webhooks(case: Case, event_type: str, departments, data: dict) -> None:
    """Record a delivery for every active subscription to `event_type` of the departments involved (None: all the
    case's); send each after commit."""
    if departments is None:
        departments = Department.objects.filter(pk__in=Task.objects.filter(case=case).values("department_id"))
    wanted = [pk for d in departments for pk, events in _subscriptions_of(d) if event_type in events]
    if not wanted:
        return
    now = timezone.now()
    deliveries = [WebhookDelivery(subscription_id=pk, event_type=event_type, next_attempt_at=now) for pk in wanted]
    for delivery in deliveries:
        delivery.payload = {"id": str(delivery.pk), "type": event_type, "created_at": now.isoformat(), "data": data}
    WebhookDelivery.objects.bulk_create(deliveries)
    from yijianshi.cases.tasks import webhook_deliver

    for delivery in deliveries:
        # robust: a queue that is down must not turn a committed decision into an error; the sweep re-queues it.
        transaction.on_commit(lambda pk=delivery.pk: webhook_deliver(str(pk)), robust=True)
