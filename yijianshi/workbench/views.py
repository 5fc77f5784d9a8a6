from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from yijianshi.accounts import scopes
from yijianshi.accounts.models import Department, Region
from yijianshi.workbench.access import staff_required

# What each kind of work looks like on the workbench; a card shows when the caller holds its scope.
DESKS = [
    (scopes.CASE_ACCEPT, _("综合窗口"), _("受理队列、一次性告知、出件发证"), reverse_lazy("workbench:window")),
    (scopes.CASE_ACCEPT, _("容缺材料台账"), _("待补交、待核验的容缺材料"), reverse_lazy("workbench:deferrals")),
    (scopes.TASK_DECIDE, _("部门审批"), _("待办任务，按时限预警排序"), reverse_lazy("workbench:tasks")),
    (scopes.TASK_DECIDE, _("事后核查"), _("告知承诺事项的核查与处理"), reverse_lazy("workbench:post-checks")),
    (scopes.SUPERVISION_READ, _("电子监察"), _("时限预警、好差评与 12345 工单"), None),
    (
        scopes.CATALOG_MANAGE,
        _("事项目录"),
        _("事项实施清单与一件事：编辑、预览办理方案、发布"),
        reverse_lazy("admin:app_list", kwargs={"app_label": "catalog"}),
    ),
    (scopes.ACCOUNTS_MANAGE, _("账户与权限"), _("用户、角色、部门与接口客户端"), reverse_lazy("admin:index")),
]


@staff_required
def home(request):
    principal = request.principal
    regions = {r.code: r for r in Region.objects.filter(code__in=[g.region_code for g in principal.grants_held])}
    departments = Department.objects.in_bulk([g.department_id for g in principal.grants_held if g.department_id])
    roles = [
        {
            "name": grant.role_name,
            "region": regions.get(grant.region_code),
            "department": departments.get(grant.department_id),
        }
        for grant in principal.grants_held
    ]
    desks = [
        {"title": title, "description": description, "url": url}
        for scope, title, description, url in DESKS
        if principal.has_scope(scope)
    ]
    return render(request, "workbench/home.html", {"roles": roles, "desks": desks})
