"""容缺材料 at the window (the register and the check of what was supplied) and 事后核查 in departments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yijianshi.accounts import scopes
from yijianshi.cases.access import access_case_at_window
from yijianshi.cases.pages import attempt, visible
from yijianshi.commitments import deferrals, post_checks, selectors
from yijianshi.commitments.models import PostCheck
from yijianshi.workbench.access import staff_required

PAGE_SIZE = 30


@require_POST
@staff_required
def deferral_check(request, case_id, key):
    principal = request.principal
    case = visible(access_case_at_window, principal, case_id)
    accepted = request.POST.get("accepted") == "yes"
    done, errors = attempt(
        request,
        lambda: deferrals.deferred_check(
            case_id=case.pk, key=key, by=principal, accepted=accepted, note=request.POST.get("note", "")
        ),
    )
    if done:
        messages.success(request, _("已核验通过。") if accepted else _("已退回，申请人会收到通知。"))
    for message in errors.values():
        messages.error(request, message)
    return redirect("workbench:case", case_id=case.pk)


@staff_required
def deferral_register(request):
    """The window's register of materials still owed or waiting to be checked, the nearest deadline first."""
    if not request.principal.has_scope(scopes.CASE_ACCEPT):
        raise PermissionDenied
    page = Paginator(selectors.deferral_queue(request.principal), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.deferral_view(d, d.case.number) for d in page]
    return render(request, "workbench/deferrals.html", {"page": page, "rows": rows})


@staff_required
def post_check_queue(request):
    """The department's pending post-checks, the nearest deadline first, each with its result form."""
    if not request.principal.has_scope(scopes.TASK_DECIDE):
        raise PermissionDenied
    page = Paginator(selectors.post_check_queue(request.principal), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.post_check_view(p, p.case.number) for p in page]
    return render(request, "workbench/post_checks.html", {"page": page, "rows": rows})


@require_POST
@staff_required
def post_check_record(request, check_id):
    principal = request.principal
    if not PostCheck.objects.filter(
        pk=check_id, department_id__in=principal.department_ids(scopes.TASK_DECIDE)
    ).exists():
        raise Http404
    done, errors = attempt(
        request,
        lambda: post_checks.post_check_record(
            check_id=check_id, by=principal, result=request.POST.get("result", ""),
            finding=request.POST.get("finding", ""),
        ),
    )  # fmt: skip
    if done:
        messages.success(request, _("核查结果已记录。"))
    for message in errors.values():
        messages.error(request, message)
    return redirect("workbench:post-checks")
