"""Seed the scopes code checks and the roles that hold them (permissions as data).

Later migrations add scopes as domains arrive; administrators may regroup scopes into roles in admin.
"""

from django.db import migrations

SCOPES = {
    "account.self": "查看本人账户信息",
    "applicant.own": "以本人或所代表单位的身份办事",
    "applicant.read": "查看辖区内申请人信息",
    "case.submit": "提交办件",
    "case.read": "查看辖区内办件",
    "case.accept": "综合窗口受理、补正、不予受理与出件",
    "task.decide": "审批本部门任务",
    "catalog.manage": "维护事项目录与一件事",
    "supervision.read": "电子监察与统计查询",
    "accounts.manage": "管理账户、角色与接口客户端",
}

APPLICANT_SCOPES = ["account.self", "applicant.own", "case.submit"]

ROLES = [
    ("person", "自然人", "applicant", APPLICANT_SCOPES),
    ("organization", "法人", "applicant", APPLICANT_SCOPES),
    ("window_clerk", "综合窗口人员", "staff", ["account.self", "applicant.read", "case.read", "case.accept"]),
    ("approver", "部门审批人员", "staff", ["account.self", "task.decide"]),
    ("supervisor", "监察人员", "staff", ["account.self", "applicant.read", "case.read", "supervision.read"]),
    ("catalog_admin", "目录管理员", "staff", ["account.self", "catalog.manage"]),
    ("system_admin", "系统管理员", "staff", list(SCOPES)),
]


def seed(apps, schema_editor):
    Scope = apps.get_model("accounts", "Scope")
    Role = apps.get_model("accounts", "Role")
    scopes = {}
    for code, name in SCOPES.items():
        scopes[code], _ = Scope.objects.update_or_create(code=code, defaults={"name": name})
    for code, name, audience, scope_codes in ROLES:
        role, _ = Role.objects.update_or_create(code=code, defaults={"name": name, "audience": audience})
        role.scopes.add(*(scopes[c] for c in scope_codes))


def unseed(apps, schema_editor):
    apps.get_model("accounts", "Role").objects.filter(code__in=[r[0] for r in ROLES]).delete()
    apps.get_model("accounts", "Scope").objects.filter(code__in=list(SCOPES)).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
