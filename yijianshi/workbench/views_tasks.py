"""部门审批: the department's inbox by deadline colour, and the task page with the case parts the task needs,
where the approver decides, suspends for a special procedure, or resumes."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yijianshi.accounts import scopes
from yijianshi.cases import approval, selectors
from yijianshi.cases.access import access_task, access_task_to_decide
from yijianshi.cases.clocks import GREEN, RED, YELLOW
from yijianshi.cases.models import Suspension, Task
from yijianshi.cases.pages import attempt, case_view, stored_upload, visible
from yijianshi.core.errors import InvalidInput
from yijianshi.files.services import file_store
from yijianshi.workbench.access import staff_required

PAGE_SIZE = 20
MAX_RESULT_FILES = 20
COLOURS = [(None, _("全部待办")), (RED, _("超期")), (YELLOW, _("预警")), (GREEN, _("正常"))]


@staff_required
def inbox(request):
    """Open tasks of the approver's departments: overdue first, then warnings, then by due date."""
    principal = request.principal
    if not principal.has_scope(scopes.TASK_DECIDE):
        raise PermissionDenied
    colour = request.GET.get("colour") if request.GET.get("colour") in (RED, YELLOW, GREEN) else None
    page = Paginator(selectors.task_list_for(principal, colour_name=colour), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    return render(
        request,
        "workbench/task_inbox.html",
        {
            "page": page,
            "rows": [selectors.task_summary(task, today) for task in page],
            "colour": colour,
            "page_query": f"colour={colour}&" if colour else "",
            "colours": [{"value": value, "label": label} for value, label in COLOURS],
        },
    )


@staff_required
def task_page(request, task_id):
    principal = request.principal
    task = visible(access_task, principal, task_id)
    context = case_view(task.case, principal)
    mine = next((t for t in context["detail"]["tasks"] if t["id"] == task.pk), None)
    if mine is None:
        raise Http404
    can_decide = principal.department_ids(scopes.TASK_DECIDE) >= {task.department_id} or (
        task.immediate and principal.covers_region(scopes.CASE_ACCEPT, task.case.region_code)
    )  # a 即办件 may be finished at the window that accepted it
    context |= {
        "task": task,
        "mine": mine,
        "can_decide": can_decide and task.status == Task.Status.ACTIVE,
        "can_resume": can_decide and task.status == Task.Status.SUSPENDED,
        "suspension_kinds": Suspension.Kind.choices,
        "today": timezone.localdate(),
        "latest_end": timezone.localdate() + datetime.timedelta(days=approval.MAX_SUSPENSION_DAYS),
        "task_links": True,
    }
    return render(request, "workbench/task.html", context)


def _results(request, principal) -> list:
    stored = []
    refused = getattr(request, "refused_uploads", {})
    if "results" in refused:
        raise InvalidInput.for_field("results", refused["results"])
    uploads = request.FILES.getlist("results")
    if len(uploads) > MAX_RESULT_FILES:
        raise InvalidInput.for_field("results", _("结果文件最多 %(n)d 个") % {"n": MAX_RESULT_FILES})
    for upload in uploads:
        stored.append(file_store(upload=upload, name=upload.name or "", user=principal.user, field="results"))
        stored_upload(request, stored[-1])
    return stored


def _expected_end(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput.for_field("expected_end", _("请填写预计结束日期（年-月-日）")) from None


@require_POST
@staff_required
def task_act(request, task_id):
    """Decide, suspend or resume: the same services and the same checks as the API."""
    principal = request.principal
    task, role = visible(access_task_to_decide, principal, task_id)
    post = request.POST
    action = post.get("action")
    if action == "decide":

        def act():
            approval.task_decide(
                task_id=task.pk,
                by=principal,
                role=role,
                decision=post.get("decision", ""),
                opinion=post.get("opinion", "").strip(),
                refusal_reason=post.get("refusal_reason", "").strip(),
                legal_basis=post.get("legal_basis", "").strip(),
                results=_results(request, principal),
            )

        success = _("决定已作出。")
    elif action == "suspend":

        def act():
            approval.task_suspend(
                task_id=task.pk,
                by=principal,
                role=role,
                kind=post.get("kind", ""),
                reason=post.get("reason", "").strip(),
                expected_end=_expected_end(post.get("expected_end", "")),
            )

        success = _("已进入特别程序，办理时限暂停计算。")
    elif action == "resume":

        def act():
            approval.task_resume(task_id=task.pk, by=principal, role=role, note=post.get("note", "").strip())

        success = _("特别程序已结束，办理时限恢复计算。")
    else:
        messages.error(request, _("请选择作出决定、暂停计时或恢复计时。"))
        return redirect("workbench:task", task_id=task.pk)
    done, errors = attempt(request, act)
    if done:
        messages.success(request, success)
    for message in errors.values():
        messages.error(request, message)
    return redirect("workbench:task", task_id=task.pk)
