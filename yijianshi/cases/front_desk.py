"""前台综合受理 and 综合窗口出件: a window clerk accepts a submitted case (creating its tasks along the flow), refuses
it, or asks for every correction at once; and hands the results over."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.accounts.models import Department
from yijianshi.cases import notices
from yijianshi.cases.approval import APPROVE, task_decide_locked, tasks_activate_ready
from yijianshi.cases.catalog_target import target_of
from yijianshi.cases.clocks import case_schedule
from yijianshi.cases.events import HEAD, event_append
from yijianshi.cases.extensions import extensions
from yijianshi.cases.locking import lock_case
from yijianshi.cases.models import Case, CorrectionNotice, DeliveryMethod, Task
from yijianshi.catalog.models import ItemVersion
from yijianshi.catalog.plan import IMMEDIATE
from yijianshi.core.calendar import WORKING_DAYS, current_calendar
from yijianshi.core.errors import Conflict, InvalidInput
from yijianshi.core.rows import insert_models
from yijianshi.licenses.profiles import profile_update_from_case

ROLE = "window_clerk"
MAX_PROBLEMS = 50


def _submitted(case: Case) -> None:
    if case.status != Case.Status.SUBMITTED:
        raise Conflict(
            _("该申请当前状态为“%(status)s”，不能进行受理审查。") % {"status": case.get_status_display()},
            code="not_submitted",
        )


def _new_tasks(case: Case) -> list[Task]:
    """One task per item of the plan, for the item version the case's catalog version froze."""
    target = target_of(case)
    items = target.snapshot["items"]
    codes = [item["code"] for item in case.plan["items"]]
    # Every version of these items (a few each), the frozen one picked here: a plain IN, not an OR per item.
    versions = {
        code: pk
        for code, number, pk in ItemVersion.objects.filter(item__code__in=codes).values_list(
            "item__code", "version", "pk"
        )
        if number == items[code]["version"]
    }
    departments = Department.objects.in_bulk({items[c]["department"] for c in codes}, field_name="code")
    tasks = []
    for position, entry in enumerate(case.plan["items"]):
        item = items[entry["code"]]
        immediate = item["case_kind"] == IMMEDIATE
        tasks.append(
            Task(
                case=case,
                item_version_id=versions[entry["code"]],
                item_code=entry["code"],
                item_name=entry["name"],
                department=departments[item["department"]],
                position=position,
                depends_on=entry["depends_on"],
                immediate=immediate,
                limit_value=0 if immediate else item["promised_limit"]["value"],
                limit_unit=item["promised_limit"]["unit"],
            )
        )
    insert_models(tasks)
    return tasks


def case_accept(*, case_id, by, opinion: str = "", approve_immediate: bool = False, role: str = ROLE) -> Case:
    """受理: create the tasks, start the ones that wait for nothing and the case's clock. With `approve_immediate`
    the clerk also approves, on the spot, every 即办件 task that could start. The platform itself accepts (role
    "system") what it approves instantly (秒批)."""
    with transaction.atomic():
        case = lock_case(case_id)
        _submitted(case)
        now, today, calendar = timezone.now(), timezone.localdate(), current_calendar()
        tasks = _new_tasks(case)
        case.status, case.accepted_at, case.updated_at = Case.Status.IN_PROGRESS, now, now
        case.accepted_by = getattr(by, "user", None)
        case.limit_unit = WORKING_DAYS
        event_append(
            case=case,
            action="accepted",
            by=by,
            role=role,
            data={"opinion": opinion.strip(), "tasks": [t.item_code for t in tasks]},
            save_head=False,
        )
        case_schedule(case, tasks, calendar)  # the promised date, known before any task is announced
        activated = tasks_activate_ready(case, tasks, by=by, role=role, calendar=calendar, today=today)
        case_schedule(case, tasks, calendar)  # later if a task's own limit runs past it
        for extension in extensions():
            extension.accepted(case, tasks, by=by, role=role, calendar=calendar, today=today)
        case.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at", "limit_unit", "due_date",
                                 "warning_date", *HEAD])  # fmt: skip
        # 一人一档: what the accepted form says about the applicant is reused next time (with their consent).
        profile_update_from_case(
            applicant=case.applicant, form=case.plan.get("form", []), data=case.form_data, case_number=case.number
        )
        notices.case_announce(case, "accepted", tasks=tasks)
        if approve_immediate:
            for task in [t for t in activated if t.immediate]:
                if task.status == Task.Status.ACTIVE:
                    try:
                        task_decide_locked(
                            case, tasks, task, by=by, role=role, decision=APPROVE, opinion=opinion or _("当场办结")
                        )
                    except Conflict as refusal:
                        if refusal.code != "deferred_outstanding":
                            raise
                        # A material it needs is still owed (容缺): decided once it is supplied, not on the spot.
    return case


def case_refuse(*, case_id, by, reason: str, legal_basis: str = "") -> Case:
    """不予受理, with the reason (and legal basis) the applicant is told."""
    if not reason.strip():
        raise InvalidInput.for_field("reason", _("不予受理须说明理由"))
    with transaction.atomic():
        case = lock_case(case_id)
        _submitted(case)
        case.status, case.refusal_reason, case.updated_at = Case.Status.REFUSED, reason.strip(), timezone.now()
        case.save(update_fields=["status", "refusal_reason", "updated_at"])
        event_append(
            case=case,
            action="refused",
            by=by,
            role=ROLE,
            data={"reason": case.refusal_reason, "legal_basis": legal_basis},
        )
        notices.case_announce(case, "refused")
    return case


def check_problems(case: Case, problems: list[dict]) -> list[dict]:
    """The problems of a correction notice, each naming a material or a field of this case's plan."""
    if not problems:
        raise InvalidInput.for_field("problems", _("请至少列出一项需要补正的内容"))
    if len(problems) > MAX_PROBLEMS:
        raise InvalidInput.for_field("problems", _("补正事项不能超过 %(n)d 项") % {"n": MAX_PROBLEMS})
    materials = {m["key"]: m["name"] for m in case.plan["materials"]}
    fields = {f["key"]: f["label"] for f in case.plan["form"]}
    errors, cleaned, seen = {}, [], set()
    for index, problem in enumerate(problems):
        target, key, message = problem.get("target"), problem.get("key", ""), (problem.get("message") or "").strip()
        known = materials if target == "material" else fields if target == "field" else None
        if known is None:
            errors[f"problems.{index}.target"] = _("应为 material（材料）或 field（申请表字段）")
        elif key not in known:
            errors[f"problems.{index}.key"] = _("本申请没有这一项：%(key)s") % {"key": key}
        elif not message:
            errors[f"problems.{index}.message"] = _("请写明需要如何补正")
        elif (target, key) in seen:
            errors[f"problems.{index}.key"] = _("同一项只需列出一次：%(key)s") % {"key": key}
        else:
            seen.add((target, key))
            cleaned.append({"target": target, "key": key, "label": known[key], "message": message})
    if errors:
        raise InvalidInput.for_fields(errors)
    return cleaned


def case_request_correction(*, case_id, by, problems: list[dict], note: str = "") -> CorrectionNotice:
    """一次性告知: every problem of this submission in one notice; a submission gets one notice at most."""
    with transaction.atomic():
        case = lock_case(case_id)
        if CorrectionNotice.objects.filter(case=case, round=case.round).exists():
            raise Conflict(_("本次提交已经发出过一次性告知书，不能重复告知。"), code="correction_already_requested")
        _submitted(case)
        notice = CorrectionNotice.objects.create(
            case=case, round=case.round, problems=check_problems(case, problems), note=note.strip(), issued_by=by.user
        )
        case.status, case.updated_at = Case.Status.CORRECTING, timezone.now()
        case.save(update_fields=["status", "updated_at"])
        event_append(
            case=case,
            action="correction_requested",
            by=by,
            role=ROLE,
            data={"round": notice.round, "problems": notice.problems, "note": notice.note},
        )
        notices.case_announce(case, "correction_requested", notice=notice)
    return notice


def case_deliver(*, case_id, by, pickup_code: str = "", tracking_number: str = "") -> Case:
    """出件: hand the results over at the window (the applicant's pickup code checks out) or record the mailing."""
    with transaction.atomic():
        case = lock_case(case_id)
        if case.status != Case.Status.COMPLETED:
            raise Conflict(_("办件尚未办结，没有可送达的结果。"), code="not_completed")
        if case.delivered_at is not None:
            raise Conflict(_("结果已经送达。"), code="already_delivered")
        data = {"method": case.delivery_method}
        if case.delivery_method == DeliveryMethod.PICKUP:
            if pickup_code.strip() != case.pickup_code:
                raise InvalidInput.for_field("pickup_code", _("取件码不正确"))
        elif case.delivery_method == DeliveryMethod.MAIL:
            if not tracking_number.strip():
                raise InvalidInput.for_field("tracking_number", _("请填写快递单号"))
            case.tracking_number = data["tracking_number"] = tracking_number.strip()[:40]
        now = timezone.now()
        case.delivered_at, case.updated_at = now, now
        case.save(update_fields=["delivered_at", "updated_at", "tracking_number"])
        event_append(case=case, action="delivered", by=by, role=ROLE, data=data)
        notices.case_announce(case, "delivered")
    return case
