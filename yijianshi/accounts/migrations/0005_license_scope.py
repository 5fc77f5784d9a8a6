"""The scope to change the status of licenses a department issued (暂扣, 撤销, 注销, 吊销, 恢复有效)."""

from django.db import migrations

SCOPE = ("license.manage", "变更本部门所发电子证照的状态")
ROLES = ("approver", "system_admin")


def seed(apps, schema_editor):
    Scope = apps.get_model("accounts", "Scope")
    Role = apps.get_model("accounts", "Role")
    scope, _ = Scope.objects.update_or_create(code=SCOPE[0], defaults={"name": SCOPE[1]})
    for role in Role.objects.filter(code__in=ROLES):
        role.scopes.add(scope)


def unseed(apps, schema_editor):
    apps.get_model("accounts", "Scope").objects.filter(code=SCOPE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_calendar_scope")]
    operations = [migrations.RunPython(seed, unseed)]
