"""Reads for cases and tasks, shaped for the viewer: the applicant and region staff see the whole case, a
department's approver only what the department's tasks need."""

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from yijianshi.accounts import scopes
from yijianshi.accounts.models import Department
from yijianshi.cases.access import sees_whole_case, visible_cases
from yijianshi.cases.case_rows import case_rows
from yijianshi.cases.clocks import GREEN, RED, YELLOW, colour, unconfirmed
from yijianshi.cases.events import ACTIONS
from yijianshi.cases.models import Case, CaseEvent, CaseMaterial, CorrectionNotice, Task
from yijianshi.cases.substitution import license_materials
from yijianshi.core.calendar import current_calendar
from yijianshi.core.lru import Lru
from yijianshi.core.masking import mask_name
from yijianshi.core.pagination import IdsFirst

COLOUR_RANK = {RED: 0, YELLOW: 1, GREEN: 2}


def file_ref(case: Case, stored) -> dict:
    return {
        "id": stored.pk,
        "name": stored.name,
        "format": stored.format,
        "size": stored.size,
        "pages": stored.pages,
        "sm3": stored.sm3,
        "url": f"/api/v1/cases/{case.pk}/files/{stored.pk}",
    }


def _task_colour(task: Task, today) -> str | None:
    return colour(task.due_date, task.warning_date, today) if task.status == Task.Status.ACTIVE else None


def _case_colour(case: Case, today) -> str | None:
    return colour(case.due_date, case.warning_date, today) if case.status == Case.Status.IN_PROGRESS else None


def _task_dict(case: Case, task: Task, results_by_code: dict, today, calendar, suspensions: list) -> dict:
    return {
        "id": task.pk,
        "item_code": task.item_code,
        "item_name": task.item_name,
        "department": {"code": task.department.code, "name": task.department.name},
        "status": task.status,
        "status_label": task.get_status_display(),
        "immediate": task.immediate,
        "depends_on": task.depends_on,
        "limit": {"value": task.limit_value, "unit": task.limit_unit},
        "activated_at": task.activated_at,
        "due_date": task.due_date,
        "warning_date": task.warning_date,
        "colour": _task_colour(task, today),
        "due_date_unconfirmed": unconfirmed(calendar, task.due_date, task.limit_unit),
        "suspended_days": task.suspended_days,
        "decided_at": task.decided_at,
        "opinion": task.opinion,
        "refusal_reason": task.refusal_reason,
        "legal_basis": task.legal_basis,
        "closed_reason": task.closed_reason,
        "results": results_by_code.get(task.item_code, []),
        "inputs": [r for code in task.depends_on for r in results_by_code.get(code, [])],
        "suspensions": [
            {
                "kind": s.kind,
                "kind_label": s.get_kind_display(),
                "reason": s.reason,
                "started_on": s.started_on,
                "expected_end": s.expected_end,
                "ended_on": s.ended_on,
                "days": s.days,
            }
            for s in suspensions
        ],
    }


def case_detail(case: Case, principal, *, licenses: bool = True) -> dict:
    """The case as the caller may see it. `licenses=False` leaves out what license materials hold (and so records
    no read of them): for callers that only need the case's files."""
    today = timezone.localdate()
    whole = sees_whole_case(principal, case)
    found = case_rows(case)
    tasks = found.tasks
    mine = set(principal.department_ids("task.decide"))
    own_tasks = tasks if whole else [t for t in tasks if t.department_id in mine]
    # The work calendar (two statements) only tells whether a due date may move: a case not accepted yet has none.
    calendar = current_calendar() if case.due_date or any(t.due_date for t in own_tasks) else None
    own_codes = {t.item_code for t in own_tasks}
    needed = own_codes | {code for t in own_tasks for code in t.depends_on}
    results_by_code = {
        t.item_code: [{"name": r.name, "file": file_ref(case, r.file)} for r in found.results.get(t.pk, [])]
        for t in tasks
    }
    if not whole:
        results_by_code = {code: results for code, results in results_by_code.items() if code in needed}
    plan = case.plan or {}
    relevant_materials = {
        m["key"] for m in plan.get("materials", []) if whole or own_codes & set(m.get("for_items", []))
    }
    relevant_fields = {f["key"] for f in plan.get("form", []) if whole or own_codes & set(f.get("for_items", []))}
    rows = [m for m in found.materials if whole or m.key in relevant_materials]
    licensed = _license_views(case, rows, principal, plan, own_tasks) if licenses else {}
    materials = [
        {
            "key": m.key,
            "name": m.name,
            "kind": m.kind,
            "round": m.round,
            "files": [file_ref(case, link.file) for link in found.links.get(m.pk, [])],
            "license": licensed.get(m.key),
        }
        for m in rows
    ]
    notice = (
        CorrectionNotice.objects.filter(case=case).order_by("-round").first()
        if whole and _may_have_corrections(case)
        else None
    )
    version, code = _version_of(case, (plan.get("life_event") or {}).get("code"))
    applicant = case.applicant
    own = principal.user is not None and principal.user.is_applicant
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "kind": "life_event" if case.life_event_version_id else "item",
        "code": code,
        "version": version,
        "status": case.status,
        "status_label": case.get_status_display(),
        "outcome": case.outcome,
        "outcome_label": case.get_outcome_display() if case.outcome else "",
        "applicant": {
            "id": applicant.pk,
            "kind": applicant.kind,
            "name": applicant.name,
            "id_number_masked": applicant.id_number if own else applicant.masked_id_number,
        },
        "agent": case.agent.name if case.agent_id else None,
        "channel": case.channel,
        "channel_label": case.get_channel_display(),
        "delivery": _delivery(case, own=own, whole=whole),
        "answers": case.answers if whole else {},
        "plan": plan if whole else {},
        "form": {k: v for k, v in case.form_data.items() if k in relevant_fields},
        "materials": materials,
        "tasks": [
            _task_dict(case, t, results_by_code, today, calendar, found.suspensions.get(t.pk, [])) for t in own_tasks
        ],
        "correction": notice,
        "round": case.round,
        "refusal_reason": case.refusal_reason,
        "due_date": case.due_date,
        "due_date_unconfirmed": unconfirmed(calendar, case.due_date, case.limit_unit),
        "colour": _case_colour(case, today),
        "created_at": case.created_at,
        "submitted_at": case.submitted_at,
        "accepted_at": case.accepted_at,
        "completed_at": case.completed_at,
        "delivered_at": case.delivered_at,
        "whole": whole,
    }


def _license_views(case: Case, rows: list[CaseMaterial], principal, plan: dict, own_tasks: list[Task]) -> dict:
    """Material key → what the license it references shows (`substitution.license_materials`), each license verified
    once per department it is read for: several materials of a bundle often reference the same license (the
    applicant's 居民身份证 as 申请人、父亲、母亲身份证), and a repeated read records nothing more in the trail."""
    referencing = [m for m in rows if m.kind == CaseMaterial.Kind.LICENSE]
    if not referencing:
        return {}
    departments = _reading_departments(principal, plan, own_tasks)
    first: dict[tuple, CaseMaterial] = {}
    for m in referencing:
        first.setdefault((m.license_identifier, departments.get(m.key)), m)
    views = license_materials(case, list(first.values()), principal, departments=departments)
    return {m.key: views[first[(m.license_identifier, departments.get(m.key))].key] for m in referencing}


def _may_have_corrections(case: Case) -> bool:
    """Whether the window may have sent this case a correction notice. A notice turns a submitted case to
    correcting, and resubmitting starts the next round: a case in its first round that is not correcting, nor was
    withdrawn or refused while it was, has had none."""
    return case.round > 1 or case.status in (Case.Status.CORRECTING, Case.Status.WITHDRAWN, Case.Status.REFUSED)


def _reading_departments(principal, plan: dict, own_tasks: list[Task]) -> dict:
    """Material key → the department a staff reader reads it for: the department of their task that needs it,
    else the department they work in (none for region-level staff)."""
    if not principal.is_staff and principal.client is None:
        return {}
    by_item = {t.item_code: t.department for t in own_tasks}
    mine = principal.department_ids(scopes.TASK_DECIDE)
    fallback = next((g.department_id for g in principal.grants_held if g.department_id), None)
    home = Department.objects.filter(pk=fallback).first() if fallback else None
    found = {}
    for material in plan.get("materials", []):
        needing = [by_item[c] for c in material.get("for_items", []) if c in by_item]
        found[material["key"]] = next((d for d in needing if d.pk in mine), home)
    return found


def _version_of(case: Case, code: str | None) -> tuple[int, str]:
    """The version number of what the case applies for, and `code` or else the code of its life event or item.
    Read as two values unless the version is loaded already (its row holds the published snapshot, tens of
    kilobytes of JSON that loading the row would transfer and parse for one number), once per process."""
    field, owner = ("life_event_version", "life_event") if case.life_event_version_id else ("item_version", "item")
    relation = getattr(Case, field)
    if relation.is_cached(case):
        version = getattr(case, field)
        return version.version, code or getattr(version, owner).code
    key = (field, getattr(case, f"{field}_id"))
    found = VERSION_NUMBERS.get(key)
    if found is None:
        versions = relation.field.related_model.objects.filter(pk=key[1])
        found = versions.values_list("version", f"{owner}__code").get()
        VERSION_NUMBERS.put(key, found)
    number, owner_code = found
    return number, code or owner_code


# A published version's number and its life event's or item's code never change: kept per process by version id.
VERSION_NUMBERS = Lru(4096)


def _delivery(case: Case, *, own: bool, whole: bool) -> dict:
    delivery = {"method": case.delivery_method, "label": case.get_delivery_method_display()}
    if whole:
        delivery["address"] = case.delivery_address
        delivery["tracking_number"] = case.tracking_number
    if own:
        delivery["pickup_code"] = case.pickup_code  # only the applicant holds the code the window checks
    return delivery


def case_list_for(principal, *, status: str | None = None):
    cases = visible_cases(principal).select_related("applicant").order_by("-created_at")
    return cases.filter(status=status) if status else cases


def case_summary(case: Case, today) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "status": case.status,
        "status_label": case.get_status_display(),
        "outcome": case.outcome,
        "applicant_name": mask_name(case.applicant.name) if case.applicant.is_person else case.applicant.name,
        "channel": case.channel,
        "due_date": case.due_date,
        "colour": _case_colour(case, today),
        "created_at": case.created_at,
        "submitted_at": case.submitted_at,
    }


def window_queue(principal):
    """Submitted cases of the clerk's regions, oldest first (先到先审)."""
    return case_list_for(principal, status=Case.Status.SUBMITTED).order_by("submitted_at")


def items_in_view(case: Case, principal) -> set[str] | None:
    """The items whose events a department's approver may read in full: its tasks and what they wait for. None
    when the caller sees the whole case."""
    if sees_whole_case(principal, case):
        return None
    mine = set(principal.department_ids("task.decide"))
    own = [t for t in case.tasks.all() if t.department_id in mine]
    return {t.item_code for t in own} | {code for t in own for code in t.depends_on}


def case_events(
    case: Case, *, items: set[str] | None = None, staff: bool = True, upto: int | None = None
) -> list[dict]:
    """The case's events (the first `upto` of them, if given). With `items` (a department's view) other items'
    events say what happened and when, without who or why; case-level events keep their data only where it concerns
    no item. The applicant side (`staff=False`) does not see the platform's internal events (whether a post-check
    was drawn)."""
    events = CaseEvent.objects.filter(case=case).select_related("actor", "actor_client").order_by("position")
    if upto is not None:
        events = events.filter(position__lte=upto)
    if not staff:
        events = events.exclude(action__in=STAFF_ONLY_ACTIONS)
    shaped = []
    for e in events:
        about = (e.data or {}).get("item")
        open_ = items is None or (about in items if about else e.action not in PRIVATE_CASE_ACTIONS)
        shaped.append(
            {
                "position": e.position,
                "action": e.action,
                "label": str(ACTIONS.get(e.action, e.action)),
                "role": e.role,
                "actor": _actor(e) if open_ else str(ROLE_LABELS.get(e.role, e.role)),
                "data": e.data if open_ else {},
                "created_at": e.created_at,
                "hash": e.hash,
            }
        )
    return shaped


# Events the applicant side does not see: telling whether an approval was drawn for a post-check would tell an
# applicant who was not drawn that nobody will check their promise. Appended whatever the draw, so the gap in the
# positions says nothing either.
STAFF_ONLY_ACTIONS = {"post_check_scheduled"}


# Case-level events whose data is the applicant's or the window's business, not another department's.
PRIVATE_CASE_ACTIONS = {"correction_requested", "refused", "withdrawn", "draft_updated", "completed", "delivered"}


ROLE_LABELS = {
    "applicant": _lazy("申请人"),
    "agent": _lazy("代办人"),
    "window_clerk": _lazy("综合窗口"),
    "approver": _lazy("审批部门"),
    "api_client": _lazy("部门业务系统"),
    "system": _lazy("系统"),
}


def _actor(event: CaseEvent) -> str:
    label = str(ROLE_LABELS.get(event.role, event.role))
    if event.actor_client_id:
        return f"{label}（{event.actor_client.name}）"
    if event.actor_id and event.role in ("window_clerk", "approver"):
        return f"{label}（{event.actor.name}）"
    return label


def task_list_for(principal, *, status: str | None = None, colour_name: str | None = None) -> IdsFirst:
    """The caller's department queue: open tasks (active and in special procedures) by urgency, then due date. A
    page reads its ids in that order from the task_inbox index, then its twenty rows (`IdsFirst`)."""
    today = timezone.localdate()
    # A queue is the department's own work: a region's read access (supervisors, administrators) adds nothing here.
    departments = principal.department_ids(scopes.TASK_DECIDE)
    tasks = Task.objects.filter(department_id__in=departments).select_related("case__applicant")
    if status:
        tasks = tasks.filter(status=status)
    else:
        tasks = tasks.filter(status__in=(Task.Status.ACTIVE, Task.Status.SUSPENDED))
    if colour_name == RED:
        tasks = tasks.filter(status=Task.Status.ACTIVE, due_date__lt=today)
    elif colour_name == YELLOW:
        tasks = tasks.filter(status=Task.Status.ACTIVE, warning_date__lte=today, due_date__gte=today)
    elif colour_name == GREEN:
        tasks = tasks.filter(status=Task.Status.ACTIVE, warning_date__gt=today)
    urgency = SqlCase(
        When(Q(status=Task.Status.ACTIVE, due_date__lt=today), then=Value(0)),
        When(Q(status=Task.Status.ACTIVE, warning_date__lte=today), then=Value(1)),
        When(status=Task.Status.ACTIVE, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return IdsFirst(tasks.annotate(urgency=urgency).order_by("urgency", "due_date", "activated_at", "pk"))


def task_summary(task: Task, today) -> dict:
    applicant = task.case.applicant
    return {
        "id": task.pk,
        "case_id": task.case_id,
        "case_number": task.case.number,
        "case_title": task.case.title,
        "applicant_name": mask_name(applicant.name) if applicant.is_person else applicant.name,
        "item_code": task.item_code,
        "item_name": task.item_name,
        "status": task.status,
        "status_label": task.get_status_display(),
        "due_date": task.due_date,
        "colour": _task_colour(task, today),
        "activated_at": task.activated_at,
    }


def case_file(case: Case, file_id, *, principal):
    """A file of this case the caller may download: a material (if they see it) or a task's result."""
    detail_files = {}
    detail = case_detail(case, principal, licenses=False)
    for material in detail["materials"]:
        for ref in material["files"]:
            detail_files[ref["id"]] = ref
    for task in detail["tasks"]:
        for result in (*task["results"], *task["inputs"]):
            detail_files[result["file"]["id"]] = result["file"]
    return file_id in detail_files
