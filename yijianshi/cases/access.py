"""Fetch-and-authorize for cases and tasks. What a caller may not see answers exactly like what does not exist.

- Applicants see the cases of the applicants they act for (themselves, organisations they represent), and cases
  they submitted as an agent.
- Window clerks and supervisors (`case.read`, `case.accept`) see the cases of their regions.
- Approvers and department systems (`task.decide`) see their department's tasks, and the parts of those tasks'
  cases the tasks need (`selectors.case_detail` trims the rest).
"""

from django.db.models import Exists, OuterRef, Q

from yijianshi.accounts import scopes
from yijianshi.accounts.principal import Principal
from yijianshi.cases.models import Case, Task
from yijianshi.core.errors import NotFound

REGION_SCOPES = (scopes.CASE_READ, scopes.CASE_ACCEPT)


def regions_q(principal: Principal, scope_names, field: str = "region_code") -> Q | None:
    """Cases (or rows reaching a case through `field`) in the caller's regions; None when they have none."""
    prefixes = {p for scope in scope_names for p in principal.region_prefixes(scope)}
    if not prefixes:
        return None
    if "" in prefixes:
        return Q()
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= Q(**{f"{field}__startswith": prefix})
    return condition


def applicant_side_q(principal: Principal) -> Q | None:
    user = principal.user
    if user is None or not user.is_applicant:
        return None
    return Q(applicant_id__in=principal.applicant_ids) | Q(agent=user) | Q(created_by=user)


def visible_cases(principal: Principal):
    """Every case the caller may read."""
    conditions = [applicant_side_q(principal), regions_q(principal, REGION_SCOPES)]
    departments = principal.department_ids(scopes.TASK_DECIDE)
    if departments:
        conditions.append(Q(Exists(Task.objects.filter(case=OuterRef("pk"), department_id__in=departments))))
    visible = Q(pk__in=[])
    for condition in conditions:
        if condition is not None:
            visible |= condition
    return Case.objects.filter(visible)


def access_case(principal: Principal, case_id) -> Case:
    """A case the caller may read."""
    case = visible_cases(principal).filter(pk=case_id).select_related("applicant").first()
    if case is None:
        raise NotFound()
    return case


def sees_whole_case(principal: Principal, case: Case) -> bool:
    """Applicant side and region staff see everything; department approvers only their tasks' parts."""
    if principal.user is not None and principal.user.is_applicant:
        return True
    return any(principal.covers_region(scope, case.region_code) for scope in REGION_SCOPES)


def is_applicant_side(principal: Principal, case: Case) -> bool:
    user = principal.user
    return (
        user is not None
        and user.is_applicant
        and (case.applicant_id in principal.applicant_ids or case.agent_id == user.pk or case.created_by_id == user.pk)
    )


def access_case_for_applicant(principal: Principal, case_id) -> Case:
    """A case the caller may edit, submit, resubmit or withdraw: their own, or (for a clerk) one the clerk's window
    created for a walk-in applicant."""
    case = access_case(principal, case_id)
    if is_applicant_side(principal, case):
        return case
    if case.created_by_id == getattr(principal.user, "pk", None) and principal.covers_region(
        scopes.CASE_ACCEPT, case.region_code
    ):
        return case
    raise NotFound()


def access_case_at_window(principal: Principal, case_id) -> Case:
    """A case a window clerk of its region may accept, refuse, correct or hand out."""
    principal.require(scopes.CASE_ACCEPT)
    case = access_case(principal, case_id)
    if not principal.covers_region(scopes.CASE_ACCEPT, case.region_code):
        raise NotFound()
    return case


def visible_tasks(principal: Principal):
    """Tasks the caller may read: their department's, or all tasks of the cases of their regions."""
    departments = principal.department_ids(scopes.TASK_DECIDE)
    condition = Q(department_id__in=departments) if departments else Q(pk__in=[])
    regions = regions_q(principal, REGION_SCOPES, field="case__region_code")
    if regions is not None:
        condition |= regions
    return Task.objects.filter(condition)


def access_task(principal: Principal, task_id) -> Task:
    task = visible_tasks(principal).filter(pk=task_id).select_related("case", "department").first()
    if task is None:
        raise NotFound()
    return task


def access_task_to_decide(principal: Principal, task_id) -> tuple[Task, str]:
    """A task the caller may decide, suspend or resume, and the role in which they act: their department's approver
    (or system), or a window clerk of the case's region for a 即办件."""
    task = access_task(principal, task_id)
    if task.department_id in principal.department_ids(scopes.TASK_DECIDE):
        return task, "api_client" if principal.client is not None else "approver"
    if task.immediate and principal.covers_region(scopes.CASE_ACCEPT, task.case.region_code):
        return task, "window_clerk"
    principal.require(scopes.TASK_DECIDE)
    raise NotFound()
