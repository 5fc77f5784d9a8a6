"""容缺受理: at acceptance each owed material gets its deadline and the 容缺受理通知书 says so; the applicant supplies
the material, the window checks it; reminders before the deadline; past it, the tasks that needed it end."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.cases import notices
from yijianshi.cases.approval import task_terminate_locked
from yijianshi.cases.events import content_digests, event_append
from yijianshi.cases.locking import lock_case, lock_tasks
from yijianshi.cases.materials import check_materials
from yijianshi.cases.models import Case, CaseMaterial, CaseMaterialFile, Task
from yijianshi.commitments.models import Commitment, Deferral, DeferralNotice
from yijianshi.core.calendar import current_calendar
from yijianshi.core.errors import Conflict, InvalidInput, NotFound

REMIND_DAYS_BEFORE = 2  # working days left when the first reminder goes out; the second on the day itself


def consequence() -> str:
    return _(
        "逾期未补齐的，需要该材料的事项终止办理，已签署的承诺按承诺书载明的责任处理；"
        "补交的材料经核验不符合要求的，须在期限内重新补交。"
    )


def notice_issue(case, tasks, *, by, role: str, calendar, today) -> DeferralNotice | None:
    """At acceptance: give each owed material its deadline (the shortest rule among the items needing it, never past
    their promised limits) and issue the notice. Case locked; the caller saves its head."""
    if not case.plan.get("choices"):
        return None
    # A material provided after all (uploaded in a correction, or now covered by an e-license) is owed no more.
    still_deferred = set(
        CaseMaterial.objects.filter(case=case, kind=CaseMaterial.Kind.DEFERRED).values_list("key", flat=True)
    )
    if Deferral.objects.filter(case=case).exclude(key__in=still_deferred).delete()[0]:
        case.plan["choices"]["deferred"] = sorted(still_deferred)
        Case.objects.filter(pk=case.pk).update(plan=case.plan)
    deferrals = list(Deferral.objects.filter(case=case))
    commitments = list(Commitment.objects.filter(case=case))
    rules = {item["code"]: (item.get("commitment") or {}).get("deferral_days") or 0 for item in case.plan["items"]}
    for deferral in deferrals:
        days = min(rules.get(code) or 0 for code in deferral.items) or 1
        deferral.due_date = calendar.add_working_days(today, days)
    Deferral.objects.bulk_update(deferrals, ["due_date"])
    names = {item["code"]: item["name"] for item in case.plan["items"]}
    notice = DeferralNotice.objects.create(
        case=case,
        number=f"{case.number}-RQ",
        entries=[_entry(d, names) for d in deferrals],
        commitments=[
            {"item": c.item_name, "text_version": c.text_version, "replaced": c.replaced} for c in commitments
        ],
        consequence=consequence() if deferrals else "",
    )
    event_append(
        case=case, action="deferral_notice_issued", by=by, role=role, save_head=False,
        data={"number": notice.number, "materials": notice.entries, "commitments": [c.item_code for c in commitments]},
    )  # fmt: skip
    if deferrals:
        owed = "；".join(_("%(name)s（%(due)s 前）") % {"name": d.name, "due": d.due_date} for d in deferrals)
        notices.tell_applicant(
            case,
            _("容缺受理通知书"),
            _("您的申请（%(number)s）已容缺受理。请按期补交：%(owed)s。%(consequence)s")
            % {"number": case.number, "owed": owed, "consequence": notice.consequence},
        )
    return notice


def _entry(deferral: Deferral, names: dict) -> dict:
    return {
        "key": deferral.key,
        "name": deferral.name,
        "form": deferral.form,
        "due": deferral.due_date.isoformat(),
        "items": [names.get(c, c) for c in deferral.items],
    }


def outstanding_for(case, item_code: str) -> list[Deferral]:
    return [d for d in Deferral.objects.filter(case=case, status__in=Deferral.OPEN_STATUSES) if item_code in d.items]


def _locked_deferral(case, key: str) -> Deferral:
    deferral = Deferral.objects.select_for_update().filter(case=case, key=key).first()
    if deferral is None:
        raise NotFound()
    return deferral


def deferred_supply(*, case_id, key: str, by, role: str, files: list) -> Deferral:
    """The applicant supplies an owed material (its files replace anything supplied before and not accepted)."""
    with transaction.atomic():
        case = lock_case(case_id)
        deferral = _locked_deferral(case, key)
        if deferral.status == Deferral.Status.OVERDUE:
            raise Conflict(
                _("“%(name)s”已超过补交期限，相关事项已终止办理，不能再补交。") % {"name": deferral.name},
                code="deferral_overdue",
            )
        if deferral.status == Deferral.Status.ACCEPTED:
            raise Conflict(_("“%(name)s”已经补齐。") % {"name": deferral.name}, code="deferral_accepted")
        if deferral.due_date is None:
            raise Conflict(_("申请受理后才能补交容缺材料。"), code="deferral_not_started")
        found, problems = check_materials(case.plan, {key: files}, by=by, complete=False)
        if not found.get(key) and not problems:
            problems = {f"materials.{key}": _("请上传补交的材料")}
        if problems:
            raise InvalidInput.for_fields(
                {"files" if k.startswith("materials.") else k: v for k, v in problems.items()}
            )
        material = CaseMaterial.objects.get(case=case, key=key)
        CaseMaterialFile.objects.filter(material=material).delete()
        CaseMaterialFile.objects.bulk_create(
            CaseMaterialFile(material=material, file=stored, position=position)
            for position, stored in enumerate(found[key])
        )
        deferral.status, deferral.supplied_at = Deferral.Status.SUPPLIED, timezone.now()
        deferral.save(update_fields=["status", "supplied_at"])
        # The material's files now count in the case's content: the event seals the new digests, so that the audit
        # compares what the case holds with what was last sealed.
        event_append(
            case=case, action="deferred_supplied", by=by, role=role,
            data={"key": key, "files": [{"file": f.pk, "sm3": f.sm3} for f in found[key]], **content_digests(case)},
        )  # fmt: skip
    return deferral


def deferred_check(*, case_id, key: str, by, accepted: bool, note: str = "") -> Deferral:
    """The window checks a supplied material: accepted, or sent back (to be supplied again before the deadline)."""
    if not accepted and not note.strip():
        raise InvalidInput.for_field("note", _("退回补交材料须说明原因"))
    with transaction.atomic():
        case = lock_case(case_id)
        deferral = _locked_deferral(case, key)
        if deferral.status != Deferral.Status.SUPPLIED:
            raise Conflict(
                _("“%(name)s”当前为“%(status)s”，没有待核验的补交材料。")
                % {"name": deferral.name, "status": deferral.get_status_display()},
                code="deferral_not_supplied",
            )
        deferral.status = Deferral.Status.ACCEPTED if accepted else Deferral.Status.OWED
        deferral.checked_at, deferral.checked_by, deferral.check_note = timezone.now(), by.user, note.strip()
        if not accepted:
            # Supplied in time but sent back: the applicant gets at least the next working day to supply again.
            calendar = current_calendar()
            deferral.due_date = max(deferral.due_date, calendar.add_working_days(timezone.localdate(), 1))
            deferral.reminders_sent = 0
        deferral.save(update_fields=["status", "checked_at", "checked_by", "check_note", "due_date", "reminders_sent"])
        event_append(
            case=case, action="deferred_checked", by=by, role="window_clerk",
            data={"key": key, "accepted": accepted, "note": deferral.check_note},
        )  # fmt: skip
        if accepted:
            title, body = _("容缺材料已补齐"), _("“%(name)s”已核验通过。") % {"name": deferral.name}
        else:
            title = _("补交材料被退回")
            body = _("“%(name)s”未通过核验：%(note)s。请在 %(due)s 前重新补交。") % {
                "name": deferral.name, "note": deferral.check_note, "due": deferral.due_date,
            }  # fmt: skip
        notices.tell_applicant(case, title, body)
    return deferral


def deferrals_remind(*, today: datetime.date) -> int:
    """Remind applicants of materials still owed: when two working days are left, and on the last day."""
    calendar = current_calendar()
    sent = 0
    owed = Deferral.objects.filter(
        status=Deferral.Status.OWED, due_date__gte=today, reminders_sent__lt=2, case__status=Case.Status.IN_PROGRESS
    )
    for deferral in owed.select_related("case", "case__applicant"):
        waiting = Task.objects.filter(
            case_id=deferral.case_id, item_code__in=deferral.items, status__in=Task.OPEN_STATUSES
        ).exists()
        if not waiting:
            continue  # the items needing it have ended: nothing to remind of
        left = calendar.working_days_between(today, deferral.due_date)
        level = 2 if deferral.due_date == today else 1 if left <= REMIND_DAYS_BEFORE else 0
        if level <= deferral.reminders_sent:
            continue
        with transaction.atomic():
            still_owed = Deferral.objects.filter(pk=deferral.pk, status=Deferral.Status.OWED, reminders_sent__lt=level)
            if still_owed.update(reminders_sent=level):
                notices.tell_applicant(
                    deferral.case,
                    _("请补交容缺材料"),
                    _("您的申请（%(number)s）尚缺“%(name)s”，请于 %(due)s 前补交；逾期相关事项将终止办理。")
                    % {"number": deferral.case.number, "name": deferral.name, "due": deferral.due_date},
                )
                sent += 1
    return sent


def deferrals_expire(*, today: datetime.date) -> int:
    """Past the deadline, an owed material ends the tasks that needed it (终止办理, with the reason)."""
    ended = 0
    case_ids = (
        Deferral.objects.filter(status=Deferral.Status.OWED, due_date__lt=today, case__status=Case.Status.IN_PROGRESS)
        .values_list("case_id", flat=True)
        .distinct()
    )
    for case_id in list(case_ids):
        with transaction.atomic():
            case = lock_case(case_id)
            tasks = lock_tasks(case)
            late = list(
                Deferral.objects.select_for_update().filter(case=case, status=Deferral.Status.OWED, due_date__lt=today)
            )
            for deferral in late:
                if not any(task.item_code in deferral.items and task.is_open for task in tasks):
                    deferral.status = Deferral.Status.CLOSED  # nothing waits for it any more
                    deferral.save(update_fields=["status"])
                    continue
                deferral.status = Deferral.Status.OVERDUE
                deferral.save(update_fields=["status"])
                event_append(
                    case=case, action="deferred_overdue", by=None, role="system", save_head=False,
                    data={"key": deferral.key, "due": deferral.due_date, "items": deferral.items},
                )  # fmt: skip
                reason = _("容缺材料“%(name)s”未在 %(due)s 前补齐，按容缺受理通知书终止办理。") % {
                    "name": deferral.name, "due": deferral.due_date,
                }  # fmt: skip
                for task in tasks:
                    if task.item_code in deferral.items and task.is_open:
                        task_terminate_locked(case, tasks, task, by=None, role="system", reason=reason)
                        ended += 1
            case.save(update_fields=["event_count", "last_event_hash"])
    return ended
